package io.wmstream.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.wmstream.model.support.TestBundles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format 2 manifests: the tagger section is read, and refused where it disagrees with the graph or tokenizer. */
class TaggerManifestTest {

    @TempDir
    Path temp;

    @Test
    void shouldReadTheTaggerOfAFormat2Bundle() {
        // Given a format 2 bundle with a tagger of 20 classes and the wm-word-v2 placeholders
        Path dir = TestBundles.copyDefaultAsTaggedTo(temp.resolve("bundle"));

        // When loaded
        ModelBundle bundle = ModelBundle.load(dir);

        // Then the tagger's output, classes and lookahead are the manifest's, and placeholders are single tokens
        BundleManifest.Tagger tagger = bundle.tagger().orElseThrow();
        assertThat(bundle.manifest().formatVersion()).isEqualTo(2);
        assertThat(tagger.output()).isEqualTo("tags");
        assertThat(tagger.classes()).hasSize(20).startsWith("none", "name", "title").endsWith("category");
        assertThat(tagger.lookahead()).isEqualTo(2);
        assertThat(bundle.tokenizerSpec().placeholders()).isEqualTo(tagger.placeholders());
        assertThat(bundle.tokenizer().encodeText("[TIME] [price_range]")).containsExactly(12, 17);
    }

    @Test
    void shouldHaveNoTaggerInABundleWithoutATaggerSection() {
        // Given a generated bundle without a tagger, and a format 2 bundle whose tagger section is taken out
        Path untagged = TestBundles.writeUntaggedTo(temp.resolve("untagged"));
        Path dir = TestBundles.copyDefaultAsTaggedTo(temp.resolve("bundle"));
        TestBundles.editJson(dir, "manifest.json", m -> ((ObjectNode) m).remove("tagger"));

        // When loaded
        // Then neither has a tagger, and both load
        assertThat(ModelBundle.load(untagged).tagger()).isEmpty();
        assertThat(ModelBundle.load(dir).tagger()).isEmpty();
    }

    @Test
    void shouldRefuseClassesThatDisagreeWithTheLastDimensionOfTheTagsOutput() {
        // Given a tagger of 20 classes over a tags output declared with 19
        Path dir = TestBundles.copyDefaultAsTaggedTo(temp.resolve("bundle"));
        TestBundles.editJson(dir, "manifest.json", m -> ((ArrayNode) m.path("graph").path("outputs").get(2)
                .path("shape")).set(2, 19));

        // When loaded
        // Then both counts are named
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("tagger.classes lists 20 classes but graph output 'tags' has 19");
    }

    @Test
    void shouldRefuseATaggerOutputThatTheGraphDoesNotDeclare() {
        // Given a tagger reading an output that graph.outputs does not list, and one reading the logits
        Path missing = TestBundles.copyDefaultAsTaggedTo(temp.resolve("missing"));
        TestBundles.editJson(missing, "manifest.json", m -> ((ObjectNode) m.path("tagger")).put("output", "facts"));
        Path logits = TestBundles.copyDefaultAsTaggedTo(temp.resolve("logits"));
        TestBundles.editJson(logits, "manifest.json", m -> ((ObjectNode) m.path("tagger")).put("output", "logits"));

        // When loaded
        // Then the output and the declared ones are named
        assertThatThrownBy(() -> ModelBundle.load(missing)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("tagger.output 'facts' is not an extra output of graph.outputs "
                        + "[logits, state_out, tags]");
        assertThatThrownBy(() -> ModelBundle.load(logits)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("tagger.output 'logits' is not an extra output");
    }

    @Test
    void shouldRefusePlaceholdersThatDisagreeWithTheTagClasses() {
        // Given a tokenizer whose last placeholder is not the tagger's last class
        Path dir = TestBundles.copyDefaultAsTaggedTo(temp.resolve("bundle"));
        TestBundles.editJson(dir, "manifest.json", m -> ((ArrayNode) m.path("tagger").path("classes"))
                .set(19, TextNode.valueOf("cuisine")));

        // When loaded
        // Then both lists are named
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("tokenizer.json has placeholders [[name], ")
                .hasMessageContaining("but the tagger classes after 'none' in manifest.json imply [[name], ")
                .hasMessageContaining("[cuisine]]");
    }

    @Test
    void shouldRefusePlaceholdersOutsideTheirVocabularyIds() {
        // Given a tokenizer whose placeholder list is out of vocabulary order
        Path dir = TestBundles.copyDefaultAsTaggedTo(temp.resolve("bundle"));
        TestBundles.editJson(dir, "tokenizer.json", t -> {
            ArrayNode placeholders = (ArrayNode) t.path("placeholders");
            placeholders.set(0, TextNode.valueOf("[title]"));
            placeholders.set(1, TextNode.valueOf("[name]"));
        });

        // When loaded
        // Then the placeholder, its required id and what the vocabulary has there are named
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("placeholder 0 '[title]' must have id 5 but the vocabulary has '[name]'");
    }

    @Test
    void shouldRefuseATaggerInAFormat1ManifestOrOverAV1Tokenizer() {
        // Given a format 1 manifest with a tagger section, and a tagger over a wm-word-v1 tokenizer
        Path format1 = TestBundles.copyDefaultAsTaggedTo(temp.resolve("format1"));
        TestBundles.editJson(format1, "manifest.json", m -> ((ObjectNode) m).put("formatVersion", 1));
        Path v1 = TestBundles.copyDefaultAsTaggedTo(temp.resolve("v1"));
        TestBundles.editJson(v1, "tokenizer.json", t -> ((ObjectNode) t).put("spec", "wm-word-v1")
                .remove("placeholders"));
        TestBundles.editJson(v1, "manifest.json", m -> ((ObjectNode) m.path("tokenizer")).put("spec", "wm-word-v1"));

        // When loaded
        // Then each is refused with what it lacks
        assertThatThrownBy(() -> ModelBundle.load(format1)).isInstanceOf(InvalidBundleException.class)
                .hasMessageEndingWith("manifest.json has a 'tagger' section, which needs formatVersion 2; it says 1");
        assertThatThrownBy(() -> ModelBundle.load(v1)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("has a tagger, whose classes need the placeholders of spec wm-word-v2");
    }
}
