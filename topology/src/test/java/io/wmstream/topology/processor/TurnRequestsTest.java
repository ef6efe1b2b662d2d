package io.wmstream.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.model.TurnRequest;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.EventType;
import io.wmstream.topology.memory.ModelStamp;
import io.wmstream.topology.memory.WorkingMemory;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnRequestsTest {
    private static final ModelStamp MODEL = new ModelStamp("wm-gru", "3.0", 1, 2);

    private final TurnRequests requests = new TurnRequests(List.of("user"));

    @Test
    void shouldStartFromTheMemorysStateAndGiveATurnlessUtteranceItsConversationsNextTurn() {
        // Given a conversation whose memory holds three utterances, and a fourth sent without a turn number
        WorkingMemory memory = new WorkingMemory(MODEL, new float[] {0.25f, -1.5f}, 3, -1, 0L, List.of(), List.of(),
                List.of());
        ConversationEvent said = turnless("taxi-7", "user", "I need a taxi to the station by 17:15.");

        // When its request is built for the run, and predicted as a follow-up of the utterance before it
        TurnRequest run = requests.from(said, memory);
        TurnRequest followUp = requests.followUp(said, 3);

        // Then both take turn 3; the run starts from the memory's state, the follow-up from the one left before it
        assertThat(run.turn()).isEqualTo(3);
        assertThat(run.state()).containsExactly(0.25f, -1.5f);
        assertThat(followUp.turn()).isEqualTo(3);
        assertThat(followUp.state()).isNull();
        assertThat(followUp).usingRecursiveComparison().ignoringFields("state").isEqualTo(run);
    }

    @Test
    void shouldKeepAnUtterancesOwnTurn() {
        // Given the tenth turn of a conversation whose memory holds four utterances (the rest went to another task)
        WorkingMemory memory = new WorkingMemory(MODEL, new float[] {1f, 0f}, 4, 8, 0L, List.of(), List.of(),
                List.of());
        ConversationEvent said = ConversationEvent.utterance("hotel-1", 9, "user", "Does it have free parking?");

        // When its request is built
        TurnRequest request = requests.from(said, memory);

        // Then it keeps turn 9
        assertThat(request.turn()).isEqualTo(9);
    }

    @Test
    void shouldAskForAReplyToAReplyRoleWhateverItsCaseAndSpaces() {
        // Given a user turn written " User " and an agent's turn
        WorkingMemory memory = WorkingMemory.empty(MODEL, 0L);
        ConversationEvent user = ConversationEvent.utterance("hotel-1", 0, " User ", "A room for two, please.");
        ConversationEvent agent = ConversationEvent.utterance("hotel-1", 1, "system", "For which nights?");

        // When their requests are built
        boolean userGetsReply = requests.from(user, memory).reply();
        boolean agentGetsReply = requests.followUp(agent, 1).reply();

        // Then only the user's asks for a reply, and the speaker goes to the model as it was written
        assertThat(userGetsReply).isTrue();
        assertThat(agentGetsReply).isFalse();
        assertThat(requests.from(user, memory).speaker()).isEqualTo(" User ");
    }

    private static ConversationEvent turnless(String conversationId, String speaker, String text) {
        return new ConversationEvent(EventType.UTTERANCE, conversationId, null, null, speaker, text, null, null);
    }
}
