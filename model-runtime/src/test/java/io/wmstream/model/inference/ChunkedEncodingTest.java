package io.wmstream.model.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.model.ModelRuntimeConfig;
import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.model.support.TestBundles;
import io.wmstream.model.bench.SampleUtterances;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An utterance longer than one call's comfortable length is encoded in pieces, state carried, never cut. */
class ChunkedEncodingTest {

    @Test
    void shouldEncodeLongUtterancesInPiecesExactlyAsInOnePiece() {
        // Given long utterances (hundreds of tokens) next to short ones, some with a prior memory
        List<TurnRequest> requests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            requests.add(new TurnRequest("long-" + i, i, null, i % 2 == 0 ? "user" : "agent",
                    SampleUtterances.longText(5 + 9 * i, i), true));
            requests.add(new TurnRequest("short-" + i, i, null, "user", "Thanks, goodbye.", i % 3 == 0));
        }

        // When encoded with pieces of 7 tokens, of the default 64 tokens, and in one piece
        List<TurnResult> pieces = run(TestBundles.cpu().chunkTokens(7).build(), requests);
        List<TurnResult> defaults = run(TestBundles.cpu().build(), requests);
        List<TurnResult> whole = run(TestBundles.cpu().chunkTokens(4096).build(), requests);

        // Then states, memory shifts, token counts and replies are the same, bit for bit
        assertThat(requests.get(10).text().length()).isGreaterThan(1500);
        assertThat(whole.get(10).utteranceTokens()).isGreaterThan(300);
        for (int i = 0; i < requests.size(); i++) {
            for (List<TurnResult> other : List.of(pieces, defaults)) {
                assertThat(other.get(i).state()).as("state %d", i).isEqualTo(whole.get(i).state());
                assertThat(other.get(i).memoryShift()).isEqualTo(whole.get(i).memoryShift());
                assertThat(other.get(i).utteranceTokens()).isEqualTo(whole.get(i).utteranceTokens());
                assertThat(other.get(i).reply()).isEqualTo(whole.get(i).reply());
            }
        }
    }

    @Test
    void shouldCountEveryTokenOfAnUtteranceLongerThanAPiece() {
        // Given an utterance of several hundred tokens
        String text = SampleUtterances.longText(40, 3);
        int[] ids = TestBundles.defaultBundle().tokenizer().encodeUtterance("user", text);

        // When advanced with small pieces
        TurnResult result = run(TestBundles.cpu().chunkTokens(16).build(),
                List.of(new TurnRequest("c", 1, null, "user", text, false))).get(0);

        // Then all its tokens were read: role, text and end of utterance
        assertThat(result.utteranceTokens()).isEqualTo(ids.length).isGreaterThan(400);
    }

    private static List<TurnResult> run(ModelRuntimeConfig config, List<TurnRequest> requests) {
        try (OnnxConversationModel model = OnnxConversationModel.open(TestBundles.defaultBundle(), config)) {
            return model.advance(requests);
        }
    }
}
