package io.wmstream.model.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.wmstream.model.Device;
import io.wmstream.model.DeviceUnavailableException;
import io.wmstream.model.support.TestBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Device choice on a build or machine without CUDA: the default (CPU) build, and the gpu profile's build on a
 * machine without a GPU. Not run with {@code -Dwm.test.cuda=true}, where CUDA is expected to work.
 */
@DisabledIfSystemProperty(named = "wm.test.cuda", matches = "true")
class DeviceSelectionTest {

    @Test
    void shouldFallBackToTheCpuWhenAutoFindsNoUsableCuda() {
        // Given device auto where CUDA cannot be used (no CUDA provider in the CPU build, or no GPU)
        // When the model is opened
        try (OnnxConversationModel model = OnnxConversationModel.open(TestBundles.defaultBundle(),
                TestBundles.cpu().device(Device.AUTO).build())) {
            // Then it runs on the CPU
            assertThat(model.device()).isEqualTo("cpu");
        }
    }

    @Test
    void shouldFailAtStartWithAClearMessageWhenStrictCudaCannotBeHad() {
        // Given a strict cuda device where CUDA cannot be used
        // When the model is opened
        // Then it fails at once, saying what was asked, why it cannot be had, and what to do instead
        assertThatThrownBy(() -> OnnxConversationModel.open(TestBundles.defaultBundle(),
                TestBundles.cpu().device(Device.parse("cuda")).build()))
                .isInstanceOf(DeviceUnavailableException.class)
                .hasMessageStartingWith("wm.model.device=cuda asks for CUDA, which cannot be used: ")
                .hasMessageContaining("set wm.model.device=auto (CUDA when available, else CPU) or cpu");
        assertThatThrownBy(() -> OnnxConversationModel.open(TestBundles.defaultBundle(),
                TestBundles.cpu().device(Device.cuda(1)).build()))
                .hasMessageStartingWith("wm.model.device=cuda:1 asks for CUDA");
    }

    @Test
    void shouldNameTheMissingProviderInTheCpuBuild() {
        // Given the CPU build of ONNX Runtime (the default profile)
        org.junit.jupiter.api.Assumptions.assumeFalse(Boolean.getBoolean("wm.test.gpuBuild"),
                "the gpu profile's build has a CUDA provider");
        assertThat(OrtEnvironment.getAvailableProviders()).doesNotContain(OrtProvider.CUDA);
        // When strict cuda is asked for
        // Then the message says the build lacks the provider and how to get it
        assertThatThrownBy(() -> OnnxConversationModel.open(TestBundles.defaultBundle(),
                TestBundles.cpu().device(Device.parse("cuda:0")).build()))
                .hasMessageContaining("this ONNX Runtime build has no CUDA execution provider")
                .hasMessageContaining("gpu profile (onnxruntime_gpu)");
    }

    @Test
    void shouldHaveTheCudaProviderInTheGpuBuild() {
        // Given the gpu profile's build (mvn -Pgpu), on a machine without a GPU
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("wm.test.gpuBuild"),
                "only under -Pgpu");
        // Then the CUDA provider is compiled in, so the fallback above was decided by the machine, not the build
        assertThat(OrtEnvironment.getAvailableProviders()).contains(OrtProvider.CUDA);
        // and where there is no NVIDIA driver at all, a strict cuda says so
        if (!java.nio.file.Files.exists(java.nio.file.Path.of("/proc/driver/nvidia/version"))) {
            assertThatThrownBy(() -> OnnxConversationModel.open(TestBundles.defaultBundle(),
                    TestBundles.cpu().device(Device.parse("cuda")).build()))
                    .isInstanceOf(DeviceUnavailableException.class)
                    .hasMessageContaining("no NVIDIA driver on this machine");
        }
    }
}
