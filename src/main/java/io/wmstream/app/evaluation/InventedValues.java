package io.wmstream.app.evaluation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values a reply states that nothing earlier in its conversation gave: a system without a database that says
 * "your reference is idxpor2n" or "call 01223 356555" has made them up. A value is a run of letters and digits
 * (lower case) with at least one digit: a number ("4", "12", the pieces of "12.50") or a code ("tr1234",
 * "idxpor2n"); it is invented when no earlier turn of the conversation holds the same run. Runs, not tokens, so
 * that "12. 50" and "12.50" are the same value. A placeholder such as {@code [reference]} is not a value: it says
 * that a value goes there, and is counted on its own.
 */
public final class InventedValues {
    /** The name printed in the signature of the invented-value figures. */
    public static final String NAME = "alnum-runs-with-digit-1";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\[[a-z_]+\\]");
    private static final Pattern RUN = Pattern.compile("[\\p{L}\\p{N}]+");

    private InventedValues() {
    }

    /** What one reply states: the invented values (in order, repeats kept once) and the placeholders. */
    public record Check(List<String> invented, int placeholders) {
        public boolean invents() {
            return !invented.isEmpty();
        }

        /** Whether any invented value is a code (letters and digits mixed) rather than a number. */
        public boolean inventsCode() {
            return invented.stream().anyMatch(InventedValues::isCode);
        }

        /** Whether any invented value is a number (digits only). */
        public boolean inventsNumber() {
            return invented.stream().anyMatch(value -> !isCode(value));
        }
    }

    /** Checks {@code reply} against the runs of the conversation so far ({@link #runs}). */
    public static Check check(String reply, Set<String> conversationRuns) {
        return check(reply, List.of(conversationRuns));
    }

    /** Checks {@code reply} against the runs of each earlier turn ({@link #runs} of each). */
    public static Check check(String reply, List<Set<String>> turnRuns) {
        String text = reply == null ? "" : reply.toLowerCase(Locale.ROOT);
        Matcher placeholders = PLACEHOLDER.matcher(text);
        int count = 0;
        while (placeholders.find()) {
            count++;
        }
        List<String> invented = new ArrayList<>();
        Matcher runs = RUN.matcher(PLACEHOLDER.matcher(text).replaceAll(" "));
        while (runs.find()) {
            String run = runs.group();
            if (hasDigit(run) && !invented.contains(run) && turnRuns.stream().noneMatch(turn -> turn.contains(run))) {
                invented.add(run);
            }
        }
        return new Check(invented, count);
    }

    /** The runs of {@code text} that hold a digit, the only ones a check looks up; most turns have none. */
    public static Set<String> runs(String text) {
        if (text == null || text.chars().noneMatch(Character::isDigit)) {
            return Set.of();
        }
        Set<String> runs = new HashSet<>();
        Matcher matcher = RUN.matcher(text.toLowerCase(Locale.ROOT));
        while (matcher.find()) {
            if (hasDigit(matcher.group())) {
                runs.add(matcher.group());
            }
        }
        return runs;
    }

    static boolean isCode(String run) {
        return run.chars().anyMatch(Character::isLetter);
    }

    private static boolean hasDigit(String run) {
        return run.chars().anyMatch(Character::isDigit);
    }
}
