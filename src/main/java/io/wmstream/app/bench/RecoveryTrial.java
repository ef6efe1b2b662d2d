package io.wmstream.app.bench;

import io.wmstream.app.cli.CommandFailedException;
import io.wmstream.schemas.output.Reply;
import io.wmstream.schemas.serde.WmSerdes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One trial of {@code recovery-bench}, on its own topics, application id and state directory: a {@code run}
 * instance with the no-op model ({@link NoOpRunInstance}) in a child process is filled with one greeting for each of
 * N conversations; once every event is processed and committed it is killed with SIGKILL, started again on the same
 * state directory with {@code run}'s defaults, and one new user turn ({@link #NEW_TURN_NUMBER} of conversation
 * {@code conversationId(0)}) is sent. It measures the time from the kill to that turn's reply as a read_committed
 * reader sees it (JVM start, group join, restore, processing) and reads from the restarted instance's log what it
 * restored and which tasks it found corrupted. Its own class so that a test can run one trial.
 */
public final class RecoveryTrial {
    /** The turn number of the one user turn sent after the restart (the greetings are turn 0). */
    public static final long NEW_TURN_NUMBER = 1;
    private static final String GREETING = "Hello, this is the booking service. How can I help you?";
    private static final String NEW_TURN = "I need a cheap hotel in the north of town";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(15);
    private static final Pattern RESTORED = Pattern.compile("total number of (\\d+) records");
    private static final Pattern CORRUPTED = Pattern.compile("TaskCorruptedException|are corrupted");
    /**
     * Settings of the filling instance only: commits every second and polls of 1,000 records instead of 50 ms and
     * 100, so that a million greetings go in within minutes on two cores. They change how often the fill commits,
     * not what it leaves: the same memories, stores and changelogs. The restarted instance, the one measured, runs
     * with {@code run}'s defaults.
     */
    private static final List<String> FILL_SETTINGS = List.of("kafka.commit.interval.ms=1000",
            "kafka.main.consumer.max.poll.records=1000");

    private final String servers;
    private final int conversations;
    private final boolean transactional;
    private final Path dir;
    private final List<String> javaOpts;
    private final Path logback;
    private final PrintStream out;
    private final String applicationId;
    private final String prefix;

    /**
     * @param servers the cluster's bootstrap servers
     * @param workDir where the trial's directory (state, the instances' logs) is created
     * @param javaOpts JVM options of the instance, e.g. {@code -Xmx1g}
     * @param logback the instances' log settings, written by {@link #writeInstanceLogback}
     * @param out where progress is printed
     */
    public RecoveryTrial(String servers, int conversations, boolean transactional, Path workDir,
                         List<String> javaOpts, Path logback, PrintStream out) throws IOException {
        this.servers = servers;
        this.conversations = conversations;
        this.transactional = transactional;
        this.javaOpts = javaOpts;
        this.logback = logback;
        this.out = out;
        String name = "recovery-" + (transactional ? "tx" : "notx") + "-" + System.currentTimeMillis();
        this.dir = Files.createDirectories(workDir.resolve(name));
        this.applicationId = "wmstream-" + name;
        this.prefix = name + ".";
    }

