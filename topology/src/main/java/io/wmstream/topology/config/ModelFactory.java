package io.wmstream.topology.config;

import io.wmstream.model.ConversationModel;
import io.wmstream.model.Device;
import io.wmstream.model.ModelRuntimeConfig;
import io.wmstream.model.bundle.ModelBundle;
import io.wmstream.model.decoding.DecodingStrategy;
import io.wmstream.model.inference.OnnxConversationModel;

/** Opens the configured model: {@code wm.model.dir} (or the bundled default) with the {@code wm.model.*} and
 * {@code wm.reply.*} / {@code wm.decoding.*} settings. */
public final class ModelFactory {
    private ModelFactory() {
    }

    /** The runtime settings of {@code config}, key for key. */
    public static ModelRuntimeConfig runtimeConfig(WmConfig config) {
        DecodingStrategy strategy = DecodingStrategy.parse(config.getString(WmConfig.DECODING_STRATEGY_CONFIG));
        // Sampling draws one token at a time: a beam width (whose default may be above 1) means nothing to it.
        int beamWidth = strategy == DecodingStrategy.GREEDY ? config.getInt(WmConfig.DECODING_BEAM_WIDTH_CONFIG) : 1;
        return ModelRuntimeConfig.builder()
                .device(Device.parse(config.getString(WmConfig.MODEL_DEVICE_CONFIG)))
                .intraOpThreads(config.getInt(WmConfig.MODEL_INTRA_OP_THREADS_CONFIG))
                .interOpThreads(config.getInt(WmConfig.MODEL_INTER_OP_THREADS_CONFIG))
                .parallelCalls(parallelCalls(config))
                .spinning(config.getBoolean(WmConfig.MODEL_SPINNING_CONFIG))
                .maxReplyTokens(config.getInt(WmConfig.REPLY_MAX_TOKENS_CONFIG))
                .feedback(config.getBoolean(WmConfig.REPLY_FEEDBACK_CONFIG))
                .strategy(strategy)
                .temperature(config.getDouble(WmConfig.DECODING_TEMPERATURE_CONFIG))
                .topK(config.getInt(WmConfig.DECODING_TOP_K_CONFIG))
                .topP(config.getDouble(WmConfig.DECODING_TOP_P_CONFIG))
                .stopPenalty(config.getDouble(WmConfig.DECODING_STOP_PENALTY_CONFIG))
                .beamWidth(beamWidth)
                .noRepeatNgramSize(config.getInt(WmConfig.DECODING_NO_REPEAT_NGRAM_SIZE_CONFIG))
                .requestBoost(config.getDouble(WmConfig.DECODING_REQUEST_BOOST_CONFIG))
                .requestThreshold(config.getDouble(WmConfig.DECODING_REQUEST_THRESHOLD_CONFIG))
                .build();
    }

    /**
     * {@code wm.model.parallel.calls}, with its default (0) resolved to the cores left to each thread that calls the
     * model at once: the stream threads times their model threads ({@code wm.model.threads}). With one model thread
     * per core the calls are not split (a split call waits for its slowest part, and its parts are smaller batches);
     * with fewer, a batch of at least 8 rows per part is dealt over the idle cores. Rows are computed independently:
     * the results are the same bits whichever call and thread computed them.
     */
    public static int parallelCalls(WmConfig config) {
        int calls = config.getInt(WmConfig.MODEL_PARALLEL_CALLS_CONFIG);
        if (calls != WmConfig.PARALLEL_CALLS_PER_CORE) {
            return calls;
        }
        int callers = config.streamThreads() * (config.getBoolean(WmConfig.BATCH_OVERLAP_CONFIG)
                ? config.modelThreads() : 1);
        return Math.min(256, Math.max(1, Runtime.getRuntime().availableProcessors() / callers));
    }

    /** Loads and validates the bundle, then opens it; a bad bundle or device fails here with a precise message. */
    public static ConversationModel open(WmConfig config) {
        ModelBundle bundle = ModelBundle.fromSetting(config.getString(WmConfig.MODEL_DIR_CONFIG));
        return OnnxConversationModel.open(bundle, runtimeConfig(config));
    }
}
