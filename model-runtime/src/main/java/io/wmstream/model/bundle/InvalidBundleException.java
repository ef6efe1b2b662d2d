package io.wmstream.model.bundle;

/** A model bundle was refused at start: missing, corrupt, or not matching its manifest; the message says what. */
public class InvalidBundleException extends RuntimeException {
    private final String source;
    private final String problem;

    public InvalidBundleException(String source, String problem) {
        this(source, problem, null);
    }

    public InvalidBundleException(String source, String problem, Throwable cause) {
        super("Model bundle " + source + " refused: " + problem, cause);
        this.source = source;
        this.problem = problem;
    }

    /** Where the bundle was read from (a directory or the classpath location). */
    public String source() {
        return source;
    }

    /** What is wrong, without the source. */
    public String problem() {
        return problem;
    }
}
