package io.wmstream.topology.processor;

/** Memory written under another model met a processor configured to refuse it (wm.memory.model.mismatch=fail). */
public class MemoryModelMismatchException extends RuntimeException {
    public MemoryModelMismatchException(String message) {
        super(message);
    }
}
