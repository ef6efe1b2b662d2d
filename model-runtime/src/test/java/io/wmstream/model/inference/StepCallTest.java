package io.wmstream.model.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wmstream.model.ModelFailureException;
import io.wmstream.model.bundle.ModelBundle;
import io.wmstream.model.support.GoldenBundle;
import io.wmstream.model.support.TestBundles;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every call's shapes and lengths are checked before ONNX Runtime sees them. */
class StepCallTest {
    private static OnnxConversationModel model;

    @BeforeAll
    static void open() {
        model = OnnxConversationModel.open(TestBundles.defaultBundle(), TestBundles.cpu().build());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void shouldRefuseLengthsOutsideOneToTime() {
        // Given rows of 3 tokens with a length of 0, and one of 4
        long[][] tokens = {{5, 6, 7}, {8, 9, 10}};
        float[] state = new float[2 * model.info().stateSize()];
        // When the graph is called
        // Then the call is refused before it runs, naming the row and the allowed range
        assertThatThrownBy(() -> model.step(tokens, new long[] {3, 0}, state))
                .isInstanceOf(ModelFailureException.class).hasMessage("Row 1 has length 0; a call of time 3 needs "
                        + "lengths in 1..3");
        assertThatThrownBy(() -> model.step(tokens, new long[] {4, 1}, state))
                .isInstanceOf(ModelFailureException.class).hasMessageStartingWith("Row 0 has length 4");
    }

    @Test
    void shouldRefuseShapesThatDoNotFit() {
        // Given a state of the wrong size and rows of unequal length
        // When the graph is called
        // Then the shapes are named
        assertThatThrownBy(() -> model.step(new long[][] {{5}}, new long[] {1}, new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1 rows, 1 lengths, 3 floats");
        assertThatThrownBy(() -> model.step(new long[][] {{5, 6}, {7}}, new long[] {2, 1},
                new float[2 * model.info().stateSize()]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Row 1 has 1 tokens; row 0 has 2");
    }

    @Test
    void shouldIgnoreTokensAfterARowsLength() {
        // Given the same row padded with zeros and with junk after its length
        float[] state = new float[2 * model.info().stateSize()];
        // When both are run in one call
        StepOutput out = model.step(new long[][] {{5, 6, 0, 0}, {5, 6, 900, 17}}, new long[] {2, 2}, state);
        // Then their logits and states are identical
        int v = model.info().vocabularySize();
        int h = model.info().hiddenSize();
        assertThat(java.util.Arrays.copyOfRange(out.logits(), v, 2 * v))
                .isEqualTo(java.util.Arrays.copyOfRange(out.logits(), 0, v));
        assertThat(java.util.Arrays.copyOfRange(out.state(), h, 2 * h))
                .isEqualTo(java.util.Arrays.copyOfRange(out.state(), 0, h));
    }

    @Test
    void shouldAnswerAnEmptyBatchWithNoResults() {
        // Given no requests
        // When advanced
        // Then nothing comes back and nothing fails
        assertThat(model.advance(List.of())).isEmpty();
    }

    @Test
    void shouldGiveTheSameLogitsAndStatesWithAndWithoutTagsOfATaggedBundle() {
        // Given the 2.0 bundle and a call of two rows of different lengths, one token shorter than the lookahead
        ModelBundle bundle = GoldenBundle.SHIPPED.bundle();
        int stateSize = bundle.info().stateSize();
        float[] state = new float[2 * stateSize];
        try (OnnxConversationModel tagged = OnnxConversationModel.open(bundle, TestBundles.cpu().build())) {
            for (long[][] tokens : List.of(new long[][] {{3, 30, 2}, {4, 2, 0}}, new long[][] {{3}, {4}})) {
                long[] lengths = tokens[0].length == 1 ? new long[] {1, 1} : new long[] {3, 2};

                // When stepped with and without tags
                StepOutput with = tagged.step(tokens, lengths, state);
                StepOutput without = tagged.step(tokens, lengths, state, false);

                // Then logits and states agree within 1e-5, only the first has tag scores, one per class and token
                assertThat(GoldenModelTest.maxDifference(with.logits(), without.logits())).isLessThanOrEqualTo(1e-5);
                assertThat(GoldenModelTest.maxDifference(with.state(), without.state())).isLessThanOrEqualTo(1e-5);
                assertThat(with.tags()).hasSize(2 * tokens[0].length * tagged.tagClasses().size());
                assertThat(without.tags()).isEmpty();
            }
        }
    }
}
