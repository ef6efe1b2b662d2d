package io.wmstream.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The fact tagger's reading of one encoded utterance: for each token the model read (role token, text tokens,
 * end of utterance), its string as the tokenizer split it, the id of its class in {@code classes} (class 0 is
 * "none", the others are placeholder types such as "time" or "price") and the probability the tagger gives it of
 * being part of a fact (1 minus that of "none"); {@code values} are the runs of text tokens of one type.
 */
public record TokenTags(int[] tokenIds, List<String> tokens, int[] tagIds, float[] factProbabilities,
        List<String> classes, List<TaggedValue> values) {

    public TokenTags {
        Objects.requireNonNull(tokenIds, "tokenIds");
        Objects.requireNonNull(tagIds, "tagIds");
        Objects.requireNonNull(factProbabilities, "factProbabilities");
        tokens = List.copyOf(tokens);
        classes = List.copyOf(classes);
        values = List.copyOf(values);
        if (tokenIds.length != tagIds.length || tokens.size() != tagIds.length
                || factProbabilities.length != tagIds.length) {
            throw new IllegalArgumentException(tokenIds.length + " token ids, " + tokens.size() + " tokens, "
                    + tagIds.length + " tags and " + factProbabilities.length + " probabilities");
        }
    }

    /**
     * The tags of an utterance with its values found: each run of consecutive text tokens (the role token and the
     * end of utterance excluded) of one class other than "none" that holds a letter or a digit, its tokens joined
     * by {@code join}.
     */
    public static TokenTags of(int[] tokenIds, List<String> tokens, int[] tagIds, float[] factProbabilities,
            List<String> classes, Function<List<String>, String> join) {
        return of(tokenIds, tokens, tagIds, factProbabilities, classes, join, (first, last) -> null);
    }

    /**
     * As {@link #of(int[], List, int[], float[], List, Function)}, each value with its original characters:
     * {@code source} gives those of the tokens at positions {@code first..last} (inclusive), or null when it does not
     * know them (then the joined text stands in).
     */
    public static TokenTags of(int[] tokenIds, List<String> tokens, int[] tagIds, float[] factProbabilities,
            List<String> classes, Function<List<String>, String> join, BiFunction<Integer, Integer, String> source) {
        List<TaggedValue> values = new ArrayList<>();
        int end = tagIds.length - 1;
        int t = 1;
        while (t < end) {
            int tag = tagIds[t];
            if (tag == 0) {
                t++;
                continue;
            }
            int start = t;
            double probability = 0;
            while (t < end && tagIds[t] == tag) {
                probability += factProbabilities[t];
                t++;
            }
            List<String> run = tokens.subList(start, t);
            if (run.stream().anyMatch(TokenTags::hasLetterOrDigit)) {
                String text = join.apply(run);
                String original = source.apply(start, t - 1);
                values.add(new TaggedValue(classes.get(tag), text, start, t - start, probability / (t - start),
                        original == null ? text : original));
            }
        }
        return new TokenTags(tokenIds, tokens, tagIds, factProbabilities, classes, values);
    }

    /** Tags of nothing (an empty utterance), with the tagger's classes. */
    public static TokenTags none(List<String> classes) {
        return new TokenTags(new int[0], List.of(), new int[0], new float[0], classes, List.of());
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

    private static boolean hasLetterOrDigit(String token) {
        return token.codePoints().anyMatch(Character::isLetterOrDigit);
    }
}
