package io.wmstream.model.bench;

import ai.onnxruntime.OrtEnvironment;
import io.wmstream.model.ConversationModel;
import io.wmstream.model.Device;
import io.wmstream.model.ModelRuntimeConfig;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.model.bundle.ModelBundle;
import io.wmstream.model.inference.OnnxConversationModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Model throughput and latency: utterances per second and p50/p99 per call at several batch sizes, for encoding
 * alone and for encoding plus a reply of up to 24 tokens, after a warm-up. Prints a Markdown table; asserts
 * nothing. Options: {@code --model-dir DIR}, {@code --device auto|cpu|cuda|cuda:N}, {@code --threads N}
 * (ONNX Runtime intra-op threads, default 2), {@code --callers N} (threads calling the model at once, each with
 * its own batches, default 1), {@code --parallel N} (model calls one batch is dealt into, run at once, default 1),
 * {@code --batches 1,8,32,64,128}, {@code --seconds S} (measured time per row,
 * default 3), {@code --reply-tokens N} (default 24).
 */
public final class ModelBenchmark {
    private ModelBenchmark() {
    }

    /** One measured row of the table: a mode (encode, or encode + reply) at one batch size. */
    public record Row(String mode, int batch, long calls, long utterances, long replyTokens, double seconds,
            double minMs, double p50Ms, double p99Ms) {
        /** Utterances advanced per second of wall time. */
        public double utterancesPerSecond() {
            return utterances / seconds;
        }
    }

