package io.wmstream.app.bench;

import static io.wmstream.app.bench.BenchFigures.cpu;
import static io.wmstream.app.bench.BenchFigures.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyCurveTest {

    @Test
    void shouldSayWhatShareOfTheOfferedLoadWasAnswered() {
        // Given a level at which 1,000 turns went out in 10 s and 970 were answered, one in fifty of them late
        long[] latencies = new long[50];
        Arrays.fill(latencies, 20);
        latencies[49] = 900;
        LoadGenerator.Measured measured = window(1000, 970, latencies);
        BenchResults.Level level = new BenchResults.Level(0.9, 100, measured, 12.5, cpu(0.1));

        // When it becomes a point of the curve
        LatencyCurve.Point point = LatencyCurve.point(level);

        // Then offered and answered are rates of the span, their ratio the share, the late fiftieth the p99
        assertThat(point.offeredPerSecond()).isEqualTo(100.0);
        assertThat(point.answeredPerSecond()).isEqualTo(97.0);
        assertThat(point.answeredShare()).isCloseTo(0.97, within(1e-12));
        assertThat(point.p50Ms()).isEqualTo(20.0);
        assertThat(point.p99Ms()).isEqualTo(900.0);
        assertThat(point.maxMs()).isEqualTo(900.0);
        assertThat(point.rowsPerCall()).isEqualTo(12.5);
        assertThat(point.unanswered()).isEqualTo(30);
    }

    @Test
    void shouldHaveNoShareWhereNothingWasOffered() {
        // Given a level whose generator sent nothing in the span
        BenchResults.Level level = new BenchResults.Level(0.1, 1, new MeasuredWindow(0, 1).measured(0), 0, cpu(0));

        // Then its share is not a number rather than a division by zero passed off as a figure
        assertThat(LatencyCurve.point(level).answeredShare()).isNaN();
    }

    @Test
    void shouldFindTheLevelsOfTheFloorsAmongTheSevenPoints() {
        // Given a run's curve
        LatencyCurve curve = BenchFigures.run().curve();

        // Then it has the seven levels in order, at the run's saturation, and finds 50 % and 90 %
        assertThat(curve.saturationPerSecond()).isEqualTo(720.0);
        assertThat(curve.points()).extracting(LatencyCurve.Point::fraction)
                .containsExactlyElementsOf(List.of(0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95));
        assertThat(curve.at(0.5)).get().extracting(LatencyCurve.Point::p99Ms).isEqualTo(120.0);
        assertThat(curve.at(0.9)).get().extracting(LatencyCurve.Point::p99Ms).isEqualTo(200.0);
        assertThat(curve.at(0.95)).get().extracting(LatencyCurve.Point::answeredShare).isEqualTo(0.9);
        assertThat(curve.at(0.6)).isEmpty();
    }
}
