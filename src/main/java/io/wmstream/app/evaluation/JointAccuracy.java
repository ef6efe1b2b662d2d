package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * Per-turn joint accuracy: the share of user turns after which the predicted dialogue state equals the gold state
 * exactly. Equal means every predicted (slot, value) pair is right (its slot holds it among the value's forms) and
 * every gold slot has a right pair: a missing, extra or stale value makes the turn wrong.
 */
public final class JointAccuracy {
    private static final String SIGNATURE = "gold:state-after-each-user-turn|values:said-in-conversation|norm:"
            + "lower-ws-dot-the|match:exact";

    private long turns;
    private long exact;
    private long withoutState;

    /** The signature of the figures made with {@code slots}. */
    public static String signature(StateSlots slots) {
        return SIGNATURE + "|slots:" + slots.fingerprint();
    }

    /** Scores one user turn's predicted state against its gold one (slot to the forms of its value). */
    public void add(Map<String, Set<String>> gold, Set<SlotValue> predicted) {
        turns++;
        exact += equal(gold, predicted) ? 1 : 0;
    }

    /** A user turn with a gold state whose reply carried no state (or that got no reply): counted, not scored. */
    public void addWithoutState() {
        withoutState++;
    }

    /** Whether {@code predicted} is {@code gold}: every pair right, every gold slot given. */
    static boolean equal(Map<String, Set<String>> gold, Set<SlotValue> predicted) {
        if (!predicted.stream().allMatch(pair -> pair.in(gold))) {
            return false;
        }
        return gold.keySet().stream().allMatch(slot -> predicted.stream().anyMatch(pair -> pair.slot().equals(slot)));
    }

    public long turns() {
        return turns;
    }

    /** The share of scored turns whose state was exact; null when none was scored. */
    public Double accuracy() {
        return turns == 0 ? null : (double) exact / turns;
    }

    /** Puts {@code turns}, {@code exact}, {@code turnsWithoutState} and {@code accuracy} (null when not measured). */
    public ObjectNode putInto(ObjectNode node) {
        if (turns == 0) {
            node.put("note", withoutState > 0 ? "n/a: the replies carry no state (a model without one)"
                    : "n/a: no user turn with an annotated dialogue state was answered in a closed conversation");
        }
        node.put("turns", turns);
        node.put("exact", exact);
        node.put("turnsWithoutState", withoutState);
        FinalStateScore.putScore(node, "accuracy", accuracy());
        return node;
    }
}
