package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The dialogue state the outputs carry against the log's annotated one, per closed conversation: the final
 * summary's state ({@link FinalStateScore}), each reply's state after the user turn it answers
 * ({@link JointAccuracy}) and each reply's requested types ({@link RequestAccuracy}); gold values only where they
 * occur in the conversation's text. Replies and summaries without the fields are counted, not scored.
 */
public final class DialogueStateScores {
    private final StateSlots slots;
    private final FinalStateScore finalState = new FinalStateScore();
    private final JointAccuracy jointAccuracy = new JointAccuracy();
    private final RequestAccuracy requestAccuracy = new RequestAccuracy();

    /** Scores whose slot names and signatures come from {@code slots}. */
    public DialogueStateScores(StateSlots slots) {
        this.slots = slots;
    }

    /** A fresh gold dialogue state for a conversation, in this evaluation's slot names. */
    StateSlots.Dialogue dialogue() {
        return slots.dialogue();
    }

    /**
     * Scores a closed conversation: {@code replyStates} and {@code replyRequests} are what its replies carried,
     * by the turn they answer; {@code text} is all its utterances' text.
     */
    void add(StateSlots.Dialogue gold, Map<Long, Set<SlotValue>> replyStates,
            Map<Long, Set<String>> replyRequests, String text, JsonNode summary) {
        Map<String, Set<String>> goldFinal = gold.finalState();
        if (goldFinal != null) {
            Optional<Set<SlotValue>> predicted = SlotValue.stateOf(summary);
            if (predicted.isPresent()) {
                finalState.add(StateSlots.saidIn(goldFinal, text), predicted.get());
            } else {
                finalState.addWithoutState();
            }
        }
        new TreeMap<>(gold.states()).forEach((turn, state) -> {
            Set<SlotValue> predicted = replyStates.get(turn);
            if (predicted != null) {
                jointAccuracy.add(StateSlots.saidIn(state, text), predicted);
            } else {
                jointAccuracy.addWithoutState();
            }
        });
        new TreeMap<>(gold.requests()).forEach((turn, types) -> {
            Set<String> predicted = replyRequests.get(turn);
            if (predicted != null) {
                requestAccuracy.add(types, predicted);
            } else {
                requestAccuracy.addWithoutRequested();
            }
        });
    }

    /** Puts {@code finalState}, {@code jointAccuracy} and {@code requestAccuracy} into {@code report}. */
    public ObjectNode putInto(ObjectNode report) {
        ObjectNode state = report.putObject("finalState");
        state.put("signature", FinalStateScore.signature(slots));
        finalState.putInto(state);
        ObjectNode joint = report.putObject("jointAccuracy");
        joint.put("signature", JointAccuracy.signature(slots));
        jointAccuracy.putInto(joint);
        requestAccuracy.putInto(report.putObject("requestAccuracy"));
        return report;
    }
}
