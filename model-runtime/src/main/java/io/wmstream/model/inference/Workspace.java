package io.wmstream.model.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.wmstream.model.ModelFailureException;
import io.wmstream.model.decoding.TokenPicker;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thread's reusable memory for model calls: direct, native-order input and output buffers that ONNX Runtime
 * reads and writes in place (the tagger's and the state heads' scores too, where the graph has them), the
 * tensors wrapping them (cached per shape), and a token picker. Used by one thread at a time; grown, never shrunk.
 */
final class Workspace implements AutoCloseable {
    private static final int CACHED_SHAPES = 96;

    private final OrtEnvironment environment;
    private final int layers;
    private final int hidden;
    private final int vocabulary;
    /** Classes of the tagger output; 0 without a tagger. */
    private final int tagClasses;
    private final String tagOutput;
    /** The state heads' outputs, read with the tags; null without state heads. */
    private final StateOutputs stateOutputs;
    private final TokenPicker picker;
    private final Map<Long, Tensors> tensors = new LinkedHashMap<>(CACHED_SHAPES * 2, 0.75f, true);

    private int rowCapacity;
    private int tokenCapacity;
    private LongBuffer tokens;
    private LongBuffer lengths;
    private FloatBuffer state;
    private FloatBuffer stateOut;
    private FloatBuffer logits;
    private FloatBuffer tags;
    private FloatBuffer slots;
    private FloatBuffer updates;

    /** A workspace for a graph without a tagger. */
    Workspace(OrtEnvironment environment, int layers, int hidden, int vocabulary, int[] suppressed) {
        this(environment, layers, hidden, vocabulary, suppressed, null, 0, null);
    }

    /** A workspace whose calls can also bind the tagger output {@code tagOutput} of {@code tagClasses} classes. */
    Workspace(OrtEnvironment environment, int layers, int hidden, int vocabulary, int[] suppressed, String tagOutput,
            int tagClasses) {
        this(environment, layers, hidden, vocabulary, suppressed, tagOutput, tagClasses, null);
    }

    /**
     * A workspace whose tagging calls also bind the state heads' outputs ({@code stateOutputs}, null without them):
     * per token slot scores and per row update scores, computed with the tags.
     */
    Workspace(OrtEnvironment environment, int layers, int hidden, int vocabulary, int[] suppressed, String tagOutput,
            int tagClasses, StateOutputs stateOutputs) {
        this.environment = environment;
        this.layers = layers;
        this.hidden = hidden;
        this.vocabulary = vocabulary;
        this.tagOutput = tagOutput;
        this.tagClasses = tagClasses;
        this.stateOutputs = stateOutputs;
        this.picker = new TokenPicker(vocabulary, suppressed);
        allocate(8, 8 * 16);
    }

    TokenPicker picker() {
        return picker;
    }

    LongBuffer tokens() {
        return tokens;
    }

    LongBuffer lengths() {
        return lengths;
    }

    FloatBuffer state() {
        return state;
    }

    FloatBuffer stateOut() {
        return stateOut;
    }

    FloatBuffer logits() {
        return logits;
    }

    /** The tagger's scores of the last call that asked for them, [rows, time, classes] row-major. */
    FloatBuffer tags() {
        if (tags == null) {
            throw new IllegalStateException("This graph has no tagger");
        }
        return tags;
    }

    /** The state heads' per-token scores of the last tagging call, [rows, time, slotScores] row-major. */
    FloatBuffer slots() {
        if (slots == null) {
            throw new IllegalStateException("This graph has no state heads");
        }
        return slots;
    }

    /** The state heads' per-row scores of the last tagging call, [rows, updateScores] row-major. */
    FloatBuffer updates() {
        if (updates == null) {
            throw new IllegalStateException("This graph has no state heads");
        }
        return updates;
    }

    /** The state heads' output names and widths; null without state heads. */
    StateOutputs stateOutputs() {
        return stateOutputs;
    }

    boolean hasTags() {
        return tagClasses > 0;
    }

    /** Classes of the tagger's output; 0 without a tagger. */
    int tagClasses() {
        return tagClasses;
    }

    /** Makes room for a call of {@code rows} x {@code time} tokens. */
    void ensure(int rows, int time) {
        long needTokens = (long) rows * time;
        if (rows <= rowCapacity && needTokens <= tokenCapacity) {
            return;
        }
        if (needTokens > Integer.MAX_VALUE / 8) {
            throw new ModelFailureException("A model call of " + rows + " x " + time + " tokens is too large");
        }
        closeTensors();
        // Grow by doubling so that a run of slightly larger calls reallocates only a few times.
        int newRows = rows <= rowCapacity ? rowCapacity : Math.max(rows, rowCapacity * 2);
        long newTokens = needTokens <= tokenCapacity ? tokenCapacity : Math.max(needTokens, tokenCapacity * 2L);
        allocate(newRows, (int) Math.min(newTokens, Integer.MAX_VALUE / 8));
    }

