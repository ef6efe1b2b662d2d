package io.wmstream.topology.processor;

/**
 * Writing to the state stores, or forwarding the outputs that go with the writes, failed part way: the stores may
 * hold part of a batch (or of an accepted event) whose other part is missing. Nothing here can take the written part
 * back, so the stream thread must stop: under exactly-once its transaction aborts, the task's local stores are wiped,
 * and the next start restores them from the changelogs as of the last commit and runs the events again. Dead-lettering
 * the record at hand and going on would commit the written part.
 */
public class StoreWriteFailedException extends RuntimeException {
    public StoreWriteFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
