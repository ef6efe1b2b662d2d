package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Precision, recall and F1 of predicted (slot, value) pairs against a gold dialogue state, counted over every
 * conversation added (micro-averaged); also per slot, and ignoring the slot (the value right, wherever it is held).
 * A predicted pair is right when the gold state holds its slot with its value among the value's forms (SGD lists
 * alternatives such as "6 pm" and "18:00"); a gold value is found when some predicted pair is right about it.
 */
public final class FinalStateScore {
    /** How the figures are made, printed with them; {@link #signature} adds the slot tables' fingerprint. */
    private static final String SIGNATURE = "gold:final-dialogue-state|values:said-in-conversation|norm:"
            + "lower-ws-dot-the|avg:micro";

    private long conversations;
    private long withoutState;
    private final Counts pairs = new Counts();
    private final Counts values = new Counts();
    private final Map<String, Counts> bySlot = new TreeMap<>();

    /** Predicted, right, gold and found counts. */
    private static final class Counts {
        private long predicted;
        private long right;
        private long gold;
        private long found;

        Double precision() {
            return predicted == 0 ? null : (double) right / predicted;
        }

        Double recall() {
            return gold == 0 ? null : (double) found / gold;
        }

        Double f1() {
            Double p = precision();
            Double r = recall();
            if (p == null || r == null) {
                // Nothing predicted against gold values (recall 0) still scores 0, not "not measured".
                return (r != null && r == 0) || (p != null && p == 0) ? Double.valueOf(0) : null;
            }
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    /** The signature of the figures made with {@code slots}. */
    public static String signature(StateSlots slots) {
        return SIGNATURE + "|slots:" + slots.fingerprint();
    }

    /** Scores one conversation's predicted final state against its gold one (slot to the forms of its value). */
    public void add(Map<String, Set<String>> gold, Set<SlotValue> predicted) {
        conversations++;
        for (Map.Entry<String, Set<String>> slot : gold.entrySet()) {
            boolean found = predicted.stream().anyMatch(p -> p.slot().equals(slot.getKey())
                    && slot.getValue().contains(p.value()));
            boolean valueFound = predicted.stream().anyMatch(p -> slot.getValue().contains(p.value()));
            Counts counts = slot(slot.getKey());
            counts.gold++;
            counts.found += found ? 1 : 0;
            pairs.gold++;
            pairs.found += found ? 1 : 0;
            values.gold++;
            values.found += valueFound ? 1 : 0;
        }
        for (SlotValue pair : predicted) {
            boolean right = pair.in(gold);
            Counts counts = slot(pair.slot());
            counts.predicted++;
            counts.right += right ? 1 : 0;
            pairs.predicted++;
            pairs.right += right ? 1 : 0;
        }
        predicted.stream().map(SlotValue::value).distinct().forEach(value -> {
            values.predicted++;
            values.right += gold.values().stream().anyMatch(forms -> forms.contains(value)) ? 1 : 0;
        });
    }

    /** A conversation with a gold state whose final summary carried no state: counted, not scored. */
    public void addWithoutState() {
        withoutState++;
    }

    public long conversations() {
        return conversations;
    }

    /** Precision of the pairs; null when nothing was predicted. */
    public Double precision() {
        return pairs.precision();
    }

    /** Recall of the gold values; null when there were none. */
    public Double recall() {
        return pairs.recall();
    }

    public Double f1() {
        return pairs.f1();
    }

    /**
     * Puts {@code conversations}, {@code conversationsWithoutState}, {@code goldValues}, {@code predictedValues},
     * {@code precision}, {@code recall}, {@code f1} (null when not measured), {@code valueOnly} ({@code precision},
     * {@code recall}, {@code f1}) and {@code bySlot} (per slot {@code gold}, {@code predicted}, {@code precision},
     * {@code recall}) into {@code node}.
     */
    public ObjectNode putInto(ObjectNode node) {
        if (conversations == 0) {
            node.put("note", withoutState > 0 ? "n/a: the final summaries carry no state (a model without one)"
                    : "n/a: no final summary of a conversation whose log annotates a dialogue state");
        }
        node.put("conversations", conversations);
        node.put("conversationsWithoutState", withoutState);
        node.put("goldValues", pairs.gold);
        node.put("predictedValues", pairs.predicted);
        putScores(node, conversations == 0 ? new Counts() : pairs);
        putScores(node.putObject("valueOnly"), conversations == 0 ? new Counts() : values);
        ObjectNode slots = node.putObject("bySlot");
        bySlot.forEach((slot, counts) -> {
            ObjectNode row = slots.putObject(slot);
            row.put("gold", counts.gold);
            row.put("predicted", counts.predicted);
            putScore(row, "precision", counts.precision());
            putScore(row, "recall", counts.recall());
        });
        return node;
    }

    private static void putScores(ObjectNode node, Counts counts) {
        putScore(node, "precision", counts.precision());
        putScore(node, "recall", counts.recall());
        putScore(node, "f1", counts.f1());
    }

    static void putScore(ObjectNode node, String field, Double score) {
        if (score == null) {
            node.putNull(field);
        } else {
            node.put(field, Rounding.round(score));
        }
    }

    private Counts slot(String slot) {
        return bySlot.computeIfAbsent(slot, s -> new Counts());
    }
}
