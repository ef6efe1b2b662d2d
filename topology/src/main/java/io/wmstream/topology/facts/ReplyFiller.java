package io.wmstream.topology.facts;

import io.wmstream.model.tokenizer.SentenceCase;
import io.wmstream.schemas.output.FilledValue;
import io.wmstream.schemas.output.ReplySlot;
import io.wmstream.topology.memory.RememberedTurn;
import io.wmstream.topology.memory.TrackedFact;
import io.wmstream.topology.memory.WorkingMemory;
import io.wmstream.topology.summary.SalienceLexicon;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Fills the placeholders of a decoded reply ({@code [time]}, {@code [reference]}) from the conversation's memory:
 * each with the agreed value of its type where the dialogue state holds one, else the latest value of its type
 * anyone mentioned ({@link WorkingMemory#valueForReply}), as the conversation wrote it (its first letter
 * capitalised in the text when it starts a sentence; the {@link FilledValue}'s value stays as written). A
 * placeholder it cannot fill stays in the text as its marker and is listed as a slot, for the backend to fill from
 * its own data. A type's second placeholder in one
 * reply stays a slot too: a reply naming two times or two places means two different ones (leave and arrive, from
 * and to), and the memory cannot tell which is which, so it fills only one rather than state the same value twice;
 * for the same reason a value already put in for one type is not put in again for another, nor a value that would
 * repeat a 3-gram of the reply's words ("[name] is a [category] place. The east is a museum." with "museum": the
 * decoder bans repeated 3-grams of words and placeholders, and cannot know what a placeholder will be filled with).
 *
 * <p>A value put in after the article "a" that starts with a vowel sound gets "an" ({@link IndefiniteArticle}).
 *
 * <p>A value the model wrote out instead of a placeholder is kept only when the memory holds it: a run of letters
 * and digits with a digit in it ("15", "tr7075") that no remembered turn or tracked fact holds would be invented,
 * so it becomes a slot too, of type {@value #UNGROUNDED_NUMBER} when all digits and {@value #UNGROUNDED_CODE}
 * otherwise.
 */
public final class ReplyFiller {
    /** The slot type of an ungrounded number the model wrote out. */
    public static final String UNGROUNDED_NUMBER = "number";
    /** The slot type of an ungrounded code of letters and digits the model wrote out. */
    public static final String UNGROUNDED_CODE = "reference";

    private final Set<String> types;

    /** A filler for the placeholder {@code types} of a bundle (its tagger classes other than "none"). */
    public ReplyFiller(List<String> types) {
        this.types = Set.copyOf(types);
    }

    /** {@code text} with what {@code memory} can fill put in, the fills and the slots left. */
    public FilledReply fill(String text, WorkingMemory memory) {
        Set<Integer> left = new HashSet<>();
        while (true) {
            List<int[]> spans = new ArrayList<>();
            FilledReply reply = fill(text, memory, left, spans);
            int repeating = RepeatedWords.lastSpanInRepeat(reply.text(), spans);
            if (repeating < 0) {
                return reply;
            }
            // Leave the last value that makes a repeat as its placeholder and fill again: each round leaves one
            // more, so this ends.
            left.add(spans.get(repeating)[2]);
        }
    }

    /**
     * {@code text} filled, but for the placeholders starting at the indices in {@code left}; {@code spans} gets,
     * per value put in, its start and end in the result (chars) and its placeholder's index in {@code text}.
     */
    private FilledReply fill(String text, WorkingMemory memory, Set<Integer> left, List<int[]> spans) {
        StringBuilder out = new StringBuilder(text.length() + 32);
        List<FilledValue> filled = new ArrayList<>();
        List<ReplySlot> slots = new ArrayList<>();
        Set<String> used = new HashSet<>();
        Set<String> values = new HashSet<>();
        Set<String> known = null;
        int codePoints = 0;
        int i = 0;
        while (i < text.length()) {
            int run = runEnd(text, i);
            if (run > i) {
                String word = text.substring(i, run);
                if (hasDigit(word)) {
                    if (known == null) {
                        known = knownWords(memory);
                    }
                    if (!known.contains(word.toLowerCase(Locale.ROOT))) {
                        String slotType = word.chars().allMatch(Character::isDigit) ? UNGROUNDED_NUMBER
                                : UNGROUNDED_CODE;
                        String marker = "[" + slotType + "]";
                        slots.add(new ReplySlot(slotType, codePoints, codePoints + marker.length()));
                        out.append(marker);
                        codePoints += marker.length();
                        i = run;
                        continue;
                    }
                }
                out.append(word);
                codePoints += word.codePointCount(0, word.length());
                i = run;
                continue;
            }
            int close = text.charAt(i) == '[' ? text.indexOf(']', i + 1) : -1;
            String type = close > i + 1 ? text.substring(i + 1, close) : null;
            if (type == null || !types.contains(type)) {
                int cp = text.codePointAt(i);
                out.appendCodePoint(cp);
                codePoints++;
                i += Character.charCount(cp);
                continue;
            }
            TrackedFact fact = used.add(type) && !left.contains(i) ? memory.valueForReply(type) : null;
            if (fact != null && !values.add(fact.value().toLowerCase(Locale.ROOT))) {
                // Two placeholders of a reply are two things ("La La Land by [person]"): the same value in both
                // would be wrong in one and repeat the reply's words.
                fact = null;
            }
            if (fact == null) {
                int length = close + 1 - i;
                slots.add(new ReplySlot(type, codePoints, codePoints + length));
                out.append(text, i, close + 1);
                codePoints += length;
            } else {
                // The value as the conversation wrote it; a sentence still starts with a capital.
                String written = SentenceCase.startsSentence(text, i) ? SentenceCase.capitalised(fact.value())
                        : fact.value();
                if (IndefiniteArticle.wantsAn(out, written)) {
                    // "a [price_range] restaurant" filled with "expensive" reads "an expensive restaurant"; the
                    // article is before this value, after every offset already taken.
                    out.insert(out.length() - 1, 'n');
                    codePoints++;
                }
                int length = written.codePointCount(0, written.length());
                filled.add(new FilledValue(type, fact.value(), fact.turn(), codePoints, codePoints + length));
                spans.add(new int[] {out.length(), out.length() + written.length(), i});
                out.append(written);
                codePoints += length;
            }
            i = close + 1;
        }
        return new FilledReply(out.toString(), slots, filled);
    }

    /** The end of the run of letters and digits that starts at {@code at}; {@code at} when none starts there. */
    private static int runEnd(String text, int at) {
        int j = at;
        while (j < text.length()) {
            int cp = text.codePointAt(j);
            if (!Character.isLetterOrDigit(cp)) {
                break;
            }
            j += Character.charCount(cp);
        }
        return j;
    }

    private static boolean hasDigit(String word) {
        return word.codePoints().anyMatch(Character::isDigit);
    }

    /** Every word ({@link SalienceLexicon#words(String)}) of the memory's remembered turns and tracked facts. */
    private static Set<String> knownWords(WorkingMemory memory) {
        Set<String> known = new HashSet<>();
        for (RememberedTurn turn : memory.rememberedTurns()) {
            known.addAll(SalienceLexicon.words(turn.text()));
        }
        for (TrackedFact fact : memory.facts()) {
            known.addAll(SalienceLexicon.words(fact.value()));
        }
        return known;
    }

    /** A reply's text after filling, the placeholders left in it and the values put in, both in text order. */
    public record FilledReply(String text, List<ReplySlot> slots, List<FilledValue> filled) {
        public FilledReply {
            slots = List.copyOf(slots);
            filled = List.copyOf(filled);
        }
    }
}
