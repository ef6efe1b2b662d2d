package io.wmstream.model.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wmstream.model.TurnRequest;
import io.wmstream.model.TurnResult;
import io.wmstream.model.support.TestBundles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Several stream threads share one model instance. */
class ConcurrencyTest {

    @Test
    void shouldGiveEachThreadTheResultsItWouldGetAlone() throws Exception {
        // Given one model and four threads with their own batches
        try (OnnxConversationModel model = OnnxConversationModel.open(TestBundles.defaultBundle(),
                TestBundles.cpu().build())) {
            List<List<TurnRequest>> batches = new ArrayList<>();
            List<TurnRequest> all = BatchInvarianceTest.requests(96, model.info().stateSize());
            for (int t = 0; t < 4; t++) {
                batches.add(all.subList(t * 24, (t + 1) * 24));
            }
            List<List<TurnResult>> sequential = new ArrayList<>();
            for (List<TurnRequest> batch : batches) {
                sequential.add(model.advance(batch));
            }

            // When the threads advance their batches at the same time, three rounds each
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<List<TurnResult>>>> futures = new ArrayList<>();
                for (List<TurnRequest> batch : batches) {
                    futures.add(pool.submit(() -> List.of(model.advance(batch), model.advance(batch),
                            model.advance(batch))));
                }

                // Then every result equals the one computed alone
                for (int t = 0; t < 4; t++) {
                    for (List<TurnResult> round : futures.get(t).get(2, TimeUnit.MINUTES)) {
                        for (int i = 0; i < round.size(); i++) {
                            assertThat(round.get(i).state()).isEqualTo(sequential.get(t).get(i).state());
                            assertThat(round.get(i).reply()).isEqualTo(sequential.get(t).get(i).reply());
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void shouldRefuseCallsAfterClose() {
        // Given a closed model
        OnnxConversationModel model = OnnxConversationModel.open(TestBundles.defaultBundle(),
                TestBundles.cpu().build());
        model.close();
        model.close();
        // When advanced
        // Then it says it is closed
        assertThatThrownBy(() -> model.advance(List.of(new TurnRequest("c", 0, null, "user", "hi", false))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void shouldRefuseAStateOfOtherDimensions() {
        // Given a state saved under a model of other dimensions
        try (OnnxConversationModel model = OnnxConversationModel.open(TestBundles.defaultBundle(),
                TestBundles.cpu().build())) {
            TurnRequest request = new TurnRequest("c", 0, new float[7], "user", "hi", false);
            // When advanced
            // Then it is refused, never fed silently
            assertThatThrownBy(() -> model.advance(List.of(request))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has a state of 7 floats").hasMessageContaining("needs "
                            + model.info().stateSize());
        }
    }
}
