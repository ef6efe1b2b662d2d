package io.wmstream.model.inference;

import ai.onnxruntime.OrtEnvironment;
import io.wmstream.model.ConversationModel;
import io.wmstream.model.GeneratedReply;
import io.wmstream.model.ModelInfo;
import io.wmstream.model.ModelRuntimeConfig;
import io.wmstream.model.StateReading;
import io.wmstream.model.TokenTags;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.model.bundle.BundleManifest;
import io.wmstream.model.bundle.ModelBundle;
import io.wmstream.model.decoding.DecodingStrategy;
import io.wmstream.model.decoding.RepeatBlocker;
import io.wmstream.model.decoding.ReplyRandom;
import io.wmstream.model.decoding.RequestSteering;
import io.wmstream.model.tokenizer.WordTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ConversationModel} on ONNX Runtime: batched, chunked encoding of utterances ({@link UtteranceEncoder})
 * and lockstep batched reply decoding ({@link ReplyDecoder}) over one step graph.
 *
 * <p>For each request, {@link #advance(List)} reads {@code <role> text <eou>} into the state (zeros when null);
 * for a request with {@code reply}, it then feeds the start token ({@code <system>}) and generates greedily, by
 * beam search or by sampling until the stop token ({@code <eou>}), {@code maxReplyTokens}, or a degenerate loop (cut
 * back to one copy), never repeating a word n-gram or a sentence; the reply text is in sentence case. With feedback
 * on, the stored state has also read {@code <system> reply <eou>}, so the next utterance follows the reply as in
 * training. {@link TurnResult#utteranceTokens()} counts every token read for the
 * utterance, role and end tokens included; {@link TurnResult#memoryShift()} is the L2 distance between the state
 * before and right after the utterance. With a tagger ({@link #tagger()}), {@link TurnResult#tags()} holds the
 * tag of every token of the utterance, read from the memory before it.
 *
 * <p>Every row of every call is computed from its own inputs only: chunk boundaries depend on the row's length
 * alone, sampling seeds on (conversationId, turn) alone, and finished rows leave the batch; ONNX Runtime's CPU
 * kernels compute rows independently, so results are bitwise the same in any batch (BatchInvarianceTest).
 * Thread-safe: calls from several threads share the session and each borrow their own {@link Workspace}.
 *
 * <p>Above 400 lines because it owns the session's life: loading, device choice, pruned graphs, workspaces and the
 * golden checks share its fields; encoding and decoding already live in their own classes.
 */
public final class OnnxConversationModel implements ConversationModel {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxConversationModel.class);
    /** A reply steered to nothing. */
    private static final int[] NO_TARGETS = new int[0];

    private final ModelBundle bundle;
    private final ModelRuntimeConfig config;
    private final ModelInfo info;
    private final WordTokenizer tokenizer;
    private final Optional<BundleManifest.Tagger> tagger;
    private final Optional<BundleManifest.StateHeads> stateHeads;
    /** The user's role token, which marks a user's utterance. */
    private final int userRoleId;
    /** The placeholder type of each state slot; empty without state heads. */
    private final List<String> slotTypes;
    private final StepGraph graph;
    private final String device;
    private final int layers;
    private final int hidden;
    private final int vocabulary;
    private final UtteranceEncoder encoder;
    private final ReplyDecoder decoder;
    private final RequestSteering steering;
    private final WorkspacePool workspaces;
    /** Runs the second and later parts of a batch dealt into parallel calls; null with one call. */
    private final ParallelCalls parallel;

    private OnnxConversationModel(ModelBundle bundle, ModelRuntimeConfig config) {
        this.bundle = bundle;
        this.config = config;
        this.info = bundle.info();
        this.tokenizer = bundle.tokenizer();
        this.tagger = bundle.tagger();
        this.stateHeads = bundle.stateHeads();
        this.userRoleId = bundle.manifest().tokenizer().roleTokens().getOrDefault("user", -1);
        this.slotTypes = stateHeads.map(h -> h.slots().stream().map(BundleManifest.StateHeads::typeOf).toList())
                .orElse(List.of());
        this.layers = info.layers();
        this.hidden = info.hiddenSize();
        this.vocabulary = info.vocabularySize();
        int pad = bundle.tokenizerSpec().padId();
        int eouId = bundle.tokenizerSpec().eouId();
        BundleManifest.Decoding decoding = bundle.manifest().decoding();
        int[] suppressed = decoding.suppressTokens().stream().mapToInt(Integer::intValue).toArray();
        String tagOutput = tagger.map(BundleManifest.Tagger::output).orElse(null);
        int tagClasses = tagger.map(t -> t.classes().size()).orElse(0);
        Workspace.StateOutputs stateOutputs = stateHeads.map(h -> new Workspace.StateOutputs(h.slotsOutput(),
                h.slotScores(), h.updatesOutput(), h.updateScores())).orElse(null);
        Supplier<Workspace> newWorkspace = () -> new Workspace(OrtEnvironment.getEnvironment(), layers, hidden,
                vocabulary, suppressed, tagOutput, tagClasses, stateOutputs);
        SessionFactory.Opened opened = SessionFactory.open(OrtEnvironment.getEnvironment(), bundle, config,
                new GraphWarmUp(info.name(), newWorkspace, decoding.startToken(), eouId, pad), LOG::debug);
        this.graph = opened.graph();
        this.device = opened.device();
        BatchedStep step = new BatchedStep(graph);
        this.encoder = new UtteranceEncoder(step, pad, config.chunkTokens(), tagClasses);
        List<String> words = bundle.tokenizerSpec().vocabulary();
        this.steering = stateHeads.map(h -> RequestSteering.of(h.requestTypes(), 2 * h.slots().size(),
                words::indexOf, config.requestBoost(), config.requestThreshold(), decoding.stopToken()))
                .orElse(RequestSteering.off());
        this.decoder = new ReplyDecoder(step, config, vocabulary, decoding.startToken(), decoding.stopToken(), eouId,
                new RepeatBlocker(words, decoding.stopToken(), config.noRepeatNgramSize()), steering);
        this.workspaces = new WorkspacePool(info.name(), newWorkspace);
        this.parallel = config.parallelCalls() > 1 ? new ParallelCalls(info.name(), config.parallelCalls()) : null;
        LOG.info("Model {} {} ({} layer(s), hidden {}, vocabulary {}{}) from {} runs on {} ({}); {} intra-op and {} "
                + "inter-op thread(s), spinning {}, {} parallel call(s), encoding on {}", info.name(), info.version(),
                layers, hidden, vocabulary, tagger.map(t -> ", tagger of " + t.classes().size() + " classes")
                        .orElse(", no tagger") + stateHeads.map(h -> ", dialogue state of " + h.slots().size()
                        + " slots").orElse(""), bundle.source(), device, opened.reason(), config.intraOpThreads(),
                config.interOpThreads(), config.spinning() ? "on" : "off", config.parallelCalls(),
                graph.hasStateGraph() ? "the graph pruned to " + StepGraph.encodingOutputs(bundle) : "the full graph");
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

    /** The bundle's fact tagger; empty when it has none (then no result carries tags). */
    public Optional<BundleManifest.Tagger> tagger() {
        return tagger;
    }

    @Override
    public boolean tracksDialogueState() {
        return stateHeads.isPresent();
    }

    /** The bundle's dialogue-state heads; empty when it has none (then no result carries a state reading). */
    public Optional<BundleManifest.StateHeads> stateHeads() {
        return stateHeads;
    }

    @Override
    public List<String> tagClasses() {
        return tagger.map(BundleManifest.Tagger::classes).orElse(List.of());
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
        return parallel.advance(batch, parts, this::advanceInOneCall);
    }

    /**
     * The tags of an encoded utterance ({@code <role> ids <eou>}, as {@link WordTokenizer#encodeUtterance} gives it)
     * read in one piece from {@code state} (zeros when null), as {@link #advance(List)} tags it; empty when the model
     * has no tagger.
     */
    public Optional<TokenTags> tag(int[] utteranceIds, float[] state) {
        Objects.requireNonNull(utteranceIds, "utteranceIds");
        if (tagger.isEmpty() || utteranceIds.length == 0) {
            return tagger.map(t -> TokenTags.none(t.classes()));
        }
        float[] start = checkedState(state, "the state");
        UtteranceEncoder.Tagged tagged = workspaces.withWorkspace(workspace -> encoder.encodeTagged(workspace,
                new float[][] {start.clone()}, new int[][] {utteranceIds}));
        List<String> tokens = new ArrayList<>(utteranceIds.length);
        for (int id : utteranceIds) {
            tokens.add(tokenizer.token(id));
        }
        return Optional.of(TokenTags.of(utteranceIds.clone(), tokens, tagged.tags()[0],
                tagged.factProbabilities()[0], tagger.get().classes(), tokenizer::join));
    }

    private StateReading reading(TokenTags tags, UtteranceEncoder.Tagged tagged, int row) {
        BundleManifest.StateHeads heads = stateHeads.orElseThrow();
        boolean user = tags.tokenIds().length > 0 && tags.tokenIds()[0] == userRoleId;
        return StateReading.decide(user, tags.values(), tagged.slotScores()[row], tagged.updateScores()[row],
                heads.slots(), slotTypes, heads.requestTypes());
    }

    /** Per reply row, the placeholders its reply is steered to: what a user's turn asked for. */
    private int[][] steeringTargets(List<TurnRequest> batch, int[][] utterances, UtteranceEncoder.Tagged tags,
            List<Integer> replyRows) {
        int[][] targets = new int[replyRows.size()][];
        if (!steering.active()) {
            Arrays.fill(targets, NO_TARGETS);
            return targets;
        }
        for (int k = 0; k < targets.length; k++) {
            int row = replyRows.get(k);
            boolean user = utterances[row].length > 0 && utterances[row][0] == userRoleId;
            targets[k] = user && tags != null && tags.updateScores() != null
                    ? steering.targets(tags.updateScores()[row]) : NO_TARGETS;
        }
        return targets;
    }

    private List<TurnResult> advanceInOneCall(List<TurnRequest> batch) {
        int n = batch.size();
        float[][] before = new float[n][];
        int[][] utterances = new int[n][];
        // With a tagger the token strings and their places in the text are kept too: the tagged values are read
        // from them.
        List<WordTokenizer.Spans> texts = tagger.isPresent() ? new ArrayList<>(n) : null;
        for (int i = 0; i < n; i++) {
            TurnRequest request = batch.get(i);
            before[i] = checkedState(request.state(), "Request " + i + " (conversation " + request.conversationId()
                    + ")");
            if (texts != null) {
                WordTokenizer.Spans spans = tokenizer.splitWithSpans(request.text());
                utterances[i] = tokenizer.encodeUtterance(request.speaker(), spans.tokens());
                texts.add(spans);
            } else {
                utterances[i] = tokenizer.encodeUtterance(request.speaker(), tokenizer.split(request.text()));
            }
        }
        return workspaces.withWorkspace(workspace -> {
            float[][] after = copy(before);
            UtteranceEncoder.Tagged tags = encoder.encodeTagged(workspace, after, utterances);
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
                int[][] generated = decoder.decode(workspace, replyStates, randoms, closing, fromStart,
                        steeringTargets(batch, utterances, tags, replyRows));
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
                    encoder.encode(workspace, replyStates, closing);
                }
            }
            List<TurnResult> results = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                GeneratedReply reply = replies[i] == null ? null
                        : new GeneratedReply(tokenizer.present(replies[i]), replies[i].length);
                Optional<TokenTags> tokenTags = tags == null ? Optional.empty()
                        : Optional.of(tokenTags(texts.get(i), utterances[i], tags.tags()[i],
                                tags.factProbabilities()[i]));
                Optional<StateReading> reading = tags == null || tags.slotScores() == null ? Optional.empty()
                        : Optional.of(reading(tokenTags.orElseThrow(), tags, i));
                results.add(new TurnResult(stored[i], distance(before[i], after[i]), utterances[i].length, reply,
                        tokenTags, reading));
            }
            return results;
        });
    }

    /**
     * The tags of an utterance, over its text's token strings as split (unknown words keep their text), each value
     * with its original characters (position p of the tags is text token p - 1: the role token comes first).
     */
    private TokenTags tokenTags(WordTokenizer.Spans text, int[] ids, int[] tags, float[] factProbabilities) {
        List<String> tokens = new ArrayList<>(ids.length);
        tokens.add(tokenizer.token(ids[0]));
        tokens.addAll(text.tokens());
        tokens.add(tokenizer.token(ids[ids.length - 1]));
        return TokenTags.of(ids, tokens, tags, factProbabilities, tagger.orElseThrow().classes(), tokenizer::join,
                (first, last) -> text.source(first - 1, last - 1));
    }

    private float[] checkedState(float[] state, String what) {
        int stateSize = info.stateSize();
        if (state != null && state.length != stateSize) {
            throw new IllegalArgumentException(what + " has a state of " + state.length + " floats; model "
                    + info.name() + " " + info.version() + " needs " + stateSize + " (" + layers + " x " + hidden
                    + ")");
        }
        return state == null ? new float[stateSize] : state;
    }

    /**
     * One raw call of the step graph: {@code tokens} [B][T] (rows padded to T), {@code lengths} [B] and
     * {@code state} [L,B,H] row-major; the tagger's scores [B,T,K] too when there is a tagger. For tests and tools;
     * {@link #advance(List)} is the hot path.
     */
    public StepOutput step(long[][] tokens, long[] lengths, float[] state) {
        return step(tokens, lengths, state, true);
    }

    /**
     * As {@link #step(long[][], long[], float[])}; with {@code withTags} false, the tagger's scores are not read
     * (empty in the output), and the call runs the graph without the tagger where there is one.
     */
    public StepOutput step(long[][] tokens, long[] lengths, float[] state, boolean withTags) {
        int rows = tokens.length;
        int time = rows == 0 ? 0 : tokens[0].length;
        if (rows == 0 || lengths.length != rows || state.length != layers * rows * hidden) {
            throw new IllegalArgumentException("step needs B >= 1 rows of equal length T, B lengths and L*B*H = "
                    + layers + "*" + rows + "*" + hidden + " state floats; got " + rows + " rows, " + lengths.length
                    + " lengths, " + state.length + " floats");
        }
        return workspaces.withWorkspace(workspace -> {
            boolean tagged = withTags && workspace.hasTags();
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
            graph.run(workspace, rows, time, true, tagged);
            float[] logits = new float[rows * vocabulary];
            float[] stateOut = new float[state.length];
            workspace.logits().get(0, logits);
            workspace.stateOut().get(0, stateOut);
            int classes = tagged ? workspace.tagClasses() : 0;
            float[] tags = new float[tagged ? rows * time * classes : 0];
            if (tagged) {
                workspace.tags().get(0, tags);
            }
            Workspace.StateOutputs heads = tagged ? workspace.stateOutputs() : null;
            float[] slots = new float[heads == null ? 0 : rows * time * heads.slotScores()];
            float[] updates = new float[heads == null ? 0 : rows * heads.updateScores()];
            if (heads != null) {
                workspace.slots().get(0, slots);
                workspace.updates().get(0, updates);
            }
            return new StepOutput(rows, logits, stateOut, tags, slots, updates);
        });
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
        if (!workspaces.closeAll()) {
            return;
        }
        try {
            if (parallel != null) {
                parallel.close();
            }
        } finally {
            graph.close();
        }
    }
}
