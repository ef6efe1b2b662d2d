package io.wmstream.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wmstream.model.support.GoldenBundle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The committed model bundle (model-runtime/models/wm-gru-dialogue-3, the default) is self-consistent: its
 * manifest's checksums match the files, and manifest, tokenizer file and golden.json agree on dimensions, names,
 * special tokens and, with a tagger, tag classes. Needs no Python and no ONNX Runtime.
 */
@ParameterizedClass(name = "bundle {0}")
@EnumSource(GoldenBundle.class)
class DefaultBundleFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameter
    GoldenBundle bundle;

    private Path dir;
    private JsonNode manifest;
    private JsonNode tokenizer;
    private JsonNode golden;

    @BeforeEach
    void readBundle() throws IOException {
        dir = bundle.assumePresent().dir();
        manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
        tokenizer = JSON.readTree(dir.resolve(manifest.path("tokenizer").path("file").asText()).toFile());
        golden = JSON.readTree(dir.resolve(manifest.path("golden").path("file").asText()).toFile());
    }

    @Test
    void shouldMatchManifestChecksums() throws Exception {
        // Given the files the manifest lists with their sha256 and size
        JsonNode files = manifest.path("files");
        assertThat(files.size()).isGreaterThanOrEqualTo(4);

        // When each file is hashed
        // Then every hash and size equals the manifest's
        for (Map.Entry<String, JsonNode> e : files.properties()) {
            Path file = dir.resolve(e.getKey());
            assertThat(file).as(e.getKey()).isRegularFile();
            assertThat(sha256(file)).as("sha256 of %s", e.getKey()).isEqualTo(e.getValue().path("sha256").asText());
            assertThat(Files.size(file)).as("bytes of %s", e.getKey()).isEqualTo(e.getValue().path("bytes").asLong());
        }
    }

    @Test
    void shouldListEveryBundleFileInTheManifest() throws IOException {
        // Given the files present in the bundle directory
        TreeSet<String> present = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).forEach(present::add);
        }

        // When the manifest itself is set aside
        present.remove("manifest.json");

        // Then exactly the other files are listed, including the step graph, tokenizer, golden cases and model card
        TreeSet<String> listed = new TreeSet<>();
        manifest.path("files").fieldNames().forEachRemaining(listed::add);
        assertThat(listed).isEqualTo(present);
        assertThat(listed).contains(manifest.path("graph").path("file").asText(),
                manifest.path("tokenizer").path("file").asText(), "golden.json", "MODEL_CARD.md");
    }

    @Test
    void shouldStayWithinTheSizeBudget() throws IOException {
        // Given the bundle directory
        long total = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                total += Files.size(p);
            }
        }
        // Then it is at most 20 MB
        assertThat(total).isLessThanOrEqualTo(20L * 1024 * 1024);
    }

    @Test
    void shouldNameTheStepGraphInputsAndOutputs() {
        // Given the manifest's graph description
        JsonNode graph = manifest.path("graph");

        // Then inputs and outputs are the DESIGN 4.6 contract, in order, with their dtypes
        assertThat(names(graph.path("inputs"))).containsExactly("tokens", "lengths", "state");
        assertThat(dtypes(graph.path("inputs"))).containsExactly("int64", "int64", "float32");
        assertThat(names(graph.path("outputs"))).startsWith("logits", "state_out");
        assertThat(dtypes(graph.path("outputs"))).startsWith("float32", "float32");
        assertThat(graph.path("opset").asInt()).isBetween(1, 17);
        assertThat(manifest.path("name").asText()).startsWith("wm-gru-dialogue");
        assertThat(manifest.path("version").asText()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(golden.path("model").path("name").asText()).isEqualTo(manifest.path("name").asText());
        assertThat(golden.path("model").path("version").asText()).isEqualTo(manifest.path("version").asText());
    }

    @Test
    void shouldAgreeOnDimensionsAcrossManifestTokenizerAndGolden() {
        // Given the manifest's dimensions
        JsonNode dims = manifest.path("dimensions");
        int vocab = dims.path("vocab").asInt();
        int layers = dims.path("layers").asInt();
        int hidden = dims.path("hidden").asInt();
        assertThat(vocab).isPositive();
        assertThat(layers).isPositive();
        assertThat(hidden).isPositive();

        // Then the tokenizer's vocabulary has that size
        assertThat(tokenizer.path("vocabulary").size()).isEqualTo(vocab);
        assertThat(tokenizer.path("vocabSize").asInt()).isEqualTo(vocab);
        assertThat(manifest.path("tokenizer").path("vocabSize").asInt()).isEqualTo(vocab);
        // and the graph's declared shapes use it
        assertThat(manifest.path("graph").path("outputs").get(0).path("shape").get(1).asInt()).isEqualTo(vocab);
        assertThat(manifest.path("graph").path("inputs").get(2).path("shape").get(0).asInt()).isEqualTo(layers);
        assertThat(manifest.path("graph").path("inputs").get(2).path("shape").get(2).asInt()).isEqualTo(hidden);

        // and every golden model case has [B,T] tokens below vocab, lengths in 1..T, [L,B,H] states and [B,V] logits
        for (JsonNode c : golden.path("model_cases")) {
            int b = c.path("batch").asInt();
            int t = c.path("time").asInt();
            assertThat(c.path("tokens").size()).as(c.path("name").asText()).isEqualTo(b);
            for (JsonNode row : c.path("tokens")) {
                assertThat(row.size()).isEqualTo(t);
                row.forEach(id -> assertThat(id.asInt()).isBetween(0, vocab - 1));
            }
            assertThat(c.path("lengths").size()).isEqualTo(b);
            c.path("lengths").forEach(n -> assertThat(n.asInt()).isBetween(1, t));
            for (String key : List.of("state", "state_out")) {
                assertThat(c.path(key).size()).as(key).isEqualTo(layers);
                for (JsonNode layer : c.path(key)) {
                    assertThat(layer.size()).isEqualTo(b);
                    layer.forEach(v -> assertThat(v.size()).isEqualTo(hidden));
                }
            }
            assertThat(c.path("logits").size()).isEqualTo(b);
            c.path("logits").forEach(row -> assertThat(row.size()).isEqualTo(vocab));
        }
    }

    @Test
    void shouldDeclareSpecialAndRoleTokensAtTheirVocabularyIds() {
        // Given the vocabulary list
        JsonNode voc = tokenizer.path("vocabulary");
        JsonNode special = manifest.path("tokenizer").path("specialTokens");

        // Then pad, unk and eou sit at the ids the manifest names
        assertThat(voc.get(special.path("pad").asInt()).asText()).isEqualTo("<pad>");
        assertThat(voc.get(special.path("unk").asInt()).asText()).isEqualTo("<unk>");
        assertThat(voc.get(special.path("eou").asInt()).asText()).isEqualTo("<eou>");
        assertThat(special.path("pad").asInt()).isZero();
        // and each speaker role has its own token, the same in manifest and tokenizer file
        JsonNode roles = manifest.path("tokenizer").path("roleTokens");
        assertThat(roles.has("user")).isTrue();
        assertThat(roles.has("system")).isTrue();
        roles.properties().forEach(e -> {
            assertThat(voc.get(e.getValue().asInt()).asText()).isEqualTo("<" + e.getKey() + ">");
            int id = tokenizer.path("roleTokens").path(e.getKey()).path("id").asInt();
            assertThat(id).isEqualTo(e.getValue().asInt());
        });
        // and decoding starts, stops and suppresses with ids of that vocabulary
        JsonNode dec = manifest.path("decoding");
        assertThat(dec.path("startToken").asInt()).isEqualTo(roles.path("system").asInt());
        assertThat(dec.path("stopToken").asInt()).isEqualTo(special.path("eou").asInt());
        assertThat(dec.path("maxTokens").asInt()).isPositive();
        // and vocabulary entries are unique
        TreeSet<String> unique = new TreeSet<>();
        voc.forEach(v -> unique.add(v.asText()));
        assertThat(unique).hasSize(voc.size());
    }

    @Test
    void shouldCarryEnoughGoldenCases() {
        // Given golden.json
        JsonNode tok = golden.path("tokenizer");
        JsonNode cases = golden.path("model_cases");

        // Then it has at least 40 tokenizer cases, ids inside the vocabulary, one empty after normalisation
        assertThat(tok.size()).isGreaterThanOrEqualTo(40);
        int vocab = manifest.path("dimensions").path("vocab").asInt();
        boolean someEmpty = false;
        for (JsonNode c : tok) {
            assertThat(c.path("text").isTextual()).isTrue();
            c.path("ids").forEach(id -> assertThat(id.asInt()).isBetween(1, vocab - 1));
            someEmpty |= c.path("ids").isEmpty();
        }
        assertThat(someEmpty).isTrue();
        // and at least 10 model cases at batch sizes 1 and 5, with mixed lengths and non-zero input states
        assertThat(cases.size()).isGreaterThanOrEqualTo(10);
        List<Integer> batches = new ArrayList<>();
        boolean mixed = false;
        boolean nonZeroState = false;
        for (JsonNode c : cases) {
            batches.add(c.path("batch").asInt());
            TreeSet<Integer> lens = new TreeSet<>();
            c.path("lengths").forEach(n -> lens.add(n.asInt()));
            mixed |= lens.size() > 1;
            for (JsonNode layer : c.path("state")) {
                for (JsonNode row : layer) {
                    for (JsonNode v : row) {
                        nonZeroState |= v.asDouble() != 0.0;
                    }
                }
            }
        }
        assertThat(batches).contains(1, 5);
        assertThat(mixed).isTrue();
        assertThat(nonZeroState).isTrue();
    }

    @Test
    void shouldRecordMemoryAndTaggerEvaluationsPerHeldOutSet() {
        // Given the manifest's evaluation, one entry per held-out set
        JsonNode ev = manifest.path("evaluation");

        // Then each set records the three perplexities and, with a tagger, the tagger's token F1
        assertThat(ev.size()).isPositive();
        for (Map.Entry<String, JsonNode> set : ev.properties()) {
            JsonNode perplexity = set.getValue().path("perplexity");
            for (String key : List.of("withMemory", "memoryReset", "noMemoryModel")) {
                assertThat(perplexity.path(key).asDouble()).as("%s %s", set.getKey(), key).isGreaterThan(1.0);
            }
            if (manifest.has("tagger")) {
                assertThat(set.getValue().path("tagger").path("tokenF1").asDouble()).as("%s tagger", set.getKey())
                        .isBetween(0.0, 1.0);
            }
        }
        assertThat(ev.has("multiwoz-test")).as("an evaluation on the MultiWOZ test split").isTrue();
        // and the training provenance names data, licence and seed
        JsonNode training = manifest.path("training");
        assertThat(training.path("data").size()).isPositive();
        assertThat(training.path("licence").asText()).contains("CC BY");
        assertThat(training.has("seed") || training.path("config").has("seed")).isTrue();
    }

    @Test
    void shouldShowTheMemoryEarningItsPlaceOnTheMultiwozTestSplit() {
        // Given the manifest's evaluation on the MultiWOZ test split
        JsonNode perplexity = manifest.path("evaluation").path("multiwoz-test").path("perplexity");

        // Then the working memory is at least 10% below the no-memory model
        assertThat(perplexity.path("withMemory").asDouble())
                .isLessThanOrEqualTo(0.9 * perplexity.path("noMemoryModel").asDouble());
    }

    @Test
    void shouldCarryTagClassesAndTaggedGoldenCasesWhereThereIsATagger() {
        // Given a format 2 manifest with a tagger
        Assumptions.assumeTrue(manifest.has("tagger"), () -> "the " + bundle + " bundle has no tagger");
        JsonNode tagger = manifest.path("tagger");
        List<String> classes = new ArrayList<>();
        tagger.path("classes").forEach(c -> classes.add(c.asText()));

        // Then it is format 2 or 3 with spec wm-word-v2, its tags output has one score per class, and class k > 0
        // is the placeholder "[" + class + "]" at vocabulary id 4 + k
        assertThat(manifest.path("formatVersion").asInt()).isIn(2, 3);
        assertThat(golden.path("formatVersion").asInt()).isEqualTo(manifest.path("formatVersion").asInt());
        assertThat(tokenizer.path("spec").asText()).isEqualTo("wm-word-v2");
        assertThat(classes.get(0)).isEqualTo("none");
        JsonNode tags = null;
        for (JsonNode output : manifest.path("graph").path("outputs")) {
            tags = output.path("name").asText().equals(tagger.path("output").asText()) ? output : tags;
        }
        assertThat(tags).as("the tagger's output in graph.outputs").isNotNull();
        assertThat(tags.path("shape").get(2).asInt()).isEqualTo(classes.size());
        for (int k = 1; k < classes.size(); k++) {
            assertThat(tokenizer.path("placeholders").get(k - 1).asText()).isEqualTo("[" + classes.get(k) + "]");
            assertThat(tokenizer.path("vocabulary").get(4 + k).asText()).isEqualTo("[" + classes.get(k) + "]");
        }
        // and every golden model case has tag scores and tag ids for each row's real positions
        for (JsonNode c : golden.path("model_cases")) {
            for (int b = 0; b < c.path("batch").asInt(); b++) {
                int length = c.path("lengths").get(b).asInt();
                assertThat(c.path("tags").get(b).size()).as(c.path("name").asText()).isEqualTo(length);
                c.path("tags").get(b).forEach(row -> assertThat(row.size()).isEqualTo(classes.size()));
                assertThat(c.path("tagIds").get(b).size()).isEqualTo(length);
            }
        }
        // and the tagged utterances name a class for every token
        JsonNode tagged = golden.path("taggedUtterances");
        assertThat(tagged.size()).isPositive();
        for (JsonNode u : tagged) {
            assertThat(u.path("tagIds").size()).isEqualTo(u.path("ids").size());
            assertThat(u.path("tags").size()).isEqualTo(u.path("ids").size());
            for (int t = 0; t < u.path("ids").size(); t++) {
                assertThat(u.path("tags").get(t).asText()).isEqualTo(classes.get(u.path("tagIds").get(t).asInt()));
            }
        }
    }

    private static List<String> names(JsonNode ios) {
        List<String> out = new ArrayList<>();
        ios.forEach(n -> out.add(n.path("name").asText()));
        return out;
    }

    private static List<String> dtypes(JsonNode ios) {
        List<String> out = new ArrayList<>();
        ios.forEach(n -> out.add(n.path("dtype").asText()));
        return out;
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
