package io.wmstream.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.model.ModelInfo;
import io.wmstream.model.inference.OnnxConversationModel;
import io.wmstream.model.support.TestBundles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {

    @TempDir
    Path temp;

    @Test
    void shouldLoadTheDefaultBundleFromTheClasspath() {
        // Given the bundle shipped in the jar
        // When loaded
        ModelBundle bundle = ModelBundle.loadDefault();

        // Then its identity and dimensions are the manifest's, and its tokenizer has the manifest's vocabulary
        JsonNode manifest = TestBundles.json(readDefault("manifest.json"));
        ModelInfo info = bundle.info();
        assertThat(info.name()).isEqualTo(manifest.path("name").asText());
        assertThat(info.version()).isEqualTo(manifest.path("version").asText());
        assertThat(info.layers()).isEqualTo(manifest.path("dimensions").path("layers").asInt());
        assertThat(info.hiddenSize()).isEqualTo(manifest.path("dimensions").path("hidden").asInt());
        assertThat(info.vocabularySize()).isEqualTo(manifest.path("dimensions").path("vocab").asInt());
        assertThat(bundle.tokenizer().vocabularySize()).isEqualTo(info.vocabularySize());
        assertThat(bundle.source()).startsWith("classpath:");
    }

    @Test
    void shouldLoadTheSameBundleFromADirectory() {
        // Given a copy of the default bundle in a directory, as wm.model.dir would name it
        Path dir = TestBundles.copyDefaultTo(temp.resolve("bundle"));

        // When loaded through the setting
        ModelBundle bundle = ModelBundle.fromSetting(dir.toString());

        // Then it is the same model; a blank setting selects the default bundle
        assertThat(bundle.info()).isEqualTo(TestBundles.defaultBundle().info());
        assertThat(bundle.modelBytes()).isEqualTo(TestBundles.defaultBundle().modelBytes());
        assertThat(ModelBundle.fromSetting(" ").source()).startsWith("classpath:");
    }

    @Test
    void shouldRefuseAFileWhoseChecksumDiffers() throws IOException {
        // Given a bundle whose tokenizer file was changed by one byte, keeping its size
        Path dir = TestBundles.copyDefaultTo(temp.resolve("bundle"));
        String tokenizerFile = manifestOf(dir).path("tokenizer").path("file").asText();
        byte[] content = Files.readAllBytes(dir.resolve(tokenizerFile));
        content[content.length / 2] ^= 1;
        Files.write(dir.resolve(tokenizerFile), content);

        // When loaded
        // Then it is refused, naming the file and both checksums
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining(tokenizerFile + " has sha256 ")
                .hasMessageContaining("but manifest.json says " + manifestOf(dir).path("files").path(tokenizerFile)
                        .path("sha256").asText());
    }

    @Test
    void shouldRefuseAMissingFile() throws IOException {
        // Given a bundle without its ONNX graph
        Path dir = TestBundles.copyDefaultTo(temp.resolve("bundle"));
        String graphFile = manifestOf(dir).path("graph").path("file").asText();
        Files.delete(dir.resolve(graphFile));

        // When loaded
        // Then it is refused, naming the missing file
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(InvalidBundleException.class)
                .hasMessageEndingWith("refused: file '" + graphFile + "' listed in manifest.json is missing");
    }

    @Test
    void shouldRefuseADirectoryWithoutManifest() throws IOException {
        // Given an empty directory
        Path dir = Files.createDirectories(temp.resolve("empty"));
        // When loaded
        // Then the manifest is named as missing
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(InvalidBundleException.class)
                .hasMessageEndingWith("refused: manifest.json is missing");
        assertThatThrownBy(() -> ModelBundle.load(temp.resolve("nowhere"))).hasMessageEndingWith("not a directory");
    }

    @Test
    void shouldRefuseDimensionsThatDisagreeWithTheGraphDeclaration() throws IOException {
        // Given a manifest whose hidden size was changed
        Path dir = TestBundles.copyDefaultTo(temp.resolve("bundle"));
        int hidden = manifestOf(dir).path("dimensions").path("hidden").asInt();
        editManifest(dir, m -> ((ObjectNode) m.path("dimensions")).put("hidden", hidden + 1));

        // When loaded
        // Then the state input's shape is named with what the dimensions imply
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("'state' with shape")
                .hasMessageContaining("dimensions imply [" + manifestOf(dir).path("dimensions").path("layers").asInt()
                        + ", batch, " + (hidden + 1) + "]");
    }

    @Test
    void shouldRefuseAGraphWhoseRealShapesDifferFromTheManifest() throws IOException {
        // Given a manifest that declares (consistently with itself) a hidden size the graph does not have
        Path dir = TestBundles.copyDefaultTo(temp.resolve("bundle"));
        int hidden = manifestOf(dir).path("dimensions").path("hidden").asInt();
        editManifest(dir, m -> {
            ((ObjectNode) m.path("dimensions")).put("hidden", hidden * 2);
            for (String side : new String[] {"inputs", "outputs"}) {
                for (JsonNode tensor : m.path("graph").path(side)) {
                    if (tensor.path("name").asText().startsWith("state")) {
                        ((ArrayNode) tensor.path("shape")).set(2, hidden * 2);
                    }
                }
            }
        });
        ModelBundle bundle = ModelBundle.load(dir);

        // When a session is opened on it
        // Then the graph's own shape is reported against the manifest's
        assertThatThrownBy(() -> OnnxConversationModel.open(bundle, TestBundles.cpu().build()).close())
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("'state' has shape [" + manifestOf(dir).path("dimensions").path("layers").asInt()
                        + ", dynamic, " + hidden + "]")
                .hasMessageContaining("imply [" + manifestOf(dir).path("dimensions").path("layers").asInt()
                        + ", dynamic, " + hidden * 2 + "]");
    }

    @Test
    void shouldRefuseAWrongInputName() throws IOException {
        // Given a manifest that calls the token input "input_ids"
        Path dir = TestBundles.copyDefaultTo(temp.resolve("bundle"));
        editManifest(dir, m -> ((ObjectNode) m.path("graph").path("inputs").get(0)).put("name", "input_ids"));

        // When loaded
        // Then the declared and expected input names are both named
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(InvalidBundleException.class)
                .hasMessageEndingWith("manifest.json declares graph inputs [input_ids, lengths, state]; the runtime "
                        + "feeds exactly [tokens, lengths, state]");
    }

    @Test
    void shouldRefuseAnOpsetThatDiffersFromTheGraphs() throws IOException {
        // Given a manifest that claims another opset than the graph imports
        Path dir = TestBundles.copyDefaultTo(temp.resolve("bundle"));
        int opset = manifestOf(dir).path("graph").path("opset").asInt();
        editManifest(dir, m -> ((ObjectNode) m.path("graph")).put("opset", opset + 1));

        // When loaded
        // Then both opsets are named
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("imports ONNX opset " + opset + " but manifest.json says " + (opset + 1));
    }

    @Test
    void shouldRefuseAnotherTokenizerSpecOrVocabularySize() throws IOException {
        // Given manifests naming another tokenizer spec, and another vocabulary size
        Path spec = TestBundles.copyDefaultTo(temp.resolve("spec"));
        editManifest(spec, m -> ((ObjectNode) m.path("tokenizer")).put("spec", "wm-word-v1"));
        Path size = TestBundles.copyDefaultTo(temp.resolve("size"));
        editManifest(size, m -> ((ObjectNode) m.path("tokenizer")).put("vocabSize", 7));

        // When loaded
        // Then the disagreement is named
        assertThatThrownBy(() -> ModelBundle.load(spec)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("is spec 'wm-word-v2' but manifest.json says 'wm-word-v1'");
        assertThatThrownBy(() -> ModelBundle.load(size)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("vocabulary sizes disagree").hasMessageContaining("tokenizer.vocabSize 7");
    }

    @Test
    void shouldRefuseAFormatVersionItCannotRead() throws IOException {
        // Given a manifest of a future format
        Path dir = TestBundles.copyDefaultTo(temp.resolve("bundle"));
        editManifest(dir, m -> ((ObjectNode) m).put("formatVersion", 4));
        // When loaded
        // Then the version is named
        assertThatThrownBy(() -> ModelBundle.load(dir))
                .hasMessageEndingWith("manifest.json formatVersion 4 is not supported (this runtime reads [1, 2, 3])");
    }

    @Test
    void shouldRefuseAManifestThatLacksAField() throws IOException {
        // Given a manifest without dimensions.layers
        Path dir = TestBundles.copyDefaultTo(temp.resolve("bundle"));
        editManifest(dir, m -> ((ObjectNode) m.path("dimensions")).remove("layers"));
        // When loaded
        // Then the missing path is named
        assertThatThrownBy(() -> ModelBundle.load(dir)).hasMessageEndingWith("manifest.json lacks 'dimensions.layers'");
    }

    @Test
    void shouldReadTheOpsetOfAnOnnxModel() {
        // Given the default graph's bytes
        // When its header is read
        OnnxModelHeader header = OnnxModelHeader.parse(TestBundles.defaultBundle().modelBytes());
        // Then the default-domain opset is the manifest's
        assertThat(header.onnxOpset()).isEqualTo(TestBundles.defaultBundle().manifest().graph().opset());
        assertThat(header.irVersion()).isPositive();
        assertThatThrownBy(() -> OnnxModelHeader.parse("not a model".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] readDefault(String name) {
        try {
            return Files.readAllBytes(TestBundles.DEFAULT_DIR.resolve(name));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode manifestOf(Path dir) throws IOException {
        return TestBundles.mapper().readTree(dir.resolve("manifest.json").toFile());
    }

    private static void editManifest(Path dir, Consumer<JsonNode> edit) throws IOException {
        JsonNode manifest = manifestOf(dir);
        edit.accept(manifest);
        TestBundles.mapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("manifest.json").toFile(),
                manifest);
    }
}
