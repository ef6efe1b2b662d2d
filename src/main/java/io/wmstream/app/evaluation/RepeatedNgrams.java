package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Repeated word 3-grams of replies: in one reply, each occurrence of a 3-gram of words that occurred before in the
 * same reply counts once ("the phone number is [phone]. the phone number is [phone]." has three). Words are the
 * reply tokens ({@link ReplyTokenizer}) with a letter or a digit, placeholders included; punctuation is not a word,
 * as in decoding's ban. A sentence score (one reply's count) and a corpus score (repeats per reply, and the share
 * of replies with any).
 */
public final class RepeatedNgrams {
    /** The name printed in the signature of the figures. */
    public static final String NAME = "word-3grams-in-reply-1(tok:" + ReplyTokenizer.NAME + ")";
    /** The n-gram size. */
    public static final int ORDER = 3;

    private long replies;
    private long repeats;
    private long repliesWithRepeats;

    /** Adds one reply's text. */
    public void add(String reply) {
        int count = count(ReplyTokenizer.tokens(reply));
        replies++;
        repeats += count;
        repliesWithRepeats += count > 0 ? 1 : 0;
    }

    /** The repeated 3-grams of one reply's tokens. */
    public static int count(List<String> tokens) {
        List<String> words = tokens.stream().filter(t -> t.codePoints().anyMatch(Character::isLetterOrDigit))
                .toList();
        Set<List<String>> seen = new HashSet<>();
        int count = 0;
        for (int i = 0; i + ORDER <= words.size(); i++) {
            count += seen.add(words.subList(i, i + ORDER)) ? 0 : 1;
        }
        return count;
    }

    public long replies() {
        return replies;
    }

    /** Repeated 3-grams per reply. */
    public double perReply() {
        return replies == 0 ? 0 : (double) repeats / replies;
    }

    /** The share of replies with at least one repeated 3-gram. */
    public double replyRate() {
        return replies == 0 ? 0 : (double) repliesWithRepeats / replies;
    }

    public long repliesWithRepeats() {
        return repliesWithRepeats;
    }

    /**
     * Puts {@code signature}, {@code replies}, {@code perReply}, {@code repliesWithRepeats} and {@code replyRate}
     * into {@code node} ({@code repeatedTrigrams} of the report).
     */
    public ObjectNode putInto(ObjectNode node) {
        node.put("signature", NAME);
        node.put("replies", replies);
        node.put("perReply", Rounding.round(perReply()));
        node.put("repliesWithRepeats", repliesWithRepeats);
        node.put("replyRate", Rounding.round(replyRate()));
        return node;
    }
}
