package io.wmstream.app.bench;

import static io.wmstream.app.bench.BenchFigures.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelCeilingTest {

    @Test
    void shouldTryEveryCallerAndIntraOpSplitOfTwoCores() {
        // When the settings of a two-core machine are listed
        List<ModelCeiling.Setting> settings = ModelCeiling.settings(2);

        // Then one thread, two intra-op threads and two callers are tried, and nothing that oversubscribes
        assertThat(settings).containsExactly(new ModelCeiling.Setting(1, 1), new ModelCeiling.Setting(1, 2),
                new ModelCeiling.Setting(2, 1));
    }

    @Test
    void shouldKeepTheSettingsOfSixteenCoresWithinTheCoresAndFew() {
        // When the settings of 16 and of 6 cores are listed
        List<ModelCeiling.Setting> sixteen = ModelCeiling.settings(16);
        List<ModelCeiling.Setting> six = ModelCeiling.settings(6);

        // Then powers of two and the core count, never more threads than cores, one thread first
        assertThat(sixteen).hasSize(15).allSatisfy(s -> assertThat(s.threads()).isLessThanOrEqualTo(16))
                .contains(new ModelCeiling.Setting(16, 1), new ModelCeiling.Setting(1, 16),
                        new ModelCeiling.Setting(4, 4))
                .startsWith(new ModelCeiling.Setting(1, 1));
        assertThat(six).containsExactly(new ModelCeiling.Setting(1, 1), new ModelCeiling.Setting(1, 2),
                new ModelCeiling.Setting(1, 4), new ModelCeiling.Setting(1, 6), new ModelCeiling.Setting(2, 1),
                new ModelCeiling.Setting(2, 2), new ModelCeiling.Setting(2, 3), new ModelCeiling.Setting(4, 1),
                new ModelCeiling.Setting(6, 1));
        assertThat(ModelCeiling.settings(1)).containsExactly(new ModelCeiling.Setting(1, 1));
    }

    @Test
    void shouldTakeTheFastestSettingAsTheCeilingAndKeepTheOneThreadSettingBesideIt() {
        // Given two calling threads faster than one thread with two intra-op threads
        ModelCeiling ceiling = BenchFigures.run().ceiling();

        // Then the ceiling is theirs, and the one-thread row is still there
        assertThat(ceiling.best().setting()).isEqualTo(new ModelCeiling.Setting(2, 1));
        assertThat(ceiling.utterancesPerSecond()).isEqualTo(900.0);
        assertThat(ceiling.singleThread()).get().extracting(r -> r.best().utterancesPerSecond()).isEqualTo(500.0);
    }

    @Test
    void shouldMeasureTheModelsBatchingGainAgainstItsBestAtBatchOne() {
        // Given a model whose best at batch 1 is one setting and best at batch 64 another
        ModelCeiling ceiling = new ModelCeiling(List.of(
                new ModelCeiling.SettingRow(new ModelCeiling.Setting(1, 1), row(1, 100), row(64, 500)),
                new ModelCeiling.SettingRow(new ModelCeiling.Setting(1, 2), row(1, 150), row(64, 560)),
                new ModelCeiling.SettingRow(new ModelCeiling.Setting(2, 1), row(1, 120), row(64, 750))));

        // When its batching gain is taken
        double gain = ceiling.batchingGain();

        // Then it is the best at any batch against the best at batch 1, each over all settings
        assertThat(ceiling.bestAtBatchOne().setting()).isEqualTo(new ModelCeiling.Setting(1, 2));
        assertThat(gain).isEqualTo(5.0);
    }
}
