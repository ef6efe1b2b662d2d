package io.wmstream.topology.summary;

import io.wmstream.topology.memory.RememberedTurn;
import io.wmstream.topology.memory.WorkingMemory;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How much an utterance matters to a summary, judged against the working memory: the fact weight of the words the
 * memory does not hold yet, per word of the utterance, times a role weight. A word's fact weight is the fact
 * tagger's probability, in context, that it is part of a fact ({@link RememberedTurn#factWeights()}) when the model
 * has a tagger, and the salience lexicon's weight ({@link SalienceLexicon}) for turns that were not tagged. Per word,
 * because a summary's budget is counted in words; only new words, because a turn that repeats what the memory holds
 * (a system confirming the user's request) adds nothing a summary needs twice; the role weight, because users state
 * the facts and the other side mostly restates them.
 *
 * <p>Chosen by measurement (docs/evaluation.md): on the held-out MultiWOZ test split, the GRU state's shift per
 * utterance (the previous salience) kept 0.594 of the facts in 64 words; this, with the redundancy-aware choice of
 * {@link SummaryComposer}, keeps more than the best positional baseline and closes over half of its gap to the oracle.
 */
public final class SalienceScorer {
    /** Weight of a user's turn. */
    public static final double USER_WEIGHT = 1.0;
    /** Weight of any other speaker's turn: chosen on MultiWOZ {@code val} halves (0.6 to 0.7 did best). */
    public static final double OTHER_WEIGHT = 0.6;
    /**
     * Weight of any other speaker's tagged turn. The tagger finds every value, and the other side states many a
     * conversation's facts never fix (the options it offers, its phone numbers); chosen on the training slices of
     * MultiWOZ {@code val} and {@code sgd-train} (docs/evaluation.md): 0.1 to 0.35 did best on MultiWOZ, 0.2 to 0.35 on
     * SGD, and lower keeps more of the facts the user stated.
     */
    public static final double TAGGED_OTHER_WEIGHT = 0.2;

    /**
     * Longest text whose words are kept: longer than the turns a memory remembers by default (512 characters), so
     * kept texts bound the scorer's memory (a few MB at most) however long the utterances a hostile input sends.
     */
    static final int KEPT_TEXT_MAX_CHARS = 1024;

    private final SalienceLexicon lexicon;
    /** The words of recently seen turn texts, most recently used last; null when nothing is kept. */
    private final Map<String, Set<String>> turnWords;

    public SalienceScorer(SalienceLexicon lexicon) {
        this(lexicon, 0);
    }

    /**
     * A scorer that keeps the words of up to {@code keptTexts} turn texts it split (0: none). Every utterance is
     * scored against the turns its memory remembers, so without them each turn's text is lower-cased and split again
     * for every later utterance of its conversation (an eighth of a stream thread's CPU in a profile). With any kept,
     * the scorer is for one thread: a task's.
     */
    public SalienceScorer(SalienceLexicon lexicon, int keptTexts) {
        this.lexicon = lexicon;
        this.turnWords = keptTexts <= 0 ? null : new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
                return size() > keptTexts;
            }
        };
    }

    /** The salience of an utterance given the turns the memory holds ({@link WorkingMemory#rememberedTurns()}). */
    public double score(String speaker, String text, List<RememberedTurn> remembered) {
        return score(speaker, text, null, remembered);
    }

    /**
     * The salience of an utterance whose words have the tagger's {@code factWeights} (null when not tagged: the
     * lexicon weighs them) given the turns the memory holds.
     */
    public double score(String speaker, String text, Map<String, Float> factWeights, List<RememberedTurn> remembered) {
        Set<String> words = SalienceLexicon.words(text);
        // Only whether each of the utterance's words is known counts, so only those are collected.
        Set<String> known = new HashSet<>();
        for (RememberedTurn turn : remembered) {
            if (known.size() == words.size()) {
                break;
            }
            Set<String> said = wordsOf(turn.text());
            for (String word : words) {
                if (said.contains(word)) {
                    known.add(word);
                }
            }
        }
        if (turnWords != null && text.length() <= KEPT_TEXT_MAX_CHARS) {
            turnWords.put(text, Set.copyOf(words)); // remembered next: later utterances look its words up
        }
        int length = SummaryComposer.wordCount(text);
        if (factWeights == null) {
            return density(speaker, words, length, known);
        }
        return taggedDensity(speaker, words, length, factWeights, known);
    }

    /** How many texts' words are kept now. */
    int keptTexts() {
        return turnWords == null ? 0 : turnWords.size();
    }

    /** The words of a turn's text, kept ones when this scorer keeps them (membership only: any order). */
    private Set<String> wordsOf(String text) {
        if (turnWords == null || text.length() > KEPT_TEXT_MAX_CHARS) {
            return SalienceLexicon.words(text);
        }
        Set<String> words = turnWords.get(text);
        if (words == null) {
            words = Set.copyOf(SalienceLexicon.words(text));
            turnWords.put(text, words);
        }
        return words;
    }

    /** The density of a remembered turn's words not in {@code known}, by its fact weights or else the lexicon. */
    double density(RememberedTurn turn, Set<String> words, int length, Set<String> known) {
        if (turn.tagged()) {
            return taggedDensity(turn.speaker(), words, length, turn.factWeights(), known);
        }
        return density(turn.speaker(), words, length, known);
    }

    private static double taggedDensity(String speaker, Set<String> words, int length, Map<String, Float> weights,
            Set<String> known) {
        if (length == 0) {
            return 0.0;
        }
        double sum = 0.0;
        // Text order (words is ordered), so that the sum never depends on hashing.
        for (String word : words) {
            Float weight = weights.get(word);
            if (weight != null && !known.contains(word)) {
                sum += weight;
            }
        }
        return taggedRoleWeight(speaker) * sum / length;
    }

    static double taggedRoleWeight(String speaker) {
        return "user".equals(speaker.toLowerCase(Locale.ROOT)) ? USER_WEIGHT : TAGGED_OTHER_WEIGHT;
    }

    /** Role-weighted fact weight of the words of {@code text} not in {@code known}, per word of the text. */
    double density(String speaker, String text, Set<String> known) {
        return density(speaker, SalienceLexicon.words(text), SummaryComposer.wordCount(text), known);
    }

    /** {@link #density(String, String, Set)} of a text already split: its lexicon words and its length in words. */
    double density(String speaker, Set<String> words, int length, Set<String> known) {
        if (length == 0) {
            return 0.0;
        }
        return roleWeight(speaker) * lexicon.weightOfNew(words, known) / length;
    }

    static double roleWeight(String speaker) {
        return "user".equals(speaker.toLowerCase(Locale.ROOT)) ? USER_WEIGHT : OTHER_WEIGHT;
    }
}
