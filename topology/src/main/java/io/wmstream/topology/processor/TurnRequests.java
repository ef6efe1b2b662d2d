package io.wmstream.topology.processor;

import io.wmstream.model.TurnRequest;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.topology.memory.WorkingMemory;
import java.util.List;
import java.util.Locale;

/**
 * Builds the model request of an utterance. The task's run ({@link BatchRunner}) and the model thread's prediction
 * of it ({@link NextWaveRequests}) both build theirs here: a prepared result is found only when the two are equal,
 * and a difference would fail nothing, it would only have the task compute the request again.
 */
final class TurnRequests {
    /** Speakers that get a reply, trimmed and in lower case ({@code wm.reply.roles}). */
    private final List<String> replyRoles;

    TurnRequests(List<String> replyRoles) {
        this.replyRoles = List.copyOf(replyRoles);
    }

    /** The request of {@code utterance} run on {@code memory}: from its state, at its turn. */
    TurnRequest from(ConversationEvent utterance, WorkingMemory memory) {
        return request(utterance, memory.state(), memory.utterances());
    }

    /**
     * The request of {@code utterance} run on a memory whose state is {@code state} and which holds
     * {@code utterancesBefore} utterances: {@link #from} on that memory.
     */
    TurnRequest at(ConversationEvent utterance, float[] state, long utterancesBefore) {
        return request(utterance, state, utterancesBefore);
    }

    /**
     * The request of an utterance predicted to run after others of its conversation, once its memory holds
     * {@code utterancesBefore} utterances; its state is left out: the model thread takes the one the request before
     * leaves, as the run will find it in the memory.
     */
    TurnRequest followUp(ConversationEvent utterance, long utterancesBefore) {
        return request(utterance, null, utterancesBefore);
    }

    private TurnRequest request(ConversationEvent utterance, float[] state, long utterancesBefore) {
        // An utterance without a turn of its own takes the next one of the conversation.
        long turn = utterance.turn() != null ? utterance.turn() : utterancesBefore;
        return new TurnRequest(utterance.conversationId(), turn, state, utterance.speaker(), utterance.text(),
                replyRoles.contains(utterance.speaker().trim().toLowerCase(Locale.ROOT)));
    }
}
