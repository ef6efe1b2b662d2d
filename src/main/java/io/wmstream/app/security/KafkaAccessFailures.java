package io.wmstream.app.security;

import io.wmstream.topology.config.WmConfig;
import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Names, in one line, why Kafka refused a client: wrong or missing credentials, a failed TLS handshake, or a missing
 * ACL. Such failures are final (a retry sends the same credentials again), so the commands stop at the first one
 * instead of waiting out their timeouts.
 */
public final class KafkaAccessFailures {
    private KafkaAccessFailures() {
    }

    /**
     * The line a command shows for {@code failure}: the security refusal it holds, or {@code otherwise}; either way
     * without the values of {@code config}'s secrets.
     */
    public static String oneLine(WmConfig config, Throwable failure, String otherwise) {
        return SecretSettings.of(config).scrub(describe(failure).orElse(otherwise));
    }

    /** One line for the user when {@code failure} or one of its causes is a security refusal; empty otherwise. */
    public static Optional<String> describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SaslAuthenticationException) {
                return Optional.of("Kafka refused the SASL credentials: " + cause.getMessage()
                        + " (check kafka.sasl.mechanism and kafka.sasl.jaas.config)");
            }
            if (cause instanceof SslAuthenticationException) {
                return Optional.of("the TLS handshake with Kafka failed: " + innermostMessage(cause)
                        + " (check kafka.ssl.truststore.* and, where the broker wants a client certificate, "
                        + "kafka.ssl.keystore.*)");
            }
            if (cause instanceof AuthenticationException) {
                return Optional.of("Kafka refused to authenticate this client: " + innermostMessage(cause));
            }
            if (cause instanceof AuthorizationException) {
                return Optional.of("Kafka denied access: " + cause.getMessage()
                        + " (the principal lacks an ACL; see docs/security.md, ACLs)");
            }
            if (isMissingJaasConfiguration(cause)) {
                return Optional.of("no SASL credentials: " + cause.getMessage()
                        + " (set kafka.sasl.jaas.config)");
            }
        }
        return Optional.empty();
    }

    private static boolean isMissingJaasConfiguration(Throwable cause) {
        String message = cause.getMessage();
        return cause instanceof IllegalArgumentException && message != null
                && message.contains("JAAS configuration");
    }

    /** The JDK's TLS errors say what is wrong (no trusted certificate, bad certificate) only at the bottom. */
    private static String innermostMessage(Throwable failure) {
        Throwable innermost = failure;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        String message = innermost.getMessage();
        return message == null || message.isBlank() ? innermost.getClass().getSimpleName()
                : firstLine(message);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
