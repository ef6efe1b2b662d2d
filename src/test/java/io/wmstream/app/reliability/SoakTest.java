package io.wmstream.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.BasicStroke;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15, point 7, not in the default run: {@code mvn -B verify -Psoak -pl src -am} (or with
 * {@code -Dwm.soak.minutes=N}; 30 by default). One instance on a broker of its own first takes a backlog as fast as
 * it can (its saturation rate), then gets half of that rate of new conversations (each 30 turns and an end) for the
 * soak; every 30 s it samples heap after a full GC, RSS, the state directory's size and the input lag, writing
 * {@code src/target/soak/soak.csv} and {@code soak.png}. After a warm-up of a third of the time, none of them may
 * keep growing: the last third's mean must stay within 1.5 times the middle third's (lag: within one sample of
 * traffic).
 */
@Tag("soak")
class SoakTest {
    private static final Duration SAMPLE = Duration.ofSeconds(30);

    @RegisterExtension
    static final StandaloneBrokerExtension BROKER = new StandaloneBrokerExtension();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Timeout(value = 6, unit = TimeUnit.HOURS)
    void shouldKeepHeapRssStateAndLagFlatAtHalfOfSaturation() throws Exception {
        int minutes = Integer.getInteger("wm.soak.minutes", 30);
        Path out = Files.createDirectories(Path.of(System.getProperty("user.dir"), "target", "soak"));
        Path work = Files.createTempDirectory("wm-soak-");
        try (LiveCluster cluster = new LiveCluster(BROKER.broker().bootstrapServers(), "soak", 4, work);
                CommittedRecords replies = cluster.committed("conversation-replies")) {
            AppInstance instance = cluster.instance("soak-a");
            instance.start();
            URI base = instance.awaitHttp(Duration.ofMinutes(3));

            // Given the instance's saturation rate: a backlog of 4,000 utterances taken as fast as it can
            List<SyntheticConversations.Line> backlog = SyntheticConversations.interleaved("warm", 200, 20, 1L,
                    System.currentTimeMillis());
            long started = System.nanoTime();
            cluster.produce(backlog);
            replies.awaitCount(SyntheticConversations.userLines(backlog), Duration.ofMinutes(10));
            double saturation = backlog.size() / ((System.nanoTime() - started) / 1e9);
            double rate = saturation / 2;

            // When it gets half of that rate for the soak, sampled every 30 s
            Traffic traffic = new Traffic(cluster, rate);
            Thread sender = new Thread(traffic, "soak-traffic");
            sender.setDaemon(true);
            sender.start();
            List<double[]> samples = new ArrayList<>();
            long soakStart = System.nanoTime();
            long end = soakStart + Duration.ofMinutes(minutes).toNanos();
            StringBuilder csv = new StringBuilder("seconds,heap_after_gc_mb,rss_mb,state_dir_mb,input_lag,sent\n");
            while (System.nanoTime() < end) {
                Thread.sleep(SAMPLE.toMillis());
                assertThat(instance.alive()).as("instance alive: %s", instance.stderrTail()).isTrue();
                double[] sample = {(System.nanoTime() - soakStart) / 1e9, heapAfterGcMb(instance, base),
                    rssMb(instance), directoryMb(instance.stateDir()), cluster.inputLag(), traffic.sent()};
                samples.add(sample);
                csv.append(String.format(Locale.ROOT, "%.0f,%.1f,%.1f,%.1f,%.0f,%.0f%n", sample[0], sample[1],
                        sample[2], sample[3], sample[4], sample[5]));
                Files.writeString(out.resolve("soak.csv"), csv);
            }
            traffic.stop();
            sender.join(10_000);
            chart(samples, out.resolve("soak.png"), saturation, rate);
            System.out.printf(Locale.ROOT, "RELIABILITY soak: %d min at %.0f utterances/s (saturation %.0f/s); "
                    + "samples in %s%n%s", minutes, rate, saturation, out.resolve("soak.csv"), csv);

            // Then nothing grows after the warm-up
            int third = samples.size() / 3;
            assertThat(third).as("samples per third").isGreaterThanOrEqualTo(1);
            for (int column = 1; column <= 3; column++) {
                double middle = mean(samples.subList(third, 2 * third), column);
                double last = mean(samples.subList(2 * third, samples.size()), column);
                assertThat(last).as("column %d: last third against the middle one", column)
                        .isLessThanOrEqualTo(1.5 * middle);
            }
            assertThat(mean(samples.subList(2 * third, samples.size()), 4)).as("input lag")
                    .isLessThanOrEqualTo(rate * SAMPLE.toSeconds());
            instance.stop();
        } finally {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Used heap right after a full collection that {@code jcmd GC.run} asked for, from the JVM's own metrics. */
    private double heapAfterGcMb(AppInstance instance, URI base) throws Exception {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(instance.pid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor(60, TimeUnit.SECONDS);
        String metrics = http.send(HttpRequest.newBuilder(base.resolve("metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        double bytes = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return bytes / (1 << 20);
    }

    private static double rssMb(AppInstance instance) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(instance.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    private static double directoryMb(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / (double) (1 << 20);
        }
    }

    private static double mean(List<double[]> samples, int column) {
        return samples.stream().mapToDouble(s -> s[column]).average().orElse(Double.NaN);
    }

    private static void chart(List<double[]> samples, Path file, double saturation, double rate) throws IOException {
        String[] names = {"heap after GC (MB)", "RSS (MB)", "state directory (MB)", "input lag (records)"};
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("seconds"));
        for (int column = 1; column <= names.length; column++) {
            XYSeries series = new XYSeries(names[column - 1]);
            for (double[] sample : samples) {
                series.add(sample[0], sample[column]);
            }
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
            renderer.setSeriesStroke(0, new BasicStroke(2f));
            NumberAxis axis = new NumberAxis(names[column - 1]);
            axis.setAutoRangeIncludesZero(true);
            plot.add(new XYPlot(new XYSeriesCollection(series), null, axis, renderer));
        }
        JFreeChart chart = new JFreeChart(String.format(Locale.ROOT, "wmstream soak at %.0f utterances/s (half of "
                + "%.0f/s)", rate, saturation), JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 900);
    }

    /** New conversations at a steady rate: 30 turns each, then an end, 100 open at a time. */
    private static final class Traffic implements Runnable {
        private final LiveCluster cluster;
        private final double rate;
        private final Random random = new Random(7);
        private volatile boolean running = true;
        private volatile long sent;

        Traffic(LiveCluster cluster, double rate) {
            this.cluster = cluster;
            this.rate = rate;
        }

        @Override
        public void run() {
            int[] turns = new int[100];
            int[] ids = new int[100];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i;
            }
            int nextId = ids.length;
            long started = System.nanoTime();
            while (running) {
                // One second's worth at a time, sent together.
                List<SyntheticConversations.Line> lines = new ArrayList<>();
                long due = (long) (rate * (System.nanoTime() - started) / 1e9) - sent;
                for (long n = 0; n < due; n++) {
                    int slot = random.nextInt(ids.length);
                    String id = "soak-" + ids[slot];
                    int turn = turns[slot]++;
                    if (turn == 30) {
                        lines.add(new SyntheticConversations.Line(id, turn, false,
                                "{\"type\":\"end\",\"conversationId\":\"" + id + "\",\"turn\":30}"));
                        ids[slot] = nextId++;
                        turns[slot] = 0;
                    } else {
                        boolean user = turn % 2 == 0;
                        lines.add(new SyntheticConversations.Line(id, turn, user, SyntheticConversations.event(id,
                                turn, user ? "user" : "agent", "soak turn " + turn + " of " + id,
                                System.currentTimeMillis())));
                    }
                }
                if (!lines.isEmpty()) {
                    cluster.produce(lines);
                    sent += lines.size();
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long sent() {
            return sent;
        }

        void stop() {
            running = false;
        }
    }
}
