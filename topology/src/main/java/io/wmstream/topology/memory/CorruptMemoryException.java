package io.wmstream.topology.memory;

/** A stored memory value that cannot be decoded. */
public class CorruptMemoryException extends RuntimeException {
    public CorruptMemoryException(String message) {
        super(message);
    }
}
