package io.wmstream.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuSplitTest {
    private static final String PIPELINE = "wmstream-bench-abc-e2e";

    @Test
    void shouldCountEachThreadOfThePipelineAndTheModelUnderItsPart() {
        // Given the names Kafka Streams, the batching model thread and the model's parallel calls give their threads
        String client = PIPELINE + "-6f1c2a4e-0b7d-4c55-9f3e-2f7d9e1a0c11";

        // Then each is counted where the CPU table says
        assertThat(CpuSplit.part(client + "-StreamThread-1", PIPELINE)).isEqualTo(CpuSplit.Part.STREAM_THREADS);
        assertThat(CpuSplit.part(client + "-StreamThread-2-model", PIPELINE)).isEqualTo(CpuSplit.Part.MODEL_THREADS);
        assertThat(CpuSplit.part("wm-model-wm-gru-dialogue-call-1", PIPELINE)).isEqualTo(CpuSplit.Part.MODEL_THREADS);
        assertThat(CpuSplit.part(client + "-StreamThread-1-producer", PIPELINE))
                .isEqualTo(CpuSplit.Part.PIPELINE_CLIENTS);
        assertThat(CpuSplit.part("kafka-producer-network-thread | wmstream-bench-users", PIPELINE))
                .isEqualTo(CpuSplit.Part.LOAD_GENERATOR);
        assertThat(CpuSplit.part("data-plane-kafka-request-handler-0", PIPELINE)).isEqualTo(CpuSplit.Part.BROKER);
    }

    @Test
    void shouldGiveTheStreamThreadsCpuPerReplyOverTheWholePhase() {
        // Given 10 s in which the stream threads used 0.25 of a core and the phase saw 5,000 replies
        CpuSplit cpu = BenchFigures.cpu(0.25);
        LoadGenerator.Measured measured = BenchFigures.window(5000, 5000, 40);

        // Then each reply cost the stream threads 2.5 s / 5,000 = 0.5 ms
        assertThat(cpu.seconds()).isEqualTo(10.0);
        assertThat(cpu.streamThreads()).isCloseTo(0.25, within(1e-12));
        assertThat(BenchResults.streamCpuMsPerReply(cpu, measured)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void shouldGiveNoCpuPerReplyWithoutReplies() {
        // Given a phase that saw no reply
        CpuSplit cpu = new CpuSplit.Snapshot(1_000_000_000L, 0, 0, Map.of(CpuSplit.Part.STREAM_THREADS, 1L))
                .since(new CpuSplit.Snapshot(0, 0, 0, Map.of()));

        // Then there is no figure rather than an infinite one
        assertThat(BenchResults.streamCpuMsPerReply(cpu, new MeasuredWindow(0, 1).measured(0))).isNaN();
    }
}
