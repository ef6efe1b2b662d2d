package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The perplexity of the turns the model does not answer, given the memory and with the memory reset before each
 * ({@link PerplexityProbe} measures them), as the report holds it.
 *
 * @param withMemory perplexity given the working memory (NaN when no token was measured)
 * @param reset perplexity with the memory reset before each utterance (NaN likewise)
 * @param tokens the tokens measured
 * @param nanos the time spent measuring
 */
public record PerplexityFigures(double withMemory, double reset, long tokens, long nanos) {
    /** Puts the section of a replay that did not measure perplexity into {@code node} ({@code perplexity}). */
    public static ObjectNode putNotMeasured(ObjectNode node) {
        node.putNull("withMemory");
        node.putNull("memoryResetPerUtterance");
        node.put("note", "not measured (replay --perplexity measures it)");
        return node;
    }

    /**
     * Puts {@code tokens}, {@code seconds}, {@code withMemory}, {@code memoryResetPerUtterance} and {@code note}
     * into {@code node} ({@code perplexity} of the report): null figures, with the reason, when nothing was
     * measured.
     */
    public ObjectNode putInto(ObjectNode node) {
        node.put("tokens", tokens);
        node.put("seconds", Rounding.round(nanos / 1e9));
        if (tokens == 0 || !Double.isFinite(withMemory) || !Double.isFinite(reset)) {
            // No turn the model does not answer (every speaker gets replies): nothing to measure, and a rounded
            // NaN would read as a perfect 0.
            node.putNull("withMemory");
            node.putNull("memoryResetPerUtterance");
            node.put("note", "not measured: the log has no turns the model does not answer");
            return node;
        }
        node.put("withMemory", Rounding.round(withMemory));
        node.put("memoryResetPerUtterance", Rounding.round(reset));
        node.put("note", String.format(Locale.ROOT, "%d tokens of the turns the model does not answer, "
                + "teacher-forced: %.2f given the memory, %.2f with the memory reset before each", tokens,
                withMemory, reset));
        return node;
    }
}
