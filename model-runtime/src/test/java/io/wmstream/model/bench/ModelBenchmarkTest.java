package io.wmstream.model.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.model.inference.OnnxConversationModel;
import io.wmstream.model.support.TestBundles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelBenchmarkTest {

    @Test
    void shouldMeasureEveryModeAndBatchSizeAndPrintATable() {
        // Given a model with replies of at most 4 tokens
        try (OnnxConversationModel model = OnnxConversationModel.open(TestBundles.defaultBundle(),
                TestBundles.cpu().maxReplyTokens(4).build())) {
            // When the benchmark runs briefly at batch sizes 1 and 3 with two calling threads
            List<ModelBenchmark.Row> rows = new ArrayList<>();
            ModelBenchmark.run(model, new int[] {1, 3}, 0.05, 2, rows::add);

            // Then there is a row per mode and batch size, with utterances counted and replies generated
            assertThat(rows).extracting(ModelBenchmark.Row::batch).containsExactly(1, 3, 1, 3);
            assertThat(rows).allSatisfy(row -> assertThat(row.utterances()).isEqualTo(row.calls() * row.batch()));
            assertThat(rows.get(3).mode()).isEqualTo("encode + reply (<= 4 tokens)");
            assertThat(rows.get(3).replyTokens()).isPositive();
            assertThat(rows.get(0).replyTokens()).isZero();
            String table = ModelBenchmark.table(rows);
            assertThat(table.lines()).hasSize(6);
            assertThat(table).startsWith("| mode | batch | utterances/s");
        }
    }

    @Test
    void shouldGenerateReproducibleRealLookingUtterances() {
        // Given the sample generator
        // When asked twice with one seed and once with another
        List<String[]> first = SampleUtterances.generate(50, 5);
        List<String[]> again = SampleUtterances.generate(50, 5);
        List<String[]> other = SampleUtterances.generate(50, 6);

        // Then the same seed gives the same utterances, without unfilled slots
        for (int i = 0; i < first.size(); i++) {
            assertThat(again.get(i)).containsExactly(first.get(i));
            assertThat(first.get(i)[1]).doesNotContain("{", "}");
        }
        assertThat(other.get(0)[1] + other.get(1)[1]).isNotEqualTo(first.get(0)[1] + first.get(1)[1]);
    }
}
