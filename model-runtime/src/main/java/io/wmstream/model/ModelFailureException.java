package io.wmstream.model;

/** The model could not run a batch (ONNX Runtime error, bad shapes, device failure). */
public class ModelFailureException extends RuntimeException {
    public ModelFailureException(String message, Throwable cause) {
        super(message, cause);
    }

    public ModelFailureException(String message) {
        super(message);
    }
}
