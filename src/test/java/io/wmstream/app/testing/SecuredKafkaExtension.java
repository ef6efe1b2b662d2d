package io.wmstream.app.testing;

import io.wmstream.app.broker.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real in-process KRaft broker per test class whose client listeners want credentials: {@code SASL_SSL}
 * (SCRAM-SHA-512 over TLS) and {@code MTLS} (TLS with a client certificate required), with the standard authorizer
 * (nothing allowed without an ACL). Its certificates are made when the class starts. A plain listener stays for the
 * operator (the super user, as a broker's own admin tools on a private port would be): it creates users, topics and
 * ACLs, never the application.
 */
public final class SecuredKafkaExtension implements BeforeAllCallback, AfterAllCallback {
    /** SCRAM over TLS. */
    public static final String SASL_LISTENER = "SASL_SSL";
    /** Mutual TLS: the principal is the client certificate's common name. */
    public static final String MTLS_LISTENER = "MTLS";

    private Path directory;
    private TestCertificates certificates;
    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("wmstream-secured-kafka");
        certificates = TestCertificates.create(directory);
        Path brokerKeystore = certificates.keystore("broker.p12", "localhost");
        Path truststore = certificates.truststore();
        Map<String, String> broker = new LinkedHashMap<>();
        // The test kit's EXTERNAL and CONTROLLER listeners stay plain (operator and controller); two secured ones join.
        broker.put("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0," + SASL_LISTENER
                + "://localhost:0," + MTLS_LISTENER + "://localhost:0");
        broker.put("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT," + SASL_LISTENER
                + ":SASL_SSL," + MTLS_LISTENER + ":SSL");
        broker.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        broker.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        for (String listener : List.of("sasl_ssl", "mtls")) {
            broker.put("listener.name." + listener + ".ssl.keystore.location", brokerKeystore.toString());
            broker.put("listener.name." + listener + ".ssl.keystore.password", certificates.password());
            broker.put("listener.name." + listener + ".ssl.keystore.type", "PKCS12");
        }
        broker.put("listener.name.mtls.ssl.truststore.location", truststore.toString());
        broker.put("listener.name.mtls.ssl.truststore.password", certificates.password());
        broker.put("listener.name.mtls.ssl.truststore.type", "PKCS12");
        broker.put("listener.name.mtls.ssl.client.auth", "required");
        // "CN=wmstream-app" becomes the principal User:wmstream-app, the name ACLs are written for.
        broker.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT");
        broker.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        broker.put("allow.everyone.if.no.acl.found", "false");
        broker.put("super.users", "User:ANONYMOUS");
        kafka = EmbeddedKafka.start(broker);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The authority that issued the broker's certificate; it issues client certificates too. */
    public TestCertificates certificates() {
        return certificates;
    }

    /** The operator's plain listener, where the principal is the super user. */
    public String operatorServers() {
        return kafka.bootstrapServers();
    }

    /** {@code localhost:port} of the SCRAM-over-TLS listener. */
    public String saslServers() {
        return "localhost:" + kafka.boundPort(SASL_LISTENER);
    }

    /** {@code localhost:port} of the mutual-TLS listener. */
    public String mtlsServers() {
        return "localhost:" + kafka.boundPort(MTLS_LISTENER);
    }

    /** wmstream settings for a SCRAM user over TLS, as a user would write them in a properties file. */
    public Map<String, String> saslSettings(String user, String password) throws Exception {
        Map<String, String> settings = trustSettings();
        settings.put("kafka.security.protocol", "SASL_SSL");
        settings.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        settings.put("kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"" + user + "\" password=\"" + password + "\";");
        return settings;
    }

    /** wmstream settings for mutual TLS with {@code keystore} (from {@link #certificates()}). */
    public Map<String, String> mtlsSettings(Path keystore) throws Exception {
        Map<String, String> settings = trustSettings();
        settings.put("kafka.security.protocol", "SSL");
        settings.put("kafka.ssl.keystore.location", keystore.toString());
        settings.put("kafka.ssl.keystore.password", certificates.password());
        settings.put("kafka.ssl.keystore.type", "PKCS12");
        return settings;
    }

    private Map<String, String> trustSettings() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("kafka.ssl.truststore.location", certificates.truststore().toString());
        settings.put("kafka.ssl.truststore.password", certificates.password());
        settings.put("kafka.ssl.truststore.type", "PKCS12");
        return settings;
    }

    /** An admin client on the operator's listener. */
    public Admin operator() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return Admin.create(properties);
    }

    /** Creates (or replaces) a SCRAM-SHA-512 user. */
    public void addScramUser(String user, String password) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        try (Admin admin = operator()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Grants {@code acls} and creates {@code topics} (two partitions each), as the operator. */
    public void prepare(Collection<AclBinding> acls, Collection<String> topics) throws Exception {
        try (Admin admin = operator()) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, 2, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        }
        // The broker applies ACLs and credentials from the metadata log a moment after the controller commits them.
        Thread.sleep(Duration.ofMillis(500).toMillis());
    }
}
