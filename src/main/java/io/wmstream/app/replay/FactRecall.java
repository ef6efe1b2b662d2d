package io.wmstream.app.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Fact recall of a summary against positional baselines and a greedy oracle. Facts are the values of the
 * conversation's last belief state that occur verbatim (case-insensitive, on word boundaries) in its text; every
 * competitor is cut to the summary's number of words.
 */
public final class FactRecall {
    /** Names of the competitors, in report order. */
    static final List<String> METHODS = List.of("summary", "first", "last", "first-user", "last-user", "oracle");

    private static final Set<String> NOT_FACTS = Set.of("", "none", "not mentioned", "dontcare", "dont care",
            "don't care", "?");

    private FactRecall() {
    }

    /** One utterance of a conversation. */
    public record Utterance(String speaker, String text) {
        boolean isUser() {
            return "user".equals(speaker.trim().toLowerCase(Locale.ROOT));
        }
    }

    /** The facts of {@code beliefState} that occur in the utterances; empty when none do. */
    public static List<String> facts(JsonNode beliefState, List<Utterance> utterances) {
        Set<String> values = new LinkedHashSet<>();
        collect(beliefState, values);
        StringBuilder all = new StringBuilder();
        utterances.forEach(u -> all.append(' ').append(u.text()));
        String text = normalise(all.toString());
        List<String> facts = new ArrayList<>();
        for (String value : values) {
            if (contains(text, value)) {
                facts.add(value);
            }
        }
        return facts;
    }

    private static void collect(JsonNode node, Set<String> values) {
        if (node == null) {
            return;
        }
        if (node.isObject() || node.isArray()) {
            node.forEach(child -> collect(child, values));
        } else if (node.isValueNode()) {
            String value = normalise(node.asText());
            if (!NOT_FACTS.contains(value)) {
                values.add(value);
            }
        }
    }

    /** Recall of each method in {@link #METHODS} order, for a summary text. */
    static double[] recalls(List<String> facts, String summary, List<Utterance> utterances) {
        int words = words(summary).size();
        List<Utterance> users = utterances.stream().filter(Utterance::isUser).toList();
        return new double[] {
            recall(facts, summary),
            recall(facts, firstWords(utterances, words)),
            recall(facts, lastWords(utterances, words)),
            recall(facts, firstWords(users, words)),
            recall(facts, lastWords(users, words)),
            recall(facts, oracle(facts, utterances, words)),
        };
    }

    static double recall(List<String> facts, String text) {
        if (facts.isEmpty()) {
            return 0;
        }
        String normalised = normalise(text);
        long kept = facts.stream().filter(fact -> contains(normalised, fact)).count();
        return (double) kept / facts.size();
    }

    static String firstWords(List<Utterance> utterances, int words) {
        List<String> all = new ArrayList<>();
        utterances.forEach(u -> all.addAll(words(u.text())));
        return String.join(" ", all.subList(0, Math.min(words, all.size())));
    }

    static String lastWords(List<Utterance> utterances, int words) {
        List<String> all = new ArrayList<>();
        utterances.forEach(u -> all.addAll(words(u.text())));
        return String.join(" ", all.subList(Math.max(0, all.size() - words), all.size()));
    }

    /** Greedy: the utterance covering the most new facts per word, until none adds a fact; then cut. */
    static String oracle(List<String> facts, List<Utterance> utterances, int words) {
        // Each utterance's facts and length once: the greedy loop below asks for them on every round.
        List<Candidate> left = new ArrayList<>(utterances.size());
        for (Utterance utterance : utterances) {
            String text = normalise(utterance.text());
            left.add(new Candidate(utterance, facts.stream().filter(f -> contains(text, f)).toList(),
                    words(utterance.text()).size()));
        }
        Set<String> covered = new LinkedHashSet<>();
        List<Utterance> chosen = new ArrayList<>();
        int used = 0;
        while (used < words) {
            Candidate best = null;
            double bestRatio = 0;
            for (Candidate candidate : left) {
                long fresh = candidate.facts().stream().filter(f -> !covered.contains(f)).count();
                double ratio = (double) fresh / Math.max(1, candidate.words());
                if (ratio > bestRatio) {
                    bestRatio = ratio;
                    best = candidate;
                }
            }
            if (best == null) {
                break;
            }
            covered.addAll(best.facts());
            chosen.add(best.utterance());
            left.remove(best);
            used += best.words();
        }
        return firstWords(chosen, words);
    }

    /** An utterance with the facts it contains and its length in words. */
    private record Candidate(Utterance utterance, List<String> facts, int words) {
    }

    static List<String> words(String text) {
        String trimmed = text == null ? "" : text.trim();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    private static String normalise(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
    }

    /** Whether {@code value} occurs in {@code text} not inside a longer word. */
    private static boolean contains(String text, String value) {
        int from = 0;
        while (true) {
            int at = text.indexOf(value, from);
            if (at < 0) {
                return false;
            }
            int end = at + value.length();
            boolean startsWord = at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1));
            boolean endsWord = end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
            if (startsWord && endsWord) {
                return true;
            }
            from = at + 1;
        }
    }
}
