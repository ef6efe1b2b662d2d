package io.wmstream.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wmstream.app.config.ConfigLoader;
import io.wmstream.app.testing.GrafanaDashboard;
import io.wmstream.app.testing.RepoRoot;
import io.wmstream.topology.config.WmConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docker-compose.yml, the Prometheus configuration and the Grafana dashboard agree with the application. */
class DeploymentFilesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path root = RepoRoot.path();

    @Test
    void shouldPassOnlyRealSettingsToWmstreamInDockerCompose() throws IOException {
        // Given the environment docker-compose.yml gives the wmstream service
        JsonNode environment = compose().path("services").path("wmstream").path("environment");
        assertThat(environment.isObject()).as("wmstream environment is a map").isTrue();

        // Then every WM_* variable names a known setting and together they form a valid configuration
        Map<String, String> settings = new HashMap<>();
        environment.properties().forEach(entry -> {
            String key = ConfigLoader.keyOfEnvironmentVariable(entry.getKey());
            if (key != null) {
                assertThat(WmConfig.isKnownKey(key)).as("%s -> %s is a wmstream setting", entry.getKey(), key)
                        .isTrue();
                settings.put(key, entry.getValue().asText());
            }
        });
        assertThat(settings).containsKeys("kafka.bootstrap.servers", "wm.http.bind", "wm.http.port");
        WmConfig config = new WmConfig(settings);
        assertThat(config.getString(WmConfig.HTTP_BIND_CONFIG)).isEqualTo("0.0.0.0");
    }

    @Test
    void shouldRunKafkaInKraftModeFromTheOfficialImageAndBuildWmstreamFromOps() throws IOException {
        JsonNode services = compose().path("services");

        JsonNode kafka = services.path("kafka");
        assertThat(kafka.path("image").asText()).startsWith("apache/kafka:");
        assertThat(kafka.path("environment").path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(kafka.path("environment").path("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR").asText()).isEqualTo("1");

        JsonNode build = services.path("wmstream").path("build");
        assertThat(build.path("dockerfile").asText()).isEqualTo("ops/Dockerfile");
        assertThat(root.resolve(build.path("context").asText()).resolve("ops/Dockerfile")).exists();
        String bootstrap = services.path("wmstream").path("environment").path("WM_KAFKA_BOOTSTRAP_SERVERS").asText();
        assertThat(kafka.path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText()).contains(bootstrap);
    }

    @Test
    void shouldHavePrometheusScrapeWmstreamMetrics() throws IOException {
        // Given the Prometheus service and the configuration it mounts
        JsonNode prometheus = compose().path("services").path("prometheus");
        List<String> volumes = textValues(prometheus.path("volumes"));
        assertThat(volumes).anyMatch(v -> v.startsWith("./ops/prometheus.yml:"));
        JsonNode config = YAML.readTree(root.resolve("ops/prometheus.yml").toFile());

        // Then it scrapes /metrics on the wmstream service's HTTP port
        JsonNode job = config.path("scrape_configs").get(0);
        assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
        String port = compose().path("services").path("wmstream").path("environment").path("WM_HTTP_PORT").asText();
        assertThat(textValues(job.path("static_configs").get(0).path("targets"))).containsExactly("wmstream:" + port);
    }

    @Test
    void shouldNotPublishTheMemoryQueryWithoutATokenOrBeyondTheHostsLoopback() throws IOException {
        // Given the services of docker-compose.yml, wmstream binding 0.0.0.0 inside its container
        JsonNode services = compose().path("services");
        JsonNode wmstream = services.path("wmstream");

        // Then wmstream requires a token from the environment, and compose refuses to start without one
        assertThat(wmstream.path("environment").path("WM_HTTP_TOKEN").asText())
                .startsWith("${WM_HTTP_TOKEN:?WM_HTTP_TOKEN must be set");
        // And every port is published on the loopback only
        for (JsonNode service : services) {
            for (String port : textValues(service.path("ports"))) {
                assertThat(port).as("published port").startsWith("127.0.0.1:");
            }
        }
        // And Prometheus scrapes with the token, from the file compose gives it
        JsonNode job = YAML.readTree(root.resolve("ops/prometheus.yml").toFile()).path("scrape_configs").get(0);
        String tokenFile = job.path("authorization").path("credentials_file").asText();
        assertThat(services.path("prometheus").path("configs").findValuesAsText("target")).containsExactly(tokenFile);
        assertThat(compose().path("configs").path("wmstream-http-token").path("content").asText())
                .startsWith("${WM_HTTP_TOKEN:?");
    }

    @Test
    void shouldMountOnlyFilesThatExist() throws IOException {
        for (JsonNode service : compose().path("services")) {
            for (String volume : textValues(service.path("volumes"))) {
                if (volume.startsWith("./")) {
                    assertThat(root.resolve(volume.substring(2, volume.indexOf(':')))).exists();
                }
            }
        }
    }

    @Test
    void shouldQueryOnlyMetricFamiliesThatWmstreamExports() throws IOException {
        // Given the dashboard's queries
        Set<String> names = GrafanaDashboard.metricNames(root);

        // Then they use the kafka_stream_* names Micrometer gives Kafka Streams, and kafka_wmstream_* for the
        // topology's group wmstream-metrics (RunCommandIntegrationTest checks each against a live scrape)
        assertThat(names).contains("kafka_wmstream_replies_total", "kafka_wmstream_summaries_total",
                "kafka_wmstream_dead_letters_total", "kafka_wmstream_batch_size_avg",
                "kafka_wmstream_model_call_latency_p99_ms", "kafka_stream_topic_records_consumed_total",
                "kafka_stream_topic_records_produced_total");
        JsonNode dashboard = JSON.readTree(root.resolve("ops/grafana/wmstream-dashboard.json").toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("wmstream");
    }

    private JsonNode compose() throws IOException {
        return YAML.readTree(root.resolve("docker-compose.yml").toFile());
    }

    private static List<String> textValues(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
