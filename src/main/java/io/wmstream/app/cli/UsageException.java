package io.wmstream.app.cli;

/** A mistake in how a command was called: reported as one line and exit code {@link ExitCode#USAGE}. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        // No stack trace: a usage error is the user's to fix, and its message says everything.
        super(message, null, false, false);
    }
}
