package io.wmstream.model;

import io.wmstream.model.decoding.DecodingStrategy;
import java.util.Objects;

/**
 * How the model runtime runs and decodes. Each of the first ten components is one {@code wm.*} key of the
 * topology's {@code WmConfig}, with the same default and range:
 *
 * <ul>
 *   <li>{@code device}: {@code wm.model.device} ({@link Device#parse(String)})</li>
 *   <li>{@code intraOpThreads}, {@code interOpThreads}: {@code wm.model.intra.op.threads} (1),
 *       {@code wm.model.inter.op.threads} (1)</li>
 *   <li>{@code spinning}: {@code wm.model.spinning} (false: ONNX Runtime threads sleep when idle)</li>
 *   <li>{@code maxReplyTokens}: {@code wm.reply.max.tokens} (32)</li>
 *   <li>{@code feedback}: {@code wm.reply.feedback} (true: the stored state has also read the reply)</li>
 *   <li>{@code strategy}, {@code temperature}, {@code topK}, {@code topP}: {@code wm.decoding.strategy}
 *       ({@link DecodingStrategy#parse(String)}), {@code wm.decoding.temperature}, {@code wm.decoding.top.k},
 *       {@code wm.decoding.top.p}</li>
 * </ul>
 *
 * <p>{@code parallelCalls}: {@code wm.model.parallel.calls} (1): a batch of at least {@link #MIN_ROWS_PER_CALL}
 * rows per call is dealt into this many model calls that run at once, on the calling thread and on the model's own
 * threads, each with {@code intraOpThreads} ONNX Runtime threads (rows are computed independently, so results are
 * the same bits).
 *
 * <p>{@code stopPenalty}: {@code wm.decoding.stop.penalty} (0): subtracted from the end-of-reply logit at every
 * reply step, before greedy choice or sampling; a positive penalty makes replies longer (a model trained on
 * delexicalised targets stops early: its placeholders are single tokens for values of several words).
 *
 * <p>{@code beamWidth}: {@code wm.decoding.beam.width}: hypotheses kept by beam search, length-normalised (1 =
 * greedy; above 1 needs the greedy strategy). {@code noRepeatNgramSize}: {@code wm.decoding.no.repeat.ngram.size}
 * (3): no n-gram of words appears twice in a reply, nor a sentence (0 = nothing is banned).
 *
 * <p>{@code requestBoost}, {@code requestThreshold}: {@code wm.decoding.request.boost} (0 here: no steering) and
 * {@code wm.decoding.request.threshold}: with a model that reads the dialogue state, a user turn whose request score
 * for a placeholder type is above the threshold gets that type's placeholder boosted by this much in every step of
 * its reply until the reply holds it ({@link io.wmstream.model.decoding.RequestSteering}).
 *
 * <p>Two have no key yet: {@code loopRepeats} (a reply whose tail is this many copies of the same block
 * of 1 to 8 tokens is cut back to one copy; 0 = never cut) and {@code chunkTokens} (the longest piece of an
 * utterance given to the graph in one call; longer utterances are encoded piece by piece, state carried; a model
 * with a tagger reads each utterance in one piece, as a tag looks at the tokens after it).
 */
