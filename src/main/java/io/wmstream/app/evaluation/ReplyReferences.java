package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replies against the log's own next turn of the other side: corpus BLEU-4 and mean ROUGE-L F1, overall and per
 * domain the log names ({@link ReferenceScores} for each).
 */
public final class ReplyReferences {
    /** The reference of a reply, and how replies and references are scored: printed with every reply score. */
    public static final String SIGNATURE = "ref:next-turn-other-speaker|tok:" + ReplyTokenizer.NAME
            + "|bleu:corpus-4gram-uniform-nosmooth(nltk-3.8)|rouge:L-f1-mean|invented:" + InventedValues.NAME;

    private final ReferenceScores all = new ReferenceScores();
    private final Map<String, ReferenceScores> byDomain = new TreeMap<>();
    private long withoutDomain;

    /** Scores one reply against its reference, overall and in each of {@code domains} (none: counted). */
    void add(String reply, String reference, List<String> domains) {
        List<String> hypothesis = ReplyTokenizer.tokens(reply);
        List<String> referenceTokens = ReplyTokenizer.tokens(reference);
        all.add(hypothesis, referenceTokens);
        if (domains.isEmpty()) {
            withoutDomain++;
        }
        for (String domain : domains) {
            byDomain.computeIfAbsent(domain, d -> new ReferenceScores()).add(hypothesis, referenceTokens);
        }
    }

    /**
     * Puts {@code signature}, {@code count}, {@code bleu4}, {@code rougeL}, {@code withoutReference} (of all the
     * {@code replies}), {@code withoutDomain} and {@code byDomain} into {@code node} ({@code replyReferences}).
     */
    public ObjectNode putInto(ObjectNode node, long replies) {
        node.put("signature", SIGNATURE);
        all.putInto(node);
        node.put("withoutReference", replies - all.count());
        node.put("withoutDomain", withoutDomain);
        ObjectNode domains = node.putObject("byDomain");
        byDomain.forEach((domain, scores) -> scores.putInto(domains.putObject(domain)));
        return node;
    }
}
