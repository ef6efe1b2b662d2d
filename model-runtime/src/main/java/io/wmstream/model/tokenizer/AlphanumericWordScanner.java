package io.wmstream.model.tokenizer;

import java.util.List;

/**
 * The {@value #SPEC_NAME} scan ({@code wmtrain.tokenizer}): a known placeholder such as {@code [time]} is one
 * token; a word starts at a letter or a digit and runs over letters, marks and digits, over an apostrophe before a
 * letter, and over a '.' or ',' between two digits, so that prices ("12.50") and booking codes ("eb05kfxv") stay
 * whole; every other code point is a token on its own.
 */
final class AlphanumericWordScanner implements WordScanner {
    static final String SPEC_NAME = "wm-word-v2";

    /** The placeholders as code points; matched on the normalised text, so "[TIME]" is "[time]" too. */
    private final int[][] placeholders;

    AlphanumericWordScanner(List<String> placeholders) {
        this.placeholders = placeholders.stream().map(p -> p.codePoints().toArray()).toArray(int[][]::new);
    }

    @Override
    public void scan(int[] s, int[] cls, List<String> out, List<Integer> starts) {
        int n = s.length;
        int i = 0;
        while (i < n) {
            int k = cls[i];
            if (k == CodePoints.SPACE || k == CodePoints.IGNORED || k == CodePoints.MARK) {
                i++;
            } else if (k == CodePoints.LETTER || k == CodePoints.DIGIT) {
                int j = wordEnd(s, cls, i);
                if (starts != null) {
                    starts.add(i);
                }
                out.add(new String(s, i, j - i));
                i = j;
            } else {
                int length = s[i] == '[' ? placeholderAt(s, i) : 0;
                int take = length > 0 ? length : 1;
                if (starts != null) {
                    starts.add(i);
                }
                out.add(new String(s, i, take));
                i += take;
            }
        }
    }

    private static int wordEnd(int[] s, int[] cls, int start) {
        int n = s.length;
        int j = start + 1;
        while (j < n) {
            int c = cls[j];
            if (c == CodePoints.LETTER || c == CodePoints.MARK || c == CodePoints.DIGIT) {
                j++;
            } else if (s[j] == '\'' && j + 1 < n && cls[j + 1] == CodePoints.LETTER) {
                j += 2;
            } else if ((s[j] == '.' || s[j] == ',') && cls[j - 1] == CodePoints.DIGIT && j + 1 < n
                    && cls[j + 1] == CodePoints.DIGIT) {
                j += 2;
            } else {
                break;
            }
        }
        return j;
    }

    /** The length of the placeholder that starts at {@code at}, 0 when none does. */
    private int placeholderAt(int[] s, int at) {
        for (int[] placeholder : placeholders) {
            if (at + placeholder.length <= s.length && regionEquals(s, at, placeholder)) {
                return placeholder.length;
            }
        }
        return 0;
    }

    private static boolean regionEquals(int[] s, int at, int[] placeholder) {
        for (int k = 0; k < placeholder.length; k++) {
            if (s[at + k] != placeholder[k]) {
                return false;
            }
        }
        return true;
    }
}
