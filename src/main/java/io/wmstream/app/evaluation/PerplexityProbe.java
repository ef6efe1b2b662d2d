package io.wmstream.app.evaluation;

import io.wmstream.model.ConversationModel;
import io.wmstream.model.ForwardingConversationModel;
import io.wmstream.model.ModelInfo;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.model.inference.OnnxConversationModel;
import io.wmstream.model.inference.StepOutput;
import io.wmstream.model.tokenizer.WordTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures how well the model predicts the log's own turns that it does not answer (the system's), token by
 * token, given the conversation's working memory and given a memory reset before the utterance. It reads each
 * request's memory before passing the call on unchanged, so outputs are exactly those of a replay without it.
 */
public final class PerplexityProbe extends ForwardingConversationModel {
    private final OnnxConversationModel onnx;
    private final WordTokenizer tokenizer;
    private final int layers;
    private final int hidden;
    private final int vocabulary;
    private double nllWithMemory;
    private double nllReset;
    private long tokens;
    private long nanos;

    /**
     * @param delegate the model the replay runs (possibly wrapped)
     * @param onnx the same model's ONNX runtime, for raw step calls
     */
    public PerplexityProbe(ConversationModel delegate, OnnxConversationModel onnx) {
        super(delegate);
        this.onnx = onnx;
        this.tokenizer = onnx.tokenizer();
        ModelInfo info = onnx.info();
        this.layers = info.layers();
        this.hidden = info.hiddenSize();
        this.vocabulary = info.vocabularySize();
    }

    @Override
    public List<TurnResult> advance(List<TurnRequest> batch) {
        long started = System.nanoTime();
        List<TurnRequest> probed = new ArrayList<>();
        for (TurnRequest request : batch) {
            if (!request.reply()) {
                probed.add(request);
            }
        }
        if (!probed.isEmpty()) {
            probe(probed);
        }
        nanos += System.nanoTime() - started;
        return delegate.advance(batch);
    }

    /** Teacher-forced, one token per step: rows 0..n-1 carry each memory, rows n..2n-1 start from zero. */
    private void probe(List<TurnRequest> requests) {
        int n = requests.size();
        int rows = 2 * n;
        int[][] sequences = new int[n][];
        int longest = 0;
        for (int i = 0; i < n; i++) {
            sequences[i] = tokenizer.encodeUtterance(requests.get(i).speaker(), requests.get(i).text());
            longest = Math.max(longest, sequences[i].length);
        }
        float[] state = new float[layers * rows * hidden];
        for (int i = 0; i < n; i++) {
            float[] memory = requests.get(i).state();
            for (int l = 0; l < layers; l++) {
                System.arraycopy(memory, l * hidden, state, (l * rows + i) * hidden, hidden);
            }
        }
        long[] lengths = new long[rows];
        Arrays.fill(lengths, 1);
        for (int position = 0; position + 1 < longest; position++) {
            long[][] step = new long[rows][1];
            for (int r = 0; r < rows; r++) {
                int[] sequence = sequences[r % n];
                // A finished row is fed its last token again; its predictions are no longer counted.
                step[r][0] = sequence[Math.min(position, sequence.length - 1)];
            }
            StepOutput out = onnx.step(step, lengths, state, false);
            for (int r = 0; r < rows; r++) {
                int[] sequence = sequences[r % n];
                if (position + 1 < sequence.length) {
                    double nll = negativeLogLikelihood(out.logits(), r, sequence[position + 1]);
                    if (r < n) {
                        nllWithMemory += nll;
                        tokens++;
                    } else {
                        nllReset += nll;
                    }
                }
            }
            state = out.state();
        }
    }

    private double negativeLogLikelihood(float[] logits, int row, int target) {
        int base = row * vocabulary;
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocabulary; v++) {
            max = Math.max(max, logits[base + v]);
        }
        double sum = 0;
        for (int v = 0; v < vocabulary; v++) {
            sum += Math.exp(logits[base + v] - max);
        }
        return max + Math.log(sum) - logits[base + target];
    }

    /** Perplexity given the working memory, or NaN before any token. */
    public double withMemory() {
        return tokens == 0 ? Double.NaN : Math.exp(nllWithMemory / tokens);
    }

    /** Perplexity with the memory reset before each utterance, or NaN before any token. */
    public double reset() {
        return tokens == 0 ? Double.NaN : Math.exp(nllReset / tokens);
    }

    public long tokens() {
        return tokens;
    }

    /** Time spent probing, which the replay's throughput then includes. */
    public long nanos() {
        return nanos;
    }

    /** What was measured so far, as the report holds it. */
    public PerplexityFigures figures() {
        return new PerplexityFigures(withMemory(), reset(), tokens, nanos);
    }
}
