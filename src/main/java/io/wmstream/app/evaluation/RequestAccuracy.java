package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Request accuracy: the share of annotated user turns whose predicted requested types ({@code phone},
 * {@code address}, ...) are exactly the gold ones (a turn that asks for nothing must be read as asking for nothing);
 * with precision and recall of the types over all turns (micro-averaged).
 */
public final class RequestAccuracy {
    /** How the figures are made, printed with them. */
    public static final String SIGNATURE = "gold:multiwoz-Request-acts+sgd-REQUEST-actions|types:placeholder|"
            + "match:exact-set|avg:micro";

    private long turns;
    private long exact;
    private long withoutRequested;
    /** Scored turns whose gold types are not empty, and how many of them were read exactly. */
    private long asking;
    private long askingExact;
    private long predicted;
    private long gold;
    private long right;

    /** The types of a reply's {@code requested}; empty when the reply has none at all (not an empty request). */
    public static Optional<Set<String>> requestedOf(JsonNode reply) {
        JsonNode requested = reply.get("requested");
        if (requested == null || !requested.isArray()) {
            return Optional.empty();
        }
        Set<String> types = new TreeSet<>();
        requested.forEach(type -> types.add(type.asText()));
        return Optional.of(types);
    }

    /** Scores one user turn's predicted types against its gold ones. */
    public void add(Set<String> goldTypes, Set<String> predictedTypes) {
        turns++;
        boolean exactly = goldTypes.equals(predictedTypes);
        exact += exactly ? 1 : 0;
        if (!goldTypes.isEmpty()) {
            asking++;
            askingExact += exactly ? 1 : 0;
        }
        gold += goldTypes.size();
        predicted += predictedTypes.size();
        right += predictedTypes.stream().filter(goldTypes::contains).count();
    }

    /** An annotated user turn whose reply carried no {@code requested} (or that got no reply): not scored. */
    public void addWithoutRequested() {
        withoutRequested++;
    }

    public long turns() {
        return turns;
    }

    /** The share of scored turns read exactly; null when none was scored. */
    public Double accuracy() {
        return turns == 0 ? null : (double) exact / turns;
    }

    /**
     * Puts {@code turns}, {@code exact}, {@code turnsWithoutRequested}, {@code goldTypes}, {@code predictedTypes},
     * {@code accuracy}, {@code precision} and {@code recall} (null when not measured), and beside them
     * {@code emptyBaseline} (the accuracy of never reading a request: most turns ask for nothing), {@code turnsAsking}
     * and {@code accuracyAsking} (over the turns that ask for something) into {@code node}.
     */
    public ObjectNode putInto(ObjectNode node) {
        if (turns == 0) {
            node.put("note", withoutRequested > 0 ? "n/a: the replies carry no requested types (a model without "
                    + "them)" : "n/a: no user turn with annotated acts was answered in a closed conversation");
        }
        node.put("signature", SIGNATURE);
        node.put("turns", turns);
        node.put("exact", exact);
        node.put("turnsWithoutRequested", withoutRequested);
        node.put("goldTypes", gold);
        node.put("predictedTypes", predicted);
        FinalStateScore.putScore(node, "accuracy", accuracy());
        FinalStateScore.putScore(node, "precision", predicted == 0 ? null : (double) right / predicted);
        FinalStateScore.putScore(node, "recall", gold == 0 ? null : (double) right / gold);
        FinalStateScore.putScore(node, "emptyBaseline", turns == 0 ? null : (double) (turns - asking) / turns);
        node.put("turnsAsking", asking);
        FinalStateScore.putScore(node, "accuracyAsking", asking == 0 ? null : (double) askingExact / asking);
        return node;
    }
}
