package io.wmstream.app.pipeline;

/** The pipeline cannot be built: reported as one line and exit code 1. */
public final class PipelineUnavailableException extends RuntimeException {
    public PipelineUnavailableException(String message) {
        super(message);
    }

    public PipelineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
