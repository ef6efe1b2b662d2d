package io.wmstream.model.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.model.tokenizer.TokenizerSpec;
import io.wmstream.model.tokenizer.WordTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a bundle's tokenizer file into a {@link TokenizerSpec} and checks it against the manifest: spec name,
 * vocabulary size, special and role tokens, speakers, and for {@code wm-word-v2} the placeholders, which must be
 * the vocabulary's ids 5.. in order and, with a tagger, the tagger's classes after "none".
 */
final class TokenizerFileReader {
    /** wm-word-v2: "ids 5-23 the placeholders in inventory order", after the five special and role tokens. */
    static final int FIRST_PLACEHOLDER_ID = 5;

    private static final String MANIFEST = ModelBundle.MANIFEST;

    private TokenizerFileReader() {
    }

    static TokenizerSpec read(String source, BundleManifest manifest, byte[] content) {
        String file = manifest.tokenizer().file();
        JsonFields f = JsonFields.read(source, file, content);
        BundleManifest.TokenizerRef ref = manifest.tokenizer();
        String spec = f.text("spec");
        if (!spec.equals(ref.spec())) {
            throw new InvalidBundleException(source, file + " is spec '" + spec + "' but " + MANIFEST + " says '"
                    + ref.spec() + "'");
        }
        if (!WordTokenizer.SPEC_NAMES.contains(spec)) {
            throw new InvalidBundleException(source, "tokenizer spec '" + spec + "' is not supported; this runtime "
                    + "implements " + WordTokenizer.SPEC_NAMES);
        }
        List<String> vocabulary = new ArrayList<>();
        for (JsonNode token : f.array("vocabulary")) {
            vocabulary.add(token.asText());
        }
        int vocab = manifest.dimensions().vocab();
        if (vocabulary.size() != vocab || ref.vocabSize() != vocab || f.integer("vocabSize") != vocab) {
            throw new InvalidBundleException(source, "vocabulary sizes disagree: " + file + " lists "
                    + vocabulary.size() + " tokens and says vocabSize " + f.integer("vocabSize") + ", " + MANIFEST
                    + " says tokenizer.vocabSize " + ref.vocabSize() + " and dimensions.vocab " + vocab);
        }
        Map<String, Integer> special = new LinkedHashMap<>();
        for (String kind : List.of("pad", "unk", "eou")) {
            int id = f.integer("specialTokens." + kind + ".id");
            String token = f.text("specialTokens." + kind + ".token");
            Integer declared = ref.specialTokens().get(kind);
            if (declared == null || declared != id) {
                throw new InvalidBundleException(source, file + " gives special token '" + kind + "' id " + id
                        + " but " + MANIFEST + " says " + declared);
            }
            checkVocabularyEntry(source, file, vocabulary, id, token);
            special.put(kind, id);
        }
        Map<String, Integer> roles = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> role : f.object("roleTokens").properties()) {
            JsonFields rf = f.at("roleTokens." + role.getKey(), role.getValue());
            int id = rf.integer("id");
            checkVocabularyEntry(source, file, vocabulary, id, rf.text("token"));
            roles.put(role.getKey(), id);
        }
        if (!roles.equals(ref.roleTokens())) {
            throw new InvalidBundleException(source, file + " has role tokens " + roles + " but " + MANIFEST
                    + " says " + ref.roleTokens());
        }
        Map<String, String> aliases = f.stringMap("speakerAliases");
        if (!aliases.equals(ref.speakerAliases())) {
            throw new InvalidBundleException(source, file + " has speaker aliases " + aliases + " but " + MANIFEST
                    + " says " + ref.speakerAliases());
        }
        String defaultRole = f.text("defaultRole");
        if (!defaultRole.equals(ref.defaultRole())) {
            throw new InvalidBundleException(source, file + " has default role '" + defaultRole + "' but "
                    + MANIFEST + " says '" + ref.defaultRole() + "'");
        }
        List<String> placeholders = placeholders(source, manifest, f, vocabulary);
        return new TokenizerSpec(spec, vocabulary, special.get("pad"), special.get("unk"), special.get("eou"), roles,
                aliases, defaultRole, f.stringList("detokenize.noSpaceBefore"),
                f.stringList("detokenize.noSpaceAfter"), f.text("detokenize.unkText"), placeholders);
    }

    private static List<String> placeholders(String source, BundleManifest manifest, JsonFields f,
            List<String> vocabulary) {
        String file = f.file();
        boolean v2 = f.text("spec").equals(WordTokenizer.SPEC_V2_NAME);
        if (!v2) {
            if (f.has("placeholders")) {
                throw new InvalidBundleException(source, file + " lists placeholders, which spec '" + f.text("spec")
                        + "' does not read");
            }
            if (manifest.tagger().isPresent()) {
                throw new InvalidBundleException(source, MANIFEST + " has a tagger, whose classes need the "
                        + "placeholders of spec " + WordTokenizer.SPEC_V2_NAME + "; " + file + " is spec '"
                        + f.text("spec") + "'");
            }
            return List.of();
        }
        List<String> placeholders = f.stringList("placeholders");
        for (int i = 0; i < placeholders.size(); i++) {
            String placeholder = placeholders.get(i);
            int id = FIRST_PLACEHOLDER_ID + i;
            if (placeholder.length() < 3 || placeholder.charAt(0) != '['
                    || placeholder.indexOf(']') != placeholder.length() - 1) {
                throw new InvalidBundleException(source, file + " placeholder '" + placeholder + "' is not of the "
                        + "form [type]");
            }
            if (id >= vocabulary.size() || !vocabulary.get(id).equals(placeholder)) {
                throw new InvalidBundleException(source, file + " placeholder " + i + " '" + placeholder
                        + "' must have id " + id + " but the vocabulary has " + (id < vocabulary.size()
                        ? "'" + vocabulary.get(id) + "'" : "no such id"));
            }
        }
        manifest.tagger().ifPresent(tagger -> {
            if (!placeholders.equals(tagger.placeholders())) {
                throw new InvalidBundleException(source, file + " has placeholders " + placeholders + " but the "
                        + "tagger classes after '" + BundleManifest.Tagger.NONE + "' in " + MANIFEST + " imply "
                        + tagger.placeholders());
            }
        });
        return placeholders;
    }

    private static void checkVocabularyEntry(String source, String file, List<String> vocabulary, int id,
            String token) {
        if (id < 0 || id >= vocabulary.size() || !vocabulary.get(id).equals(token)) {
            throw new InvalidBundleException(source, file + " says '" + token + "' has id " + id
                    + " but the vocabulary has " + (id >= 0 && id < vocabulary.size()
                    ? "'" + vocabulary.get(id) + "'" : "no such id"));
        }
    }
}