    /** Fills, kills and restarts the instance; its state directory is deleted at the end, its topics kept. */
    public RecoveryResult run() throws IOException, InterruptedException, ExecutionException, CommandFailedException {
        out.printf(Locale.ROOT, "%n== transactional stores %s: %,d conversations (%s) ==%n",
                transactional ? "on" : "off", conversations, dir);
        Process first = startInstance(dir.resolve("instance-1.log"), FILL_SETTINGS);
        Process second = null;
        try {
            long fillStart = System.nanoTime();
            fill();
            awaitProcessed(first);
            out.printf(Locale.ROOT, "filled and committed in %.0f s%n", seconds(System.nanoTime() - fillStart));
            long stateBytes = sizeOf(dir.resolve("state"));
            try (KafkaConsumer<byte[], byte[]> replies = repliesFromNow()) {
                out.printf(Locale.ROOT, "state directory %,d MB; kill -9 pid %d at %s%n",
                        stateBytes / 1_000_000, first.pid(), LocalTime.now().truncatedTo(ChronoUnit.MILLIS));
                long killed = System.nanoTime();
                LocalTime killedAt = LocalTime.now();
                first.destroyForcibly();
                first.waitFor();
                second = startInstanceProcess(dir.resolve("instance-2.log"), List.of());
                send(conversationId(0), NEW_TURN_NUMBER, "user", NEW_TURN);
                long[] started = {0};
                long replied = awaitReply(replies, conversationId(0), NEW_TURN_NUMBER, second, started);
                double recovery = seconds(replied - killed);
                double startedSeconds = started[0] == 0 ? Double.NaN : seconds(started[0] - killed);
                out.printf(Locale.ROOT, "first new reply %.1f s after the kill, at %s%n", recovery,
                        LocalTime.now().truncatedTo(ChronoUnit.MILLIS));
                stop(second);
                String log = Files.readString(dir.resolve("instance-2.log"), StandardCharsets.UTF_8);
                Matcher restored = RESTORED.matcher(log);
                long records = 0;
                int changelogs = 0;
                while (restored.find()) {
                    records += Long.parseLong(restored.group(1));
                    changelogs++;
                }
                int corrupted = (int) log.lines().filter(line -> CORRUPTED.matcher(line).find()).count();
                double firstLog = secondsAfter(killedAt, log.lines().findFirst());
                double restoredAt = secondsAfter(killedAt, log.lines()
                        .filter(line -> RESTORED.matcher(line).find()).reduce((a, b) -> b));
                return new RecoveryResult(transactional, conversations, recovery, startedSeconds, firstLog, restoredAt,
                        stateBytes, records, changelogs, corrupted);
            }
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroyForcibly();
            }
            deleteTree(dir.resolve("state"));
        }
    }

    private Process startInstance(Path log, List<String> settings) throws IOException, InterruptedException,
            CommandFailedException {
        Process process = startInstanceProcess(log, settings);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new CommandFailedException("the instance exited while starting (exit "
                        + process.exitValue() + "); see " + log);
            }
            if (Files.readString(log, StandardCharsets.UTF_8).contains("wmstream is running")) {
                return process;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        process.destroyForcibly();
        throw new CommandFailedException("the instance did not start within " + START_TIMEOUT.toMinutes()
                + " min; see " + log);
    }

    private Process startInstanceProcess(Path log, List<String> settings) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(javaOpts);
        command.add("-Dlogback.configurationFile=" + logback);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NoOpRunInstance.class.getName());
        command.addAll(List.of("run", "--bootstrap-servers", servers,
                "--set", "kafka.application.id=" + applicationId,
                "--set", "wm.topic.prefix=" + prefix,
                "--set", "kafka.state.dir=" + dir.resolve("state"),
                "--set", "wm.http.port=0",
                "--set", "kafka.enable.transactional.statestores=" + transactional));
        settings.forEach(setting -> command.addAll(List.of("--set", setting)));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private void fill() {
        Properties properties = clientProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < conversations; i++) {
                producer.send(record(conversationId(i), 0, "system", GREETING));
            }
            producer.flush();
        }
        out.printf(Locale.ROOT, "sent %,d greetings%n", conversations);
    }

    private void send(String id, long turn, String speaker, String text) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(record(id, turn, speaker, text));
            producer.flush();
        }
    }

    private ProducerRecord<byte[], byte[]> record(String id, long turn, String speaker, String text) {
        String json = "{\"conversationId\":\"" + id + "\",\"turn\":" + turn + ",\"speaker\":\"" + speaker
                + "\",\"text\":\"" + text + "\"}";
        return new ProducerRecord<>(prefix + "conversation-events", id.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Waits until the group's committed offsets reach the end of the events topic and of the repartition topic
     * through which every event reaches the stores ({@link InputLag}): every greeting processed, in the stores and
     * committed. The events topic alone is committed as soon as an event is re-keyed, long before it is processed.
     */
    private void awaitProcessed(Process instance) throws InterruptedException, CommandFailedException {
        try (InputLag lag = new InputLag(clientProperties(), applicationId, prefix + "conversation-events")) {
            long lastReport = 0;
            while (true) {
                if (!instance.isAlive()) {
                    throw new CommandFailedException("the instance exited while filling; see "
                            + dir.resolve("instance-1.log"));
                }
                long behind = lag.records();
                if (behind <= 0) {
                    return;
                }
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(15)) {
                    out.printf(Locale.ROOT, "%,d records of the events and repartition topics not yet processed"
                            + " and committed%n", behind);
                    lastReport = System.nanoTime();
                }
                TimeUnit.SECONDS.sleep(1);
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> repliesFromNow() {
        Properties properties = clientProperties();
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        String topic = repliesTopic();
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    /**
     * The nano time at which the reply to {@code id}'s {@code turn} reached a read_committed reader; sets
     * {@code started[0]} to when the instance said it was running (its Streams started, restore under way).
     */
    private long awaitReply(KafkaConsumer<byte[], byte[]> consumer, String id, long turn, Process instance,
                            long[] started) throws CommandFailedException, IOException {
        var deserializer = WmSerdes.replies().deserializer();
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (started[0] == 0 && Files.readString(dir.resolve("instance-2.log"), StandardCharsets.UTF_8)
                    .contains("wmstream is running")) {
                started[0] = System.nanoTime();
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                Reply reply = deserializer.deserialize(record.topic(), record.value());
                Long replied = reply.inReplyTo().turn();
                if (reply.conversationId().equals(id) && replied != null && replied == turn) {
                    return System.nanoTime();
                }
            }
            if (!instance.isAlive()) {
                throw new CommandFailedException("the restarted instance exited; see "
                        + dir.resolve("instance-2.log"));
            }
        }
        throw new CommandFailedException("no reply within " + RECOVERY_TIMEOUT.toMinutes()
                + " min of the kill; see " + dir.resolve("instance-2.log"));
    }

    private static void stop(Process instance) throws InterruptedException {
        instance.destroy();
        if (!instance.waitFor(60, TimeUnit.SECONDS)) {
            instance.destroyForcibly();
        }
    }

    private Properties clientProperties() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        return properties;
    }

    /** The replies topic: the restarted instance's answer to the new turn stays there after the trial. */
    public String repliesTopic() {
        return prefix + "conversation-replies";
    }

    /** The directory of this trial's state and the instances' logs ({@code instance-1.log}, {@code -2.log}). */
    public Path directory() {
        return dir;
    }

    /** The id of the {@code i}th conversation filled; the new turn goes to {@code conversationId(0)}. */
    public static String conversationId(int i) {
        return String.format(Locale.ROOT, "recovery-%08d", i);
    }

    /** Seconds from {@code from} to the time stamp ({@code HH:mm:ss.SSS}) that starts {@code logLine}. */
    private static double secondsAfter(LocalTime from, Optional<String> logLine) {
        if (logLine.isEmpty() || logLine.get().length() < 12) {
            return Double.NaN;
        }
        try {
            LocalTime at = LocalTime.parse(logLine.get().substring(0, 12));
            return Duration.between(from, at).toMillis() / 1000.0;
        } catch (java.time.format.DateTimeParseException e) {
            return Double.NaN;
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static long sizeOf(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * The application's log settings, plus the restore reader at INFO: its "Finished restoring changelog ... with a
     * total number of N records" lines are what the bench reports as restored.
     */
    public static void writeInstanceLogback(Path file) throws IOException {
        Files.writeString(file, """
                <configuration>
                  <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
                  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.apache.kafka" level="WARN"/>
                  <logger name="org.apache.kafka.streams.processor.internals.StoreChangelogReader" level="INFO"/>
                  <logger name="kafka" level="WARN"/>
                  <logger name="state.change.logger" level="WARN"/>
                  <logger name="org.apache.kafka.clients.NetworkClient" level="ERROR"/>
                  <root level="WARN"><appender-ref ref="STDERR"/></root>
                </configuration>
                """, StandardCharsets.UTF_8);
    }
}
