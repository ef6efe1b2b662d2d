package io.wmstream.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ThroughputTest {
    @Test
    void shouldPutUtterancesPerSecondAndTheModelsShareOfTheTime() throws IOException {
        // Given 300 utterances in 2 s, half a second of it in the model
        Throughput throughput = new Throughput(300, 2_000_000_000L, 500_000_000L);

        // When it is put into the report
        String json = CanonicalJson.mapper().writeValueAsString(throughput.putInto(
                CanonicalJson.mapper().createObjectNode()));

        // Then the rate and the share are those of the times
        assertThat(json).isEqualTo("{\"seconds\":2.0,\"utterancesPerSecond\":150.0,\"modelShare\":0.25}");
    }

    @Test
    void shouldPutZeroRatherThanDivideByNoTime() throws IOException {
        // Given a replay that took no measurable time (a diff's evaluation of two outputs)
        Throughput throughput = new Throughput(3, 0, 0);

        // When it is put into the report
        String json = CanonicalJson.mapper().writeValueAsString(throughput.putInto(
                CanonicalJson.mapper().createObjectNode()));

        // Then every figure is 0, not infinite or NaN
        assertThat(json).isEqualTo("{\"seconds\":0.0,\"utterancesPerSecond\":0.0,\"modelShare\":0.0}");
    }
}