    public static void main(String[] args) {
        String modelDir = null;
        String device = "cpu";
        int threads = 2;
        int callers = 1;
        int parallel = 1;
        int[] batches = {1, 8, 32, 64, 128};
        double seconds = 3;
        int replyTokens = 24;
        int beamWidth = ModelRuntimeConfig.DEFAULT_BEAM_WIDTH;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--model-dir" -> modelDir = value;
                case "--device" -> device = value;
                case "--threads" -> threads = Integer.parseInt(value);
                case "--callers" -> callers = Integer.parseInt(value);
                case "--parallel" -> parallel = Integer.parseInt(value);
                case "--batches" -> batches = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Double.parseDouble(value);
                case "--reply-tokens" -> replyTokens = Integer.parseInt(value);
                case "--beam-width" -> beamWidth = Integer.parseInt(value);
                case "--help" -> {
                    System.out.println("ModelBenchmark [--model-dir DIR] [--device auto|cpu|cuda|cuda:N]"
                            + " [--threads N] [--callers N] [--parallel N] [--batches 1,8,32,64,128] [--seconds S]"
                            + " [--reply-tokens N] [--beam-width N]");
                    return;
                }
                default -> throw new IllegalArgumentException("Unknown option " + args[i] + " (try --help)");
            }
            i++;
        }
        ModelBundle bundle = ModelBundle.fromSetting(modelDir);
        ModelRuntimeConfig config = ModelRuntimeConfig.builder().device(Device.parse(device)).intraOpThreads(threads)
                .parallelCalls(parallel).maxReplyTokens(replyTokens).beamWidth(beamWidth).build();
        try (OnnxConversationModel model = OnnxConversationModel.open(bundle, config)) {
            System.out.printf(Locale.ROOT, "model %s %s (L=%d, H=%d, V=%d) on %s, ONNX Runtime %s, %d intra-op "
                    + "thread(s), %d parallel call(s) per batch, %d calling thread(s), %d available processor(s), "
                    + "%.1f s per row, beam width %d%n",
                    model.info().name(), model.info().version(), model.info().layers(), model.info().hiddenSize(),
                    model.info().vocabularySize(), model.device(), OrtEnvironment.getEnvironment().getVersion(),
                    threads, parallel, callers, Runtime.getRuntime().availableProcessors(), seconds, beamWidth);
            List<Row> rows = new ArrayList<>();
            run(model, batches, seconds, callers, row -> {
                rows.add(row);
                System.out.println(format(row, rows));
            });
            System.out.println();
            System.out.println(table(rows));
        }
    }

    /**
     * Measures encode-only and encode + reply (up to the model's {@code maxReplyTokens}) at each batch size, after
     * a warm-up, {@code seconds} each, with {@code callers} threads calling the shared model at once (as Kafka
     * Streams threads do); every row is handed to {@code sink} as soon as it is measured.
     */
    public static void run(OnnxConversationModel model, int[] batches, double seconds, int callers,
            Consumer<Row> sink) {
        run(model, batches, seconds, callers, new boolean[] {false, true}, sink);
    }

    /** As {@link #run(OnnxConversationModel, int[], double, int, Consumer)}, encode + reply only. */
    public static void runReplies(OnnxConversationModel model, int[] batches, double seconds, int callers,
            Consumer<Row> sink) {
        run(model, batches, seconds, callers, new boolean[] {true}, sink);
    }

    private static void run(OnnxConversationModel model, int[] batches, double seconds, int callers, boolean[] modes,
            Consumer<Row> sink) {
        List<Workload> workloads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            workloads.add(new Workload(model, "caller-" + c + "-"));
        }
        for (boolean reply : modes) {
            String mode = reply ? "encode + reply (<= " + model.config().maxReplyTokens() + " tokens)" : "encode";
            for (int batch : batches) {
                sink.accept(measure(model, workloads, mode, batch, reply, seconds));
            }
        }
    }

    /** Warm-up calls, then calls for at least {@code seconds} (and at least 5 per caller). */
    static Row measure(OnnxConversationModel model, List<Workload> workloads, String mode, int batch,
            boolean reply, double seconds) {
        long warmUntil = System.nanoTime() + (long) (Math.min(1.0, seconds / 3) * 1e9);
        List<Callable<long[]>> warmUps = new ArrayList<>();
        List<List<Long>> latencies = new ArrayList<>();
        for (Workload workload : workloads) {
            List<Long> own = new ArrayList<>();
            latencies.add(own);
            warmUps.add(() -> calls(model, workload, batch, reply, warmUntil, 2, new ArrayList<>()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(workloads.size());
        try {
            invokeAll(pool, warmUps);
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            List<Callable<long[]>> timed = new ArrayList<>();
            for (int c = 0; c < workloads.size(); c++) {
                Workload workload = workloads.get(c);
                List<Long> own = latencies.get(c);
                timed.add(() -> calls(model, workload, batch, reply, end, 5, own));
            }
            long utterances = 0;
            long replyTokens = 0;
            for (long[] counts : invokeAll(pool, timed)) {
                utterances += counts[0];
                replyTokens += counts[1];
            }
            double total = (System.nanoTime() - start) / 1e9;
            long[] sorted = latencies.stream().flatMap(List::stream).mapToLong(Long::longValue).sorted().toArray();
            if (reply && replyTokens == 0) {
                throw new IllegalStateException("no reply tokens were generated");
            }
            return new Row(mode, batch, sorted.length, utterances, replyTokens, total, sorted[0] / 1e6,
                    percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Calls until {@code until} (nanoTime) and at least {@code atLeast} times; returns utterances, reply tokens. */
    private static long[] calls(OnnxConversationModel model, Workload workload, int batch, boolean reply, long until,
            int atLeast, List<Long> latencies) {
        long utterances = 0;
        long replyTokens = 0;
        int calls = 0;
        while (calls < atLeast || System.nanoTime() < until) {
            List<TurnRequest> requests = workload.next(batch, reply);
            long t0 = System.nanoTime();
            List<TurnResult> results = model.advance(requests);
            latencies.add(System.nanoTime() - t0);
            calls++;
            utterances += requests.size();
            for (TurnResult result : results) {
                replyTokens += result.reply() == null ? 0 : result.reply().tokenCount();
            }
        }
        return new long[] {utterances, replyTokens};
    }

    private static List<long[]> invokeAll(ExecutorService pool, List<Callable<long[]>> tasks) {
        List<long[]> out = new ArrayList<>();
        try {
            for (Future<long[]> future : pool.invokeAll(tasks)) {
                out.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Benchmark interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A benchmark call failed: " + e.getCause(), e.getCause());
        }
        return out;
    }

    private static double percentile(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** The rows as a Markdown table. */
    public static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| mode | batch | utterances/s | x batch 1 | p50 ms/call | p99 ms/call | min ms/call "
                + "| reply tokens/utterance | calls |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append(format(row, rows)).append('\n');
        }
        return out.toString();
    }

    private static String format(Row row, List<Row> rows) {
        double base = rows.stream().filter(r -> r.mode().equals(row.mode()) && r.batch() == 1).findFirst()
                .map(Row::utterancesPerSecond).orElse(Double.NaN);
        return String.format(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.2f | %.2f | %.2f | %.1f | %d |", row.mode(),
                row.batch(), row.utterancesPerSecond(), row.utterancesPerSecond() / base, row.p50Ms(), row.p99Ms(),
                row.minMs(), (double) row.replyTokens() / row.utterances(), row.calls());
    }

    /**
     * Distinct conversations with real-looking utterances and prior memories; every call a new turn. The memories
     * are the model's own: each of {@link #CONVERSATIONS} conversations has had {@link #PRIOR_TURNS} user turns
     * answered, as the pipeline's conversations have, so replies are as long as the pipeline's (random states
     * made replies a quarter shorter than those of the pipeline, and the ceiling too optimistic).
     */
    static final class Workload {
        static final int CONVERSATIONS = 256;
        static final int PRIOR_TURNS = 3;

        private final List<String[]> utterances = SampleUtterances.generate(4096, 1);
        private final List<float[]> states = new ArrayList<>();
        private final String prefix;
        private long turn;
        private int cursor;

        Workload(ConversationModel model, String prefix) {
            this.prefix = prefix;
            for (int first = 0; first < CONVERSATIONS; first += 64) {
                List<float[]> batch = new ArrayList<>();
                for (int i = first; i < Math.min(CONVERSATIONS, first + 64); i++) {
                    batch.add(null);
                }
                for (int t = 0; t < PRIOR_TURNS; t++) {
                    List<TurnRequest> requests = new ArrayList<>(batch.size());
                    for (int i = 0; i < batch.size(); i++) {
                        String[] utterance = utterances.get(cursor++ % utterances.size());
                        requests.add(new TurnRequest(prefix + "prior-" + (first + i), t, batch.get(i), "user",
                                utterance[1], true));
                    }
                    List<TurnResult> results = model.advance(requests);
                    for (int i = 0; i < batch.size(); i++) {
                        batch.set(i, results.get(i).state());
                    }
                }
                states.addAll(batch);
            }
        }

        List<TurnRequest> next(int batch, boolean reply) {
            turn++;
            List<TurnRequest> out = new ArrayList<>(batch);
            for (int b = 0; b < batch; b++) {
                String[] utterance = utterances.get(cursor++ % utterances.size());
                out.add(new TurnRequest(prefix + b, PRIOR_TURNS + turn, states.get((int) ((turn * 31 + b)
                        % states.size())), "user", utterance[1], reply));
            }
            return out;
        }
    }
}
