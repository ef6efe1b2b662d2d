package io.wmstream.app.replay;

import io.wmstream.app.cli.Args;
import io.wmstream.app.cli.UsageException;
import io.wmstream.app.config.StreamsSettings;
import io.wmstream.app.security.KafkaAccessFailures;
import io.wmstream.topology.config.WmConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;

/**
 * Where a replay's events come from, as its options say: a log file ({@code --input}), or a range of a topic on a
 * live cluster ({@code --from-topic} with its bootstrap servers, offsets and times); and which of their lines it
 * keeps ({@code --split}, {@code --slice}).
 */
final class ReplayInputs {
    private ReplayInputs() {
    }

    /** The log file {@code file}, which must exist. */
    static EventSource.Opener file(String file) throws UsageException {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new UsageException("no such file: " + file);
        }
        return FileEventSource.opener(path);
    }

    /**
     * The topic of {@code --from-topic} on the cluster of {@code --bootstrap-servers} (else {@code config}'s), in
     * the range the offset and time options give; the topic is only opened when the replay starts.
     */
    static EventSource.Opener topic(Args args, WmConfig config) throws UsageException {
        String topic = args.value("--from-topic").get();
        Properties properties = StreamsSettings.forClients(config);
        args.value("--bootstrap-servers").ifPresent(servers -> properties.put(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers));
        Object servers = properties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null || servers.toString().isBlank()) {
            throw new UsageException("no Kafka to read from: give --bootstrap-servers HOST:PORT "
                    + "(or kafka.bootstrap.servers)");
        }
        TopicEventSource.Range range = new TopicEventSource.Range(offset(args, "--from-offset"),
                offset(args, "--to-offset"), time(args, "--from-time"), time(args, "--to-time"));
        return new EventSource.Opener() {
            @Override
            public EventSource open() throws IOException {
                try {
                    return new TopicEventSource(properties, topic, range);
                } catch (KafkaException | IllegalArgumentException e) {
                    throw new IOException(KafkaAccessFailures.oneLine(config, e, "cannot read topic " + topic + " on "
                            + servers + ": " + e.getMessage()), e);
                }
            }

            @Override
            public String describe() {
                return "topic " + topic;
            }
        };
    }

    /** The lines of {@code --split} and {@code --slice}. */
    static LineSelection selection(Args args) throws UsageException {
        Optional<String> slice = args.value("--slice");
        DatasetSlice kept = null;
        if (slice.isPresent()) {
            kept = DatasetSlice.of(slice.get()).orElseThrow(() -> new UsageException(
                    "--slice expects held-out or training, got '" + slice.get() + "'"));
        }
        return new LineSelection(args.value("--split").orElse(null), kept);
    }

    private static Long offset(Args args, String name) throws UsageException {
        Optional<String> raw = args.value(name);
        if (raw.isEmpty()) {
            return null;
        }
        try {
            long value = Long.parseLong(raw.get().trim());
            if (value < 0) {
                throw new UsageException(name + " must not be negative, got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects an offset, got '" + raw.get() + "'");
        }
    }

    /** An RFC 3339 time or epoch milliseconds. */
    private static Long time(Args args, String name) throws UsageException {
        Optional<String> raw = args.value(name);
        if (raw.isEmpty()) {
            return null;
        }
        String text = raw.get().trim();
        try {
            return text.chars().allMatch(Character::isDigit) ? Long.parseLong(text)
                    : OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new UsageException(name + " expects an RFC 3339 time or epoch milliseconds, got '" + text + "'");
        }
    }
}
