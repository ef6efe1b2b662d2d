package io.wmstream.model.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.model.support.TestBundles;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Encoding runs the step graph pruned to its state (no output layer); it must give exactly what the full graph
 * gives, so pruning changes the cost of a call and nothing else.
 */
class StateGraphTest {

    @Test
    void shouldEncodeWithThePrunedGraphBitForBitAsWithTheFullGraph() {
        // Given 300 generated utterances, most with a prior memory, half of them asking for a reply
        List<TurnRequest> requests = BatchInvarianceTest.requests(300, 384);

        // When advanced in batches of 50 by a model that encodes with the pruned graph and by one whose pruned
        // graph was dropped (every call then runs the full graph)
        try (OnnxConversationModel pruned = OnnxConversationModel.open(TestBundles.defaultBundle(),
                TestBundles.cpu().build());
                OnnxConversationModel full = OnnxConversationModel.open(TestBundles.defaultBundle(),
                        TestBundles.cpu().build())) {
            assertThat(pruned.graph().hasStateGraph()).isTrue();
            full.graph().dropStateGraph();
            assertThat(full.graph().hasStateGraph()).isFalse();
            for (int from = 0; from < requests.size(); from += 50) {
                List<TurnRequest> batch = requests.subList(from, from + 50);
                List<TurnResult> a = pruned.advance(batch);
                List<TurnResult> b = full.advance(batch);

                // Then states, memory shifts and replies are the same, bit for bit
                for (int i = 0; i < batch.size(); i++) {
                    assertThat(a.get(i).state()).as("state %d", from + i).isEqualTo(b.get(i).state());
                    assertThat(a.get(i).memoryShift()).isEqualTo(b.get(i).memoryShift());
                    assertThat(a.get(i).reply()).isEqualTo(b.get(i).reply());
                }
            }
        }
    }
}
