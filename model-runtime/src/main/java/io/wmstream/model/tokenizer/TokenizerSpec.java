package io.wmstream.model.tokenizer;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The content of a bundle's {@code tokenizer.json}: the spec name, the vocabulary (id = index), special and role
 * token ids, speaker aliases, the detokenizer's spacing rules, and the placeholders a spec reads as single tokens
 * (none before {@code wm-word-v2}).
 */
public record TokenizerSpec(String spec, List<String> vocabulary, int padId, int unkId, int eouId,
        Map<String, Integer> roleTokens, Map<String, String> speakerAliases, String defaultRole,
        List<String> noSpaceBefore, List<String> noSpaceAfter, String unkText, List<String> placeholders) {

    public TokenizerSpec {
        Objects.requireNonNull(spec, "spec");
        vocabulary = List.copyOf(vocabulary);
        roleTokens = Map.copyOf(roleTokens);
        speakerAliases = Map.copyOf(speakerAliases);
        Objects.requireNonNull(defaultRole, "defaultRole");
        noSpaceBefore = List.copyOf(noSpaceBefore);
        noSpaceAfter = List.copyOf(noSpaceAfter);
        Objects.requireNonNull(unkText, "unkText");
        placeholders = List.copyOf(placeholders);
    }

    /** A spec without placeholders ({@code wm-word-v1}). */
    public TokenizerSpec(String spec, List<String> vocabulary, int padId, int unkId, int eouId,
            Map<String, Integer> roleTokens, Map<String, String> speakerAliases, String defaultRole,
            List<String> noSpaceBefore, List<String> noSpaceAfter, String unkText) {
        this(spec, vocabulary, padId, unkId, eouId, roleTokens, speakerAliases, defaultRole, noSpaceBefore,
                noSpaceAfter, unkText, List.of());
    }
}
