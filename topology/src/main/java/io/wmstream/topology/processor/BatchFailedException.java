package io.wmstream.topology.processor;

/**
 * A batch failed with something other than the model's own {@code ModelFailureException}, on every attempt. Nothing
 * of it was applied and its events are still pending; the stream thread must stop (its transaction aborts), since
 * dead-lettering the record at hand would leave it pending too, and going on would fail the same way on every record.
 */
public class BatchFailedException extends RuntimeException {
    public BatchFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
