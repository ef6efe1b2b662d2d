package io.wmstream.model.tokenizer;

import java.util.List;

/**
 * The {@value #SPEC_NAME} scan ({@code wmtrain.tokenizer_v1}): words of letters and marks (joined over an apostrophe
 * before a letter), runs of digits, and every other code point on its own.
 */
final class LetterWordScanner implements WordScanner {
    static final String SPEC_NAME = "wm-word-v1";

    @Override
    public void scan(int[] s, int[] cls, List<String> out, List<Integer> starts) {
        int n = s.length;
        int i = 0;
        while (i < n) {
            int k = cls[i];
            if (k == CodePoints.SPACE || k == CodePoints.IGNORED || k == CodePoints.MARK) {
                i++;
            } else if (k == CodePoints.LETTER) {
                int j = i + 1;
                while (j < n) {
                    if (cls[j] == CodePoints.LETTER || cls[j] == CodePoints.MARK) {
                        j++;
                    } else if (s[j] == '\'' && j + 1 < n && cls[j + 1] == CodePoints.LETTER) {
                        j += 2;
                    } else {
                        break;
                    }
                }
                if (starts != null) {
                    starts.add(i);
                }
                out.add(new String(s, i, j - i));
                i = j;
            } else if (k == CodePoints.DIGIT) {
                int j = i + 1;
                while (j < n && cls[j] == CodePoints.DIGIT) {
                    j++;
                }
                if (starts != null) {
                    starts.add(i);
                }
                out.add(new String(s, i, j - i));
                i = j;
            } else {
                if (starts != null) {
                    starts.add(i);
                }
                out.add(new String(s, i, 1));
                i++;
            }
        }
    }
}
