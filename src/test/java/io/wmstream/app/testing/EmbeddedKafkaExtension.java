package io.wmstream.app.testing;

import io.wmstream.app.broker.EmbeddedKafka;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real in-process KRaft broker per test class: started before the class's first test, closed after its last.
 * Register it as a static field with {@code @RegisterExtension}; tests give themselves their own topics.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** The broker's bootstrap address. */
    public String bootstrapServers() {
        if (kafka == null) {
            throw new IllegalStateException("the broker runs only while the test class runs");
        }
        return kafka.bootstrapServers();
    }
}
