package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Corpus BLEU-4 and mean ROUGE-L F1 of a set of replies against their references, as they are added. */
final class ReferenceScores {
    private final CorpusBleu bleu = new CorpusBleu();
    private double rougeSum;

    void add(List<String> reply, List<String> reference) {
        bleu.add(reply, reference);
        rougeSum += RougeL.f1(reply, reference);
    }

    long count() {
        return bleu.segments();
    }

    /** BLEU-4 on the usual 0-100 scale. */
    double bleu4() {
        return 100 * bleu.score();
    }

    double rougeL() {
        return count() == 0 ? 0 : rougeSum / count();
    }

    /** Puts {@code count}, {@code bleu4} and {@code rougeL} into {@code node}, rounded as the report is. */
    ObjectNode putInto(ObjectNode node) {
        node.put("count", count());
        node.put("bleu4", Rounding.round(bleu4()));
        node.put("rougeL", Rounding.round(rougeL()));
        return node;
    }
}
