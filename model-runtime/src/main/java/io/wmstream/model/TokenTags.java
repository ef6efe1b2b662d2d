package io.wmstream.model;

import java.util.List;
import java.util.Objects;

/**
 * The fact tagger's reading of one encoded utterance: for each token the model read (role token, text tokens,
 * end of utterance), the id of its class in {@code classes}; class 0 is "none", the others are placeholder types
 * ("time", "price", ...).
 */
public record TokenTags(int[] tokenIds, int[] tagIds, List<String> classes) {

    public TokenTags {
        Objects.requireNonNull(tokenIds, "tokenIds");
        Objects.requireNonNull(tagIds, "tagIds");
        classes = List.copyOf(classes);
        if (tokenIds.length != tagIds.length) {
            throw new IllegalArgumentException(tokenIds.length + " tokens but " + tagIds.length + " tags");
        }
    }

    /** Number of tokens tagged. */
    public int size() {
        return tagIds.length;
    }

    /** The class name of the token at {@code position}. */
    public String tagName(int position) {
        return classes.get(tagIds[position]);
    }

    /** The class names of every token, in order. */
    public List<String> tagNames() {
        String[] names = new String[tagIds.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = classes.get(tagIds[i]);
        }
        return List.of(names);
    }
}
