package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Fact recall of a summary against positional baselines and a greedy oracle. Facts are the values of the
 * conversation's final dialogue state ({@link ConversationFacts}: MultiWOZ belief states or SGD dialogue states)
 * that occur verbatim (case-insensitive, on word boundaries) in its text; every competitor is cut to the summary's
 * number of words.
 */
public final class FactRecall {
    /** Names of the competitors, in report order. */
    public static final List<String> METHODS = List.of("summary", "first", "last", "first-user", "last-user", "oracle");

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

    /**
     * One fact: the forms a value may take (SGD lists alternatives such as "6 pm" and "18:00"; MultiWOZ has one),
     * normalised, those that occur in the conversation only. A text keeps the fact when it holds any form.
     */
    public record Fact(List<String> forms) {
        public Fact {
            if (forms.isEmpty()) {
                throw new IllegalArgumentException("a fact has at least one form");
            }
            forms = List.copyOf(forms);
        }

        public static Fact of(String form) {
            return new Fact(List.of(normalise(form)));
        }

        /** Whether the normalised {@code text} holds any form of this fact. */
        boolean in(String normalisedText) {
            for (String form : forms) {
                if (contains(normalisedText, form)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The facts of {@code beliefState} (a MultiWOZ belief state) that occur in the utterances, by their value. */
    public static List<String> facts(JsonNode beliefState, List<Utterance> utterances) {
        List<List<String>> values = new ArrayList<>();
        collect(beliefState, values);
        return facts(values, utterances).stream().map(fact -> fact.forms().get(0)).toList();
    }

    /**
     * The facts among {@code values} (each value's alternative forms) that occur in the utterances, a value once
     * even when several slots hold it; forms that say nothing ("none", "dontcare", "?") are not facts.
     */
    static List<Fact> facts(List<List<String>> values, List<Utterance> utterances) {
        StringBuilder all = new StringBuilder();
        utterances.forEach(u -> all.append(' ').append(u.text()));
        String text = normalise(all.toString());
        Set<String> seen = new LinkedHashSet<>();
        List<Fact> facts = new ArrayList<>();
        for (List<String> forms : values) {
            List<String> said = new ArrayList<>();
            for (String form : forms) {
                String normalised = normalise(form);
                if (!NOT_FACTS.contains(normalised) && !said.contains(normalised) && contains(text, normalised)) {
                    said.add(normalised);
                }
            }
            if (!said.isEmpty() && seen.add(said.get(0))) {
                facts.add(new Fact(said));
            }
        }
        return facts;
    }

    /** The facts that occur in the user's own turns: what the user stated, rather than what was offered. */
    static List<Fact> statedByUser(List<Fact> facts, List<Utterance> utterances) {
        StringBuilder user = new StringBuilder();
        utterances.stream().filter(Utterance::isUser).forEach(u -> user.append(' ').append(u.text()));
        String text = normalise(user.toString());
        return facts.stream().filter(fact -> fact.in(text)).toList();
    }

    /** Every value of a MultiWOZ belief state (nested objects of slot values), each its own single form. */
    static void collect(JsonNode node, List<List<String>> values) {
        if (node == null) {
            return;
        }
        if (node.isObject() || node.isArray()) {
            node.forEach(child -> collect(child, values));
        } else if (node.isValueNode()) {
            values.add(List.of(node.asText()));
        }
    }

    /** Recall of each method in {@link #METHODS} order, for a summary text. */
    static double[] recalls(List<Fact> facts, String summary, List<Utterance> utterances) {
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

    static double recall(List<Fact> facts, String text) {
        if (facts.isEmpty()) {
            return 0;
        }
        String normalised = normalise(text);
        long kept = facts.stream().filter(fact -> fact.in(normalised)).count();
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
    static String oracle(List<Fact> facts, List<Utterance> utterances, int words) {
        // Each utterance's facts and length once: the greedy loop below asks for them on every round.
        List<Candidate> left = new ArrayList<>(utterances.size());
        for (Utterance utterance : utterances) {
            String text = normalise(utterance.text());
            left.add(new Candidate(utterance, facts.stream().filter(f -> f.in(text)).toList(),
                    words(utterance.text()).size()));
        }
        Set<Fact> covered = new LinkedHashSet<>();
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
    private record Candidate(Utterance utterance, List<Fact> facts, int words) {
    }

    public static List<String> words(String text) {
        String trimmed = text == null ? "" : text.trim();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    static String normalise(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
    }

    /** Whether {@code value} occurs in {@code text} not inside a longer word. */
    static boolean contains(String text, String value) {
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
