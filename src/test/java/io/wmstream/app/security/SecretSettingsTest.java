package io.wmstream.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.topology.config.WmConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretSettingsTest {
    @Test
    void shouldHideEverySecretValueButKeepOtherSettings() {
        // Given settings with a JAAS configuration, store passwords, an HTTP token and ordinary values
        WmConfig config = new WmConfig(Map.of(
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"svc\" password=\"pa55-in-jaas\";",
                "kafka.ssl.keystore.password", "store-pass-1",
                "kafka.ssl.key.password", "key-pass-2",
                "wm.http.token", "bearer-token-3",
                "wm.http.tls.keystore.password", "http-store-4",
                "kafka.bootstrap.servers", "broker-1:9093"));

        // When a line quoting all of them is scrubbed
        String scrubbed = SecretSettings.of(config).scrub("jaas=" + config.originals().get("kafka.sasl.jaas.config")
                + " alone=pa55-in-jaas store=store-pass-1 key=key-pass-2 token=bearer-token-3 http=http-store-4"
                + " servers=broker-1:9093");

        // Then no secret is left, the password inside the JAAS text included, and the rest is kept
        assertThat(scrubbed).doesNotContain("pa55-in-jaas", "store-pass-1", "key-pass-2", "bearer-token-3",
                "http-store-4", "ScramLoginModule").contains("servers=broker-1:9093", "alone=[hidden]");
    }

    @Test
    void shouldNameSecretKeysByWhatTheyHold() {
        assertThat(SecretSettings.isSecret("kafka.sasl.jaas.config")).isTrue();
        assertThat(SecretSettings.isSecret("kafka.ssl.truststore.password")).isTrue();
        assertThat(SecretSettings.isSecret("wm.http.token")).isTrue();
        assertThat(SecretSettings.isSecret("kafka.sasl.oauthbearer.client.credentials.client.secret")).isTrue();
        assertThat(SecretSettings.isSecret("kafka.bootstrap.servers")).isFalse();
        assertThat(SecretSettings.isSecret("wm.http.tls.keystore.location")).isFalse();
    }
}
