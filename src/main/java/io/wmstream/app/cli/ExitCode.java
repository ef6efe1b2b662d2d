package io.wmstream.app.cli;

/** The exit codes every wmstream command uses. */
public final class ExitCode {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The command ran and failed: the broker was unreachable, input could not be sent, the pipeline died. */
    public static final int FAILURE = 1;
    /** The command was called wrongly: unknown option, missing value, bad configuration. Nothing was done. */
    public static final int USAGE = 2;

    private ExitCode() {
    }
}
