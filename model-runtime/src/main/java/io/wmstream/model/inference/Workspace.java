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
 * reads and writes in place (the tagger's scores too, when the graph has a tagger), the tensors wrapping them
 * (cached per shape), and a token picker. Used by one thread
 * at a time; grown, never shrunk.
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

    /** A workspace for a graph without a tagger. */
    Workspace(OrtEnvironment environment, int layers, int hidden, int vocabulary, int[] suppressed) {
        this(environment, layers, hidden, vocabulary, suppressed, null, 0);
    }

    /** A workspace whose calls can also bind the tagger output {@code tagOutput} of {@code tagClasses} classes. */
    Workspace(OrtEnvironment environment, int layers, int hidden, int vocabulary, int[] suppressed, String tagOutput,
            int tagClasses) {
        this.environment = environment;
        this.layers = layers;
        this.hidden = hidden;
        this.vocabulary = vocabulary;
        this.tagOutput = tagOutput;
        this.tagClasses = tagClasses;
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
                tagOutput);
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

    /** The input and pinned output tensors of one call shape; {@code tags} is null without a tagger. */
    record Tensors(OnnxTensor tokens, OnnxTensor lengths, OnnxTensor state, OnnxTensor logits,
            OnnxTensor stateOut, OnnxTensor tags, String tagOutput) implements AutoCloseable {
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
        }
    }
}