    /** The tensors of a call of this shape, over the buffers' first elements. */
    Tensors tensors(int rows, int time) throws OrtException {
        long key = ((long) rows << 32) | time;
        Tensors cached = tensors.get(key);
        if (cached != null) {
            return cached;
        }
        if (tensors.size() >= CACHED_SHAPES) {
            Iterator<Tensors> eldest = tensors.values().iterator();
            eldest.next().close();
            eldest.remove();
        }
        Tensors created = new Tensors(
                OnnxTensor.createTensor(environment, tokens.duplicate().position(0).limit(rows * time),
                        new long[] {rows, time}),
                OnnxTensor.createTensor(environment, lengths.duplicate().position(0).limit(rows), new long[] {rows}),
                OnnxTensor.createTensor(environment, state.duplicate().position(0).limit(layers * rows * hidden),
                        new long[] {layers, rows, hidden}),
                OnnxTensor.createTensor(environment, logits.duplicate().position(0).limit(rows * vocabulary),
                        new long[] {rows, vocabulary}),
                OnnxTensor.createTensor(environment, stateOut.duplicate().position(0).limit(layers * rows * hidden),
                        new long[] {layers, rows, hidden}),
                tags == null ? null : OnnxTensor.createTensor(environment,
                        tags.duplicate().position(0).limit(rows * time * tagClasses),
                        new long[] {rows, time, tagClasses}),
                tagOutput,
                slots == null ? null : OnnxTensor.createTensor(environment,
                        slots.duplicate().position(0).limit(rows * time * stateOutputs.slotScores()),
                        new long[] {rows, time, stateOutputs.slotScores()}),
                updates == null ? null : OnnxTensor.createTensor(environment,
                        updates.duplicate().position(0).limit(rows * stateOutputs.updateScores()),
                        new long[] {rows, stateOutputs.updateScores()}),
                stateOutputs);
        tensors.put(key, created);
        return created;
    }

    private void allocate(int rows, int tokenCount) {
        rowCapacity = rows;
        tokenCapacity = tokenCount;
        tokens = direct(tokenCount * 8L).asLongBuffer();
        lengths = direct(rows * 8L).asLongBuffer();
        state = direct((long) layers * rows * hidden * 4).asFloatBuffer();
        stateOut = direct((long) layers * rows * hidden * 4).asFloatBuffer();
        logits = direct((long) rows * vocabulary * 4).asFloatBuffer();
        tags = tagClasses == 0 ? null : direct((long) tokenCount * tagClasses * 4).asFloatBuffer();
        slots = stateOutputs == null ? null
                : direct((long) tokenCount * stateOutputs.slotScores() * 4).asFloatBuffer();
        updates = stateOutputs == null ? null : direct((long) rows * stateOutputs.updateScores() * 4).asFloatBuffer();
    }

    private static ByteBuffer direct(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new ModelFailureException("A model buffer of " + bytes + " bytes is too large");
        }
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }

    private void closeTensors() {
        tensors.values().forEach(Tensors::close);
        tensors.clear();
    }

    @Override
    public void close() {
        closeTensors();
    }

    /** The names and widths of the state heads' two outputs. */
    record StateOutputs(String slotsOutput, int slotScores, String updatesOutput, int updateScores) {
    }

    /**
     * The input and pinned output tensors of one call shape; {@code tags} is null without a tagger, {@code slots}
     * and {@code updates} without state heads.
     */
    record Tensors(OnnxTensor tokens, OnnxTensor lengths, OnnxTensor state, OnnxTensor logits,
            OnnxTensor stateOut, OnnxTensor tags, String tagOutput, OnnxTensor slots, OnnxTensor updates,
            StateOutputs stateOutputs) implements AutoCloseable {
        Map<String, OnnxTensor> inputs() {
            return Map.of("tokens", tokens, "lengths", lengths, "state", state);
        }

        /** The state, and the logits and the tagger's scores when the call reads them. */
        Map<String, OnnxValue> outputs(boolean withLogits, boolean withTags) {
            Map<String, OnnxValue> out = new HashMap<>(4);
            out.put("state_out", stateOut);
            if (withLogits) {
                out.put("logits", logits);
            }
            if (withTags) {
                if (tags == null) {
                    throw new IllegalStateException("This graph has no tagger");
                }
                out.put(tagOutput, tags);
                if (slots != null) {
                    out.put(stateOutputs.slotsOutput(), slots);
                    out.put(stateOutputs.updatesOutput(), updates);
                }
            }
            return out;
        }

        @Override
        public void close() {
            tokens.close();
            lengths.close();
            state.close();
            logits.close();
            stateOut.close();
            if (tags != null) {
                tags.close();
            }
            if (slots != null) {
                slots.close();
                updates.close();
            }
        }
    }
}
