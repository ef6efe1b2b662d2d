package io.wmstream.model.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.wmstream.model.ModelRuntimeConfig;
import org.junit.jupiter.api.Test;

class SessionOptionsTest {

    @Test
    void shouldTurnThreadSpinningOffByDefault() throws OrtException {
        // Given the default runtime configuration
        // When session options are made from it
        try (OrtSession.SessionOptions options = SessionFactory.options(ModelRuntimeConfig.defaults())) {
            // Then idle ONNX Runtime threads sleep instead of spinning, inside and across operators
            assertThat(options.getConfigEntries()).containsEntry("session.intra_op.allow_spinning", "0")
                    .containsEntry("session.inter_op.allow_spinning", "0");
        }
    }

    @Test
    void shouldLetSpinningBeTurnedOn() throws OrtException {
        // Given wm.model.spinning=true
        ModelRuntimeConfig config = ModelRuntimeConfig.builder().spinning(true).build();
        // When session options are made
        try (OrtSession.SessionOptions options = SessionFactory.options(config)) {
            // Then both pools may spin
            assertThat(options.getConfigEntries()).containsEntry("session.intra_op.allow_spinning", "1")
                    .containsEntry("session.inter_op.allow_spinning", "1");
        }
    }
}
