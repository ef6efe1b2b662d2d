package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How fast a replay went: its utterances over its wall time, and the model's share of that time. The only figures
 * of a report that differ from run to run.
 *
 * @param utterances the utterances replayed
 * @param elapsedNanos the replay's wall time
 * @param modelNanos the time spent in the model
 */
public record Throughput(long utterances, long elapsedNanos, long modelNanos) {
    /** Puts {@code seconds}, {@code utterancesPerSecond} and {@code modelShare} into {@code node}. */
    public ObjectNode putInto(ObjectNode node) {
        double seconds = elapsedNanos / 1e9;
        node.put("seconds", Rounding.round(seconds));
        node.put("utterancesPerSecond", seconds > 0 ? Rounding.round(utterances / seconds) : 0);
        node.put("modelShare", elapsedNanos > 0 ? Rounding.round((double) modelNanos / elapsedNanos) : 0);
        return node;
    }
}
