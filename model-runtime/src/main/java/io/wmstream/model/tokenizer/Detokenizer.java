package io.wmstream.model.tokenizer;

import java.util.HashSet;
import java.util.Set;

/**
 * Turns reply ids back into text: drops padding, role tokens and end of utterance, writes the unknown token as
 * the spec's text, and joins with single spaces except where the spacing rules say otherwise.
 */
final class Detokenizer {
    private final Set<String> noSpaceBefore;
    private final Set<String> noSpaceAfter;
    private final Set<Integer> dropped;
    private final int unkId;
    private final String unkText;

    Detokenizer(TokenizerSpec spec) {
        this.noSpaceBefore = Set.copyOf(spec.noSpaceBefore());
        this.noSpaceAfter = Set.copyOf(spec.noSpaceAfter());
        Set<Integer> drop = new HashSet<>(spec.roleTokens().values());
        drop.add(spec.padId());
        drop.add(spec.eouId());
        this.dropped = Set.copyOf(drop);
        this.unkId = spec.unkId();
        this.unkText = spec.unkText();
    }

    String decode(String[] vocabulary, int[] ids, int from, int to) {
        String[] tokens = new String[Math.max(0, to - from)];
        int n = 0;
        for (int i = from; i < to; i++) {
            int id = ids[i];
            if (dropped.contains(id)) {
                continue;
            }
            tokens[n++] = id == unkId ? unkText : vocabulary[id];
        }
        return join(tokens, n);
    }

    /** Joins token strings as {@link #decode} joins a reply's tokens (a value the tagger found, for example). */
    String join(String[] tokens, int n) {
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < n; k++) {
            String token = tokens[k];
            if (k > 0 && spaceBefore(tokens, n, k)) {
                out.append(' ');
            }
            out.append(token);
        }
        return out.toString();
    }

    private boolean spaceBefore(String[] tokens, int n, int k) {
        String token = tokens[k];
        String previous = tokens[k - 1];
        if (noSpaceBefore.contains(token) || noSpaceAfter.contains(previous)) {
            return false;
        }
        if (token.equals(":") && isNumber(previous) && k + 1 < n && isNumber(tokens[k + 1])) {
            return false;
        }
        return !(previous.equals(":") && k >= 2 && isNumber(tokens[k - 2]) && isNumber(token));
    }

    /** A number token: ASCII digits only, at least one. */
    private static boolean isNumber(String token) {
        if (token.isEmpty()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
