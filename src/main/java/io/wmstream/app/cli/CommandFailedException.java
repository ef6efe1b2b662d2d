package io.wmstream.app.cli;

/** A command that could not do its work for a reason outside the user's call (broker down, I/O): exit code 1. */
public final class CommandFailedException extends Exception {
    public CommandFailedException(String message) {
        super(message, null, false, false);
    }

    public CommandFailedException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
