package io.wmstream.app.salience;

import com.fasterxml.jackson.databind.JsonNode;
import io.wmstream.app.evaluation.FactRecall;
import io.wmstream.topology.summary.SalienceLexicon;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Learns a {@link SalienceLexicon} from conversations whose facts are known: lines of a log carrying
 * {@code annotations.belief_state} (MultiWOZ). The facts of a conversation are those of its last belief state that
 * occur verbatim in its text ({@link FactRecall#facts}, the same rule the replay evaluation scores summaries by);
 * a word's weight is {@code (f + a p) / (n + a)}, where {@code n} counts the utterances containing the word,
 * {@code f} those of them in whose conversation it is a word of a fact, {@code p} the share over all words (also
 * the default weight) and {@code a} the smoothing.
 */
final class SalienceLexiconTrainer {
    static final double DEFAULT_SMOOTHING = 2.0;

    private final Map<String, Conversation> conversations = new LinkedHashMap<>();
    private long utterances;

    private static final class Conversation {
        private final List<FactRecall.Utterance> utterances = new ArrayList<>();
        private JsonNode beliefState;
    }

    /** Takes one log line; returns false (and keeps nothing) when it is not an utterance with text. */
    boolean accept(JsonNode line) {
        String id = line.path("conversationId").asText("");
        String type = line.path("type").asText("utterance");
        JsonNode text = line.get("text");
        if (id.isEmpty() || !"utterance".equals(type) || text == null || !text.isTextual()) {
            return false;
        }
        Conversation conversation = conversations.computeIfAbsent(id, k -> new Conversation());
        conversation.utterances.add(new FactRecall.Utterance(line.path("speaker").asText(""), text.asText()));
        JsonNode belief = line.path("annotations").get("belief_state");
        if (belief != null && belief.isObject()) {
            conversation.beliefState = belief;
        }
        utterances++;
        return true;
    }

    int conversations() {
        return conversations.size();
    }

    long utterances() {
        return utterances;
    }

    /** The lexicon learned from every accepted line, with {@code provenance} as its first comment lines. */
    Result train(double smoothing, List<String> provenance) {
        Map<String, long[]> counts = new TreeMap<>();
        long occurrences = 0;
        long factOccurrences = 0;
        int withFacts = 0;
        for (Conversation conversation : conversations.values()) {
            Set<String> factWords = new HashSet<>();
            if (conversation.beliefState != null) {
                List<String> facts = FactRecall.facts(conversation.beliefState, conversation.utterances);
                facts.forEach(fact -> factWords.addAll(SalienceLexicon.words(fact)));
                withFacts += facts.isEmpty() ? 0 : 1;
            }
            for (FactRecall.Utterance utterance : conversation.utterances) {
                for (String word : SalienceLexicon.words(utterance.text())) {
                    long[] count = counts.computeIfAbsent(word, w -> new long[2]);
                    count[0]++;
                    occurrences++;
                    if (factWords.contains(word)) {
                        count[1]++;
                        factOccurrences++;
                    }
                }
            }
        }
        if (withFacts == 0) {
            throw new IllegalArgumentException("no conversation of the log has a belief state with facts in its text "
                    + "(annotations.belief_state), so there is nothing to learn from");
        }
        double prior = (double) factOccurrences / occurrences;
        Map<String, Double> weights = new TreeMap<>();
        counts.forEach((word, count) -> weights.put(word, (count[1] + smoothing * prior) / (count[0] + smoothing)));
        List<String> comments = new ArrayList<>(provenance);
        comments.add(String.format(Locale.ROOT, "%d conversations (%d with facts), %d utterances, %d words",
                conversations.size(), withFacts, utterances, weights.size()));
        comments.add(String.format(Locale.ROOT, "weight = (fact occurrences + %s x default) / (occurrences + %s); "
                + "default = %d fact word occurrences / %d word occurrences", plain(smoothing), plain(smoothing),
                factOccurrences, occurrences));
        return new Result(new SalienceLexicon(weights, prior, comments), withFacts);
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** A learned lexicon and how many conversations had facts. */
    record Result(SalienceLexicon lexicon, int conversationsWithFacts) {
    }
}