public record ModelRuntimeConfig(Device device, int intraOpThreads, int interOpThreads, boolean spinning,
        int maxReplyTokens, boolean feedback, DecodingStrategy strategy, double temperature, int topK,
        double topP, int loopRepeats, int chunkTokens, int parallelCalls, double stopPenalty, int beamWidth,
        int noRepeatNgramSize, double requestBoost, double requestThreshold) {

    public static final int DEFAULT_INTRA_OP_THREADS = 1;
    public static final int DEFAULT_INTER_OP_THREADS = 1;
    public static final int DEFAULT_MAX_REPLY_TOKENS = 32;
    public static final int DEFAULT_LOOP_REPEATS = 3;
    public static final int DEFAULT_CHUNK_TOKENS = 64;
    public static final int DEFAULT_PARALLEL_CALLS = 1;
    /** Greedy: the runtime's own default; the application's is {@code wm.decoding.beam.width}'s. */
    public static final int DEFAULT_BEAM_WIDTH = 1;
    public static final int DEFAULT_NO_REPEAT_NGRAM_SIZE = 3;
    /** Fewest rows a parallel call gets: below it, a call costs about as much whatever its size. */
    public static final int MIN_ROWS_PER_CALL = 8;

    public ModelRuntimeConfig {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(strategy, "strategy");
        requireRange("intraOpThreads", intraOpThreads, 1, 256);
        requireRange("interOpThreads", interOpThreads, 1, 256);
        requireRange("maxReplyTokens", maxReplyTokens, 1, 512);
        if (!(temperature >= 0.01 && temperature <= 10.0)) {
            throw new IllegalArgumentException("temperature must be in [0.01, 10], got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = all tokens), got " + topK);
        }
        if (!(topP > 0.0 && topP <= 1.0)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (loopRepeats != 0) {
            requireRange("loopRepeats", loopRepeats, 2, 64);
        }
        requireRange("chunkTokens", chunkTokens, 1, 4096);
        requireRange("parallelCalls", parallelCalls, 1, 256);
        if (!(stopPenalty >= -20.0 && stopPenalty <= 20.0)) {
            throw new IllegalArgumentException("stopPenalty must be in [-20, 20], got " + stopPenalty);
        }
        requireRange("beamWidth", beamWidth, 1, 16);
        if (beamWidth > 1 && strategy != DecodingStrategy.GREEDY) {
            throw new IllegalArgumentException("beamWidth " + beamWidth + " needs the greedy strategy; sampling "
                    + "draws one token at a time");
        }
        requireRange("noRepeatNgramSize", noRepeatNgramSize, 0, 16);
        if (!(requestBoost >= 0.0 && requestBoost <= 20.0)) {
            throw new IllegalArgumentException("requestBoost must be in [0, 20], got " + requestBoost);
        }
        if (!(requestThreshold >= -20.0 && requestThreshold <= 20.0)) {
            throw new IllegalArgumentException("requestThreshold must be in [-20, 20], got " + requestThreshold);
        }
    }

    /** Every default: auto device, 1/1 threads, no spinning, 32 greedy tokens, feedback on. */
    public static ModelRuntimeConfig defaults() {
        return new ModelRuntimeConfig(Device.AUTO, DEFAULT_INTRA_OP_THREADS, DEFAULT_INTER_OP_THREADS, false,
                DEFAULT_MAX_REPLY_TOKENS, true, DecodingStrategy.GREEDY, 1.0, 0, 1.0, DEFAULT_LOOP_REPEATS,
                DEFAULT_CHUNK_TOKENS, DEFAULT_PARALLEL_CALLS, 0.0, DEFAULT_BEAM_WIDTH, DEFAULT_NO_REPEAT_NGRAM_SIZE,
                0.0, 0.0);
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder(defaults());
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** Changes some components; {@link #build()} validates them all. */
    public static final class Builder {
        private Device device;
        private int intraOpThreads;
        private int interOpThreads;
        private boolean spinning;
        private int maxReplyTokens;
        private boolean feedback;
        private DecodingStrategy strategy;
        private double temperature;
        private int topK;
        private double topP;
        private int loopRepeats;
        private int chunkTokens;
        private int parallelCalls;
        private double stopPenalty;
        private int beamWidth;
        private int noRepeatNgramSize;
        private double requestBoost;
        private double requestThreshold;

        private Builder(ModelRuntimeConfig from) {
            device = from.device;
            intraOpThreads = from.intraOpThreads;
            interOpThreads = from.interOpThreads;
            spinning = from.spinning;
            maxReplyTokens = from.maxReplyTokens;
            feedback = from.feedback;
            strategy = from.strategy;
            temperature = from.temperature;
            topK = from.topK;
            topP = from.topP;
            loopRepeats = from.loopRepeats;
            chunkTokens = from.chunkTokens;
            parallelCalls = from.parallelCalls;
            stopPenalty = from.stopPenalty;
            beamWidth = from.beamWidth;
            noRepeatNgramSize = from.noRepeatNgramSize;
            requestBoost = from.requestBoost;
            requestThreshold = from.requestThreshold;
        }

        public Builder device(Device value) {
            device = value;
            return this;
        }

        public Builder intraOpThreads(int value) {
            intraOpThreads = value;
            return this;
        }

        public Builder interOpThreads(int value) {
            interOpThreads = value;
            return this;
        }

        public Builder spinning(boolean value) {
            spinning = value;
            return this;
        }

        public Builder maxReplyTokens(int value) {
            maxReplyTokens = value;
            return this;
        }

        public Builder feedback(boolean value) {
            feedback = value;
            return this;
        }

        public Builder strategy(DecodingStrategy value) {
            strategy = value;
            return this;
        }

        public Builder temperature(double value) {
            temperature = value;
            return this;
        }

        public Builder topK(int value) {
            topK = value;
            return this;
        }

        public Builder topP(double value) {
            topP = value;
            return this;
        }

        public Builder loopRepeats(int value) {
            loopRepeats = value;
            return this;
        }

        public Builder chunkTokens(int value) {
            chunkTokens = value;
            return this;
        }

        public Builder parallelCalls(int value) {
            parallelCalls = value;
            return this;
        }

        public Builder stopPenalty(double value) {
            stopPenalty = value;
            return this;
        }

        public Builder beamWidth(int value) {
            beamWidth = value;
            return this;
        }

        public Builder noRepeatNgramSize(int value) {
            noRepeatNgramSize = value;
            return this;
        }

        public Builder requestBoost(double value) {
            requestBoost = value;
            return this;
        }

        public Builder requestThreshold(double value) {
            requestThreshold = value;
            return this;
        }

        public ModelRuntimeConfig build() {
            return new ModelRuntimeConfig(device, intraOpThreads, interOpThreads, spinning, maxReplyTokens, feedback,
                    strategy, temperature, topK, topP, loopRepeats, chunkTokens, parallelCalls, stopPenalty, beamWidth,
                    noRepeatNgramSize, requestBoost, requestThreshold);
        }
    }
}
