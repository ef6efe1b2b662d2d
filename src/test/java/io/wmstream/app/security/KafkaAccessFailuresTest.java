package io.wmstream.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaAccessFailuresTest {
    @Test
    void shouldNameASaslRefusalWhereverItIsInTheCauses() {
        // Given a refusal wrapped as an admin call wraps it
        var failure = new ExecutionException(new SaslAuthenticationException("Authentication failed during "
                + "authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"));

        // Then one line names it and says what to check
        assertThat(KafkaAccessFailures.describe(failure)).hasValueSatisfying(line -> assertThat(line)
                .startsWith("Kafka refused the SASL credentials: Authentication failed")
                .contains("kafka.sasl.jaas.config").doesNotContain("\n"));
    }

    @Test
    void shouldNameTheInnermostTlsProblem() {
        var failure = new SslAuthenticationException("SSL handshake failed",
                new SSLHandshakeException("PKIX path building failed: unable to find valid certification path"));

        assertThat(KafkaAccessFailures.describe(failure)).hasValueSatisfying(line -> assertThat(line)
                .startsWith("the TLS handshake with Kafka failed: PKIX path building failed")
                .contains("kafka.ssl.truststore"));
    }

    @Test
    void shouldPointAMissingAclAtTheAcls() {
        var failure = new KafkaException("send failed", new TopicAuthorizationException("Not authorized to access "
                + "topics: [conversation-events]"));

        assertThat(KafkaAccessFailures.describe(failure)).hasValueSatisfying(line -> assertThat(line)
                .startsWith("Kafka denied access: Not authorized to access topics: [conversation-events]")
                .contains("ACL"));
    }

    @Test
    void shouldLeaveOtherFailuresToTheCaller() {
        assertThat(KafkaAccessFailures.describe(new ExecutionException(new TimeoutException("timed out")))).isEmpty();
    }
}
