package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.List;
import java.util.Locale;

/**
 * What the working memory earns on a log: every metric of a replay beside the same metric of a second replay of
 * the same log with the memory reset before every utterance (the model then sees only the current turn).
 */
public final class MemoryAblation {
    /** A metric of the comparison: its name, where the report holds it, and which way is better. */
    private record Metric(String name, String label, String section, String field, boolean higherIsBetter) {
    }

    private static final List<Metric> METRICS = List.of(
            new Metric("perplexity", "perplexity", "perplexity", "withMemory", false),
            new Metric("bleu4", "BLEU-4", "replyReferences", "bleu4", true),
            new Metric("rougeL", "ROUGE-L F1", "replyReferences", "rougeL", true),
            new Metric("inventedRate", "invented values", "inventedValues", "rate", false),
            new Metric("requestCoverage", "request coverage", "requestCoverage", "coverage", true),
            new Metric("repeatedTrigrams", "repeated 3-grams per reply", "repeatedTrigrams", "perReply", false),
            new Metric("factRecall", "fact recall", "factRecall", "summary", true),
            new Metric("finalStateF1", "final state F1", "finalState", "f1", true),
            new Metric("jointAccuracy", "joint accuracy", "jointAccuracy", "accuracy", true),
            new Metric("requestAccuracy", "request accuracy", "requestAccuracy", "accuracy", true));

    private MemoryAblation() {
    }

    /**
     * The comparison, as {@code report.json} holds it under {@code memoryAblation}: per metric {@code withMemory},
     * {@code withoutMemory}, {@code memoryGain} (how much better the metric is with the memory: with minus without
     * where higher is better, without minus with where lower is; negative when the memory makes it worse; null
     * where a side was not measured) and {@code better} ({@code higher} or {@code lower}). Perplexity without
     * memory is the probe's own figure with the memory reset, measured in the run with memory.
     */
    public static ObjectNode compare(JsonNode withMemory, JsonNode withoutMemory) {
        ObjectNode ablation = CanonicalJson.mapper().createObjectNode();
        ablation.put("note", "the same log replayed a second time with the memory reset before every utterance: the "
                + "model sees only the current turn");
        ObjectNode metrics = ablation.putObject("metrics");
        for (Metric metric : METRICS) {
            ObjectNode row = metrics.putObject(metric.name());
            row.put("label", metric.label());
            JsonNode with = measured(withMemory, metric) ? withMemory.path(metric.section()).path(metric.field())
                    : null;
            JsonNode without = metric.name().equals("perplexity")
                    ? withMemory.path("perplexity").path("memoryResetPerUtterance")
                    : measured(withoutMemory, metric) ? withoutMemory.path(metric.section()).path(metric.field())
                    : null;
            put(row, "withMemory", with);
            put(row, "withoutMemory", without);
            if (with != null && with.isNumber() && without != null && without.isNumber()) {
                double gain = metric.higherIsBetter() ? with.asDouble() - without.asDouble()
                        : without.asDouble() - with.asDouble();
                row.put("memoryGain", Rounding.round(gain));
            } else {
                row.putNull("memoryGain");
            }
            row.put("better", metric.higherIsBetter() ? "higher" : "lower");
        }
        return ablation;
    }

    /** Whether the report measured the metric at all (a log without facts or references has none to compare). */
    private static boolean measured(JsonNode report, Metric metric) {
        return switch (metric.section()) {
            case "factRecall" -> report.path("factRecall").path("conversations").asLong() > 0;
            case "replyReferences" -> report.path("replyReferences").path("count").asLong() > 0;
            case "inventedValues" -> report.path("inventedValues").path("repliesChecked").asLong() > 0;
            case "requestCoverage" -> report.path("requestCoverage").path("turns").asLong() > 0;
            case "repeatedTrigrams" -> report.path("repeatedTrigrams").path("replies").asLong() > 0;
            default -> report.path(metric.section()).path(metric.field()).isNumber();
        };
    }

    private static void put(ObjectNode row, String field, JsonNode value) {
        if (value != null && value.isNumber()) {
            row.put(field, value.asDouble());
        } else {
            row.putNull(field);
        }
    }

    /** The comparison as a terminal table. */
    public static String table(JsonNode ablation) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%nmemory ablation (the same log, memory reset before every utterance; a gain above 0 is better with "
                        + "memory)%n  %-16s %12s %14s %12s%n",
                "metric", "with memory", "without memory", "memory gain"));
        ablation.path("metrics").properties().forEach(entry -> {
            JsonNode row = entry.getValue();
            text.append(String.format(Locale.ROOT, "  %-16s %12s %14s %12s  (%s is better)%n",
                    row.path("label").asText(), number(row.path("withMemory"), false),
                    number(row.path("withoutMemory"), false), number(row.path("memoryGain"), true),
                    row.path("better").asText()));
        });
        return text.toString();
    }

    private static String number(JsonNode value, boolean signed) {
        if (!value.isNumber()) {
            return "-";
        }
        return String.format(Locale.ROOT, signed ? "%+.3f" : "%.3f", value.asDouble());
    }
}
