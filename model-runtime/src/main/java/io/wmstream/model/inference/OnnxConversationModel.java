package io.wmstream.model.inference;

import ai.onnxruntime.OrtEnvironment;
import io.wmstream.model.ConversationModel;
import io.wmstream.model.GeneratedReply;
import io.wmstream.model.ModelFailureException;
import io.wmstream.model.ModelInfo;
import io.wmstream.model.ModelRuntimeConfig;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.model.bundle.BundleManifest;
import io.wmstream.model.bundle.ModelBundle;
import io.wmstream.model.decoding.DecodingStrategy;
import io.wmstream.model.decoding.LoopGuard;
import io.wmstream.model.decoding.ReplyRandom;
import io.wmstream.model.decoding.TokenPicker;
import io.wmstream.model.tokenizer.WordTokenizer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ConversationModel} on ONNX Runtime: batched, chunked encoding of utterances and lockstep batched reply
 * decoding over one step graph.
 *
 * <p>For each request, {@link #advance(List)} reads {@code <role> text <eou>} into the state (zeros when null);
 * for a request with {@code reply}, it then feeds the start token ({@code <system>}) and generates greedily or by
 * sampling until the stop token ({@code <eou>}), {@code maxReplyTokens}, or a degenerate loop (cut back to one
 * copy). With feedback on, the stored state has also read {@code <system> reply <eou>}, so the next utterance
 * follows the reply as in training. {@link TurnResult#utteranceTokens()} counts every token read for the
 * utterance, role and end tokens included; {@link TurnResult#memoryShift()} is the L2 distance between the state
 * before and right after the utterance.
 *
 * <p>Every row of every call is computed from its own inputs only: chunk boundaries depend on the row's length
 * alone, sampling seeds on (conversationId, turn) alone, and finished rows leave the batch; ONNX Runtime's CPU
 * kernels compute rows independently, so results are bitwise the same in any batch (BatchInvarianceTest).
 * Thread-safe: calls from several threads share the session and each borrow their own {@link Workspace}.
 */
public final class OnnxConversationModel implements ConversationModel {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxConversationModel.class);

    private final ModelBundle bundle;
    private final ModelRuntimeConfig config;
    private final ModelInfo info;
    private final WordTokenizer tokenizer;
    private final StepGraph graph;
    private final String device;
    private final int layers;
    private final int hidden;
    private final int vocabulary;
    private final int padId;
    private final int startToken;
    private final int stopToken;
    private final int eouId;
    private final int[] suppressed;
    private final ConcurrentLinkedDeque<Workspace> workspaces = new ConcurrentLinkedDeque<>();
    private final List<Workspace> allWorkspaces = new ArrayList<>();
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Runs the second and later parts of a batch dealt into parallel calls; null with one call. */
    private final ExecutorService parallel;
    private boolean closed;

    private OnnxConversationModel(ModelBundle bundle, ModelRuntimeConfig config) {
        this.bundle = bundle;
        this.config = config;
        this.info = bundle.info();
        this.tokenizer = bundle.tokenizer();
        this.layers = info.layers();
        this.hidden = info.hiddenSize();
        this.vocabulary = info.vocabularySize();
        this.padId = bundle.tokenizerSpec().padId();
        this.eouId = bundle.tokenizerSpec().eouId();
        BundleManifest.Decoding decoding = bundle.manifest().decoding();
        this.startToken = decoding.startToken();
        this.stopToken = decoding.stopToken();
        this.suppressed = decoding.suppressTokens().stream().mapToInt(Integer::intValue).toArray();
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        SessionFactory.Opened opened = SessionFactory.open(environment, bundle, config, this::warmUp, LOG::debug);
        this.graph = opened.graph();
        this.device = opened.device();
        this.parallel = config.parallelCalls() > 1 ? Executors.newFixedThreadPool(config.parallelCalls() - 1,
                new CallThreads(info.name())) : null;
        LOG.info("Model {} {} ({} layer(s), hidden {}, vocabulary {}) from {} runs on {} ({}); {} intra-op and {} "
                + "inter-op thread(s), spinning {}, {} parallel call(s), encoding on {}", info.name(), info.version(),
                layers, hidden, vocabulary, bundle.source(), device, opened.reason(), config.intraOpThreads(),
                config.interOpThreads(), config.spinning() ? "on" : "off", config.parallelCalls(),
                graph.hasStateGraph() ? "the graph pruned to its state" : "the full graph");
    }

    /**
     * Opens the bundle's graph on the configured device. Throws {@link io.wmstream.model.bundle.InvalidBundleException}
     * when the graph does not match the manifest and {@link io.wmstream.model.DeviceUnavailableException} when a
     * strict {@code cuda} device cannot be used.
     */
    public static OnnxConversationModel open(ModelBundle bundle, ModelRuntimeConfig config) {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(config, "config");
        return new OnnxConversationModel(bundle, config);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** Where the graph runs: {@code cpu} or {@code cuda:N}. */
    public String device() {
        return device;
    }

    public ModelRuntimeConfig config() {
        return config;
    }

    public WordTokenizer tokenizer() {
        return tokenizer;
    }

    public ModelBundle bundle() {
        return bundle;
    }

    /** The step graph, for tests that compare its pruned and full forms. */
    StepGraph graph() {
        return graph;
    }

    @Override
    public List<TurnResult> advance(List<TurnRequest> batch) {
        Objects.requireNonNull(batch, "batch");
        int parts = Math.min(config.parallelCalls(), batch.size() / ModelRuntimeConfig.MIN_ROWS_PER_CALL);
        if (parts <= 1) {
            return advanceInOneCall(batch);
        }
        return advanceInParallel(batch, parts);
    }

    /**
     * Deals the rows into {@code parts} calls, replying and not replying rows each round-robin so that every call
     * has about the same work, runs them at once (the first on this thread) and puts the results back in order.
     */
    private List<TurnResult> advanceInParallel(List<TurnRequest> batch, int parts) {
        List<List<Integer>> rows = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            rows.add(new ArrayList<>());
        }
        int replying = 0;
        int silent = 0;
        for (int i = 0; i < batch.size(); i++) {
            rows.get(batch.get(i).reply() ? replying++ % parts : (parts - 1 - silent++ % parts)).add(i);
        }
        List<Future<List<TurnResult>>> others = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            List<TurnRequest> part = rows.get(p).stream().map(batch::get).toList();
            others.add(parallel.submit(() -> advanceInOneCall(part)));
        }
        TurnResult[] results = new TurnResult[batch.size()];
        try {
            place(results, rows.get(0), advanceInOneCall(rows.get(0).stream().map(batch::get).toList()));
            for (int p = 1; p < parts; p++) {
                place(results, rows.get(p), others.get(p - 1).get());
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ModelFailureException("A parallel model call failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelFailureException("Interrupted while waiting for a parallel model call", e);
        } finally {
            others.forEach(future -> future.cancel(false));
        }
        return List.of(results);
    }

    private static void place(TurnResult[] results, List<Integer> rows, List<TurnResult> partResults) {
        for (int k = 0; k < rows.size(); k++) {
            results[rows.get(k)] = partResults.get(k);
        }
    }

    private List<TurnResult> advanceInOneCall(List<TurnRequest> batch) {
        int stateSize = info.stateSize();
        int n = batch.size();
        float[][] before = new float[n][];
        int[][] utterances = new int[n][];
        for (int i = 0; i < n; i++) {
            TurnRequest request = batch.get(i);
            if (request.state() != null && request.state().length != stateSize) {
                throw new IllegalArgumentException("Request " + i + " (conversation " + request.conversationId()
                        + ") has a state of " + request.state().length + " floats; model " + info.name() + " "
                        + info.version() + " needs " + stateSize + " (" + layers + " x " + hidden + ")");
            }
            before[i] = request.state() == null ? new float[stateSize] : request.state();
            utterances[i] = tokenizer.encodeUtterance(request.speaker(), request.text());
        }
        return withWorkspace(workspace -> {
            float[][] after = copy(before);
            encode(workspace, after, utterances);
            List<Integer> replyRows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (batch.get(i).reply()) {
                    replyRows.add(i);
                }
            }
            int[][] replies = new int[n][];
            float[][] stored = after;
            if (!replyRows.isEmpty()) {
                int m = replyRows.size();
                float[][] replyStates = new float[m][];
                ReplyRandom[] randoms = new ReplyRandom[m];
                for (int k = 0; k < m; k++) {
                    TurnRequest request = batch.get(replyRows.get(k));
                    replyStates[k] = after[replyRows.get(k)].clone();
                    randoms[k] = config.strategy() == DecodingStrategy.SAMPLE
                            ? ReplyRandom.forTurn(request.conversationId(), request.turn()) : null;
                }
                int[][] closing = new int[m][];
                boolean[] fromStart = new boolean[m];
                int[][] generated = decode(workspace, replyStates, randoms, closing, fromStart);
                for (int k = 0; k < m; k++) {
                    replies[replyRows.get(k)] = generated[k];
                }
                if (config.feedback()) {
                    stored = new float[n][];
                    System.arraycopy(after, 0, stored, 0, n);
                    for (int k = 0; k < m; k++) {
                        int row = replyRows.get(k);
                        stored[row] = fromStart[k] ? after[row].clone() : replyStates[k];
                        replyStates[k] = stored[row];
                    }
                    encode(workspace, replyStates, closing);
                }
            }
            List<TurnResult> results = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                GeneratedReply reply = replies[i] == null ? null
                        : new GeneratedReply(tokenizer.decode(replies[i]), replies[i].length);
                results.add(new TurnResult(stored[i], distance(before[i], after[i]), utterances[i].length, reply));
            }
            return results;
        });
    }

    /** The reply as the conversation stream holds it: start token, reply tokens, end of utterance. */
    private int[] replyUtterance(int[] reply) {
        int[] out = new int[reply.length + 2];
        out[0] = startToken;
        System.arraycopy(reply, 0, out, 1, reply.length);
        out[out.length - 1] = eouId;
        return out;
    }

    /**
     * Reads each row's token sequence into its state, in place. Pieces of at most {@code chunkTokens} tokens, cut
     * at the same offsets whatever the batch; in each round the rows are grouped by piece length so that a call
     * pads little ({@link #slack(int)}), as the graph computes padded positions too. Each row's
     * result depends only on its own tokens and state: the grouping changes which rows share a call, not what
     * is computed for a row.
     */
    void encode(Workspace workspace, float[][] states, int[][] sequences) {
        int rows = states.length;
        int chunk = config.chunkTokens();
        int[] offsets = new int[rows];
        long[] order = new long[rows];
        int[] group = new int[rows];
        while (true) {
            int count = 0;
            for (int r = 0; r < rows; r++) {
                int remaining = sequences[r].length - offsets[r];
                if (remaining > 0) {
                    order[count++] = ((long) Math.min(chunk, remaining) << 32) | r;
                }
            }
            if (count == 0) {
                return;
            }
            Arrays.sort(order, 0, count);
            // Longest pieces first; a call takes the rows whose padding stays within the slack of its longest.
            int end = count;
            while (end > 0) {
                int time = (int) (order[end - 1] >>> 32);
                int start = end - 1;
                while (start > 0 && time - (int) (order[start - 1] >>> 32) <= slack(time)) {
                    start--;
                }
                int size = end - start;
                workspace.ensure(size, time);
                LongBuffer tokens = workspace.tokens();
                LongBuffer lengths = workspace.lengths();
                for (int b = 0; b < size; b++) {
                    int r = (int) order[start + b];
                    group[b] = r;
                    int length = (int) (order[start + b] >>> 32);
                    for (int t = 0; t < time; t++) {
                        tokens.put(b * time + t, t < length ? sequences[r][offsets[r] + t] : padId);
                    }
                    lengths.put(b, length);
                    offsets[r] += length;
                }
                run(workspace, states, group, size, time, false);
                end = start;
            }
        }
    }

    /**
     * Padding positions a row may have in a call of {@code time}: a quarter of it, and at least 4 (padding a few
     * positions costs less than another call).
     */
    static int slack(int time) {
        return Math.max(4, time / 4);
    }

    /**
     * Lockstep greedy or sampled decoding of one reply per state; rows leave the batch as they finish. On return,
     * {@code closing[r]} holds what the row must still read for the conversation stream to hold its reply as
     * {@code <system> reply <eou>}, and {@code closingFromStart[r]} whether that is to be read from the state
     * before the reply (a reply cut back for a loop) instead of from {@code states[r]}.
     */
    int[][] decode(Workspace workspace, float[][] states, ReplyRandom[] randoms, int[][] closing,
            boolean[] closingFromStart) {
        int rows = states.length;
        int max = config.maxReplyTokens();
        int[][] generated = new int[rows][max];
        int[] counts = new int[rows];
        int[] next = new int[rows];
        int[] active = new int[rows];
        boolean[] done = new boolean[rows];
        Arrays.fill(next, startToken);
        TokenPicker picker = workspace.picker();
        while (true) {
            int count = 0;
            for (int r = 0; r < rows; r++) {
                if (!done[r]) {
                    active[count++] = r;
                }
            }
            if (count == 0) {
                break;
            }
            workspace.ensure(count, 1);
            LongBuffer tokens = workspace.tokens();
            LongBuffer lengths = workspace.lengths();
            for (int b = 0; b < count; b++) {
                tokens.put(b, next[active[b]]);
                lengths.put(b, 1);
            }
            run(workspace, states, active, count, 1, true);
            FloatBuffer logits = workspace.logits();
            for (int b = 0; b < count; b++) {
                int r = active[b];
                int token = randoms[r] == null ? picker.greedy(logits, b * vocabulary)
                        : picker.sample(logits, b * vocabulary, config.temperature(), config.topK(), config.topP(),
                                randoms[r]);
                if (token == stopToken) {
                    // The state has read <system> and every reply token.
                    done[r] = true;
                    closing[r] = new int[] {eouId};
                    continue;
                }
                generated[r][counts[r]++] = token;
                int cut = config.loopRepeats() == 0 ? -1
                        : LoopGuard.cutLength(generated[r], counts[r], config.loopRepeats());
                if (cut >= 0) {
                    // The state has read repeats the reply no longer has: read the kept reply again.
                    counts[r] = cut;
                    done[r] = true;
                    closing[r] = replyUtterance(Arrays.copyOf(generated[r], cut));
                    closingFromStart[r] = true;
                } else if (counts[r] == max) {
                    done[r] = true;
                    closing[r] = new int[] {token, eouId};
                } else {
                    next[r] = token;
                }
            }
        }
        int[][] out = new int[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOf(generated[r], counts[r]);
        }
        return out;
    }

    /**
     * One call over {@code active[0..count)}: their states in, the new states back into {@code states}, and their
     * logits into the workspace when {@code withLogits}.
     */
    private void run(Workspace workspace, float[][] states, int[] active, int count, int time,
            boolean withLogits) {
        FloatBuffer in = workspace.state();
        for (int l = 0; l < layers; l++) {
            for (int b = 0; b < count; b++) {
                in.put((l * count + b) * hidden, states[active[b]], l * hidden, hidden);
            }
        }
        graph.run(workspace, count, time, withLogits);
        FloatBuffer out = workspace.stateOut();
        for (int l = 0; l < layers; l++) {
            for (int b = 0; b < count; b++) {
                out.get((l * count + b) * hidden, states[active[b]], l * hidden, hidden);
            }
        }
    }

    /**
     * One raw call of the step graph: {@code tokens} [B][T] (rows padded to T), {@code lengths} [B] and
     * {@code state} [L,B,H] row-major. For tests and tools; {@link #advance(List)} is the hot path.
     */
    public StepOutput step(long[][] tokens, long[] lengths, float[] state) {
        int rows = tokens.length;
        int time = rows == 0 ? 0 : tokens[0].length;
        if (rows == 0 || lengths.length != rows || state.length != layers * rows * hidden) {
            throw new IllegalArgumentException("step needs B >= 1 rows of equal length T, B lengths and L*B*H = "
                    + layers + "*" + rows + "*" + hidden + " state floats; got " + rows + " rows, " + lengths.length
                    + " lengths, " + state.length + " floats");
        }
        return withWorkspace(workspace -> {
            workspace.ensure(rows, time);
            for (int b = 0; b < rows; b++) {
                if (tokens[b].length != time) {
                    throw new IllegalArgumentException("Row " + b + " has " + tokens[b].length + " tokens; row 0 has "
                            + time);
                }
                workspace.tokens().put(b * time, tokens[b]);
                workspace.lengths().put(b, lengths[b]);
            }
            workspace.state().put(0, state);
            graph.run(workspace, rows, time, true);
            float[] logits = new float[rows * vocabulary];
            float[] stateOut = new float[state.length];
            workspace.logits().get(0, logits);
            workspace.stateOut().get(0, stateOut);
            return new StepOutput(rows, logits, stateOut);
        });
    }

    /**
     * One call on the device; NaN logits fail it. When the graph has a state-only copy, it must give bit for bit
     * the full graph's states on the same rows (two rows of different lengths), or it is not used.
     */
    private void warmUp(StepGraph opened) {
        Workspace workspace = new Workspace(OrtEnvironment.getEnvironment(), layers, hidden, vocabulary, suppressed);
        try {
            int rows = 2;
            int time = 3;
            workspace.ensure(rows, time);
            long[] tokens = {startToken, eouId, startToken, startToken, eouId, padId};
            workspace.tokens().put(0, tokens);
            workspace.lengths().put(0, time).put(1, time - 1);
            for (int i = 0; i < layers * rows * hidden; i++) {
                workspace.state().put(i, (i % 7 - 3) / 8f);
            }
            opened.run(workspace, rows, time, true);
            float value = workspace.logits().get(0);
            if (Float.isNaN(value)) {
                throw new ModelFailureException("The warm-up call returned NaN logits");
            }
            if (opened.hasStateGraph()) {
                float[] full = new float[layers * rows * hidden];
                workspace.stateOut().get(0, full);
                opened.run(workspace, rows, time, false);
                float[] pruned = new float[full.length];
                workspace.stateOut().get(0, pruned);
                if (!Arrays.equals(full, pruned)) {
                    LOG.warn("Model {}: the graph pruned to its state disagrees with the full graph; encoding runs "
                            + "the full graph", info.name());
                    opened.dropStateGraph();
                }
            }
        } finally {
            workspace.close();
        }
    }

    /** Work with a borrowed workspace; no two threads ever hold the same one. */
    private <T> T withWorkspace(Function<Workspace, T> work) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("Model " + info.name() + " is closed");
            }
            Workspace workspace = workspaces.pollFirst();
            if (workspace == null) {
                workspace = new Workspace(OrtEnvironment.getEnvironment(), layers, hidden, vocabulary, suppressed);
                synchronized (allWorkspaces) {
                    allWorkspaces.add(workspace);
                }
            }
            try {
                return work.apply(workspace);
            } finally {
                workspaces.addFirst(workspace);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Daemon threads named for the model, so a thread dump says what they are and they never hold a JVM open. */
    private static final class CallThreads implements ThreadFactory {
        private final String model;
        private final AtomicInteger count = new AtomicInteger();

        CallThreads(String model) {
            this.model = model;
        }

        @Override
        public Thread newThread(Runnable work) {
            Thread thread = new Thread(work, "wm-model-" + model + "-call-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }

    private static float[][] copy(float[][] states) {
        float[][] out = new float[states.length][];
        for (int i = 0; i < states.length; i++) {
            out[i] = states[i].clone();
        }
        return out;
    }

    /** L2 distance, accumulated in double in index order. */
    static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            synchronized (allWorkspaces) {
                allWorkspaces.forEach(Workspace::close);
                allWorkspaces.clear();
            }
            workspaces.clear();
            if (parallel != null) {
                parallel.shutdownNow();
            }
            graph.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
