package io.wmstream.app.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Event logs written by code for the reliability tests: many conversations of alternating user and agent turns,
 * interleaved at random (each conversation's own turns stay in order), from phrases written for this project and
 * filled with seeded choices, so that every conversation says something different and the same seed gives the same
 * log. Timestamps advance 10 ms a line, so no conversation goes quiet long enough to expire.
 */
final class SyntheticConversations {
    private static final long START_MS = 1_767_225_600_000L;
    private static final String[] USER = {
        "I am looking for a %s place to stay in the %s for %d nights.",
        "Could you book a table for %d people at %s on %s?",
        "Is there a train to %s that leaves after %s?",
        "What is the phone number of the %s museum?",
        "Please find me a taxi to the %s at %s.",
        "Does it have free parking and %s?",
        "Can I get a %s restaurant near the %s instead?",
        "Thanks, that is all I need for the %s trip.",
    };
    private static final String[] AGENT = {
        "I found a %s guesthouse in the %s with rooms free.",
        "Your booking is done, the reference is %s.",
        "The next train leaves at %s and takes %d minutes.",
        "It is open from %s every day except %s.",
        "A %s car will pick you up, the driver's number is %d.",
        "Yes, it has %s and is %d minutes from the centre.",
    };
    private static final String[] WORDS = {
        "cheap", "moderate", "expensive", "quiet", "central", "north", "south", "east", "west", "river", "station",
        "airport", "college", "gallery", "Italian", "Indian", "Chinese", "wifi", "breakfast", "blue", "red",
        "Monday", "Tuesday", "Friday", "Sunday", "Cambridge", "London", "Ely", "Norwich", "Leicester",
    };

    private SyntheticConversations() {
    }

    /** One line of a log: the conversation it belongs to, its turn, whether a user said it, and the event's JSON. */
    record Line(String conversationId, long turn, boolean user, String json) {
    }

    /**
     * {@code conversations} conversations of {@code turns} turns each (even turns the user's), named
     * {@code prefix-N}, interleaved at random with {@code seed}.
     */
    static List<Line> interleaved(String prefix, int conversations, int turns, long seed) {
        return interleaved(prefix, conversations, turns, seed, START_MS);
    }

    /**
     * The same, with event times from {@code startMs}: a log mixed with records that carry no event time (whose
     * record time, the producer's clock, stands in) must start near that clock, or idle expiry would close its
     * conversations when stream time jumps between the two.
     */
    static List<Line> interleaved(String prefix, int conversations, int turns, long seed, long startMs) {
        Random random = new Random(seed);
        int[] next = new int[conversations];
        List<Integer> open = new ArrayList<>();
        for (int c = 0; c < conversations; c++) {
            open.add(c);
        }
        List<Line> log = new ArrayList<>(conversations * turns);
        while (!open.isEmpty()) {
            int slot = random.nextInt(open.size());
            int c = open.get(slot);
            int turn = next[c]++;
            if (next[c] == turns) {
                open.set(slot, open.get(open.size() - 1));
                open.remove(open.size() - 1);
            }
            boolean user = turn % 2 == 0;
            String id = prefix + "-" + c;
            log.add(new Line(id, turn, user, event(id, turn, user ? "user" : "agent", sentence(random, user),
                    startMs + 10L * log.size())));
        }
        return log;
    }

    /** An utterance event as JSON. */
    static String event(String conversationId, long turn, String speaker, String text, long timestampMs) {
        return String.format(Locale.ROOT, "{\"conversationId\":\"%s\",\"eventId\":\"%s-%d\",\"turn\":%d,"
                + "\"speaker\":\"%s\",\"text\":\"%s\",\"timestamp\":%d}", conversationId, conversationId, turn, turn,
                speaker, text, timestampMs);
    }

    private static String sentence(Random random, boolean user) {
        String[] templates = user ? USER : AGENT;
        String template = templates[random.nextInt(templates.length)];
        List<Object> args = new ArrayList<>();
        for (int at = template.indexOf('%'); at >= 0; at = template.indexOf('%', at + 2)) {
            switch (template.charAt(at + 1)) {
                case 'd' -> args.add(2 + random.nextInt(40));
                default -> args.add(random.nextInt(4) == 0 ? time(random) : WORDS[random.nextInt(WORDS.length)]);
            }
        }
        return String.format(Locale.ROOT, template, args.toArray());
    }

    private static String time(Random random) {
        return String.format(Locale.ROOT, "%02d:%02d", 6 + random.nextInt(17), 5 * random.nextInt(12));
    }

    /** How many lines a user said. */
    static int userLines(List<Line> log) {
        return (int) log.stream().filter(Line::user).count();
    }
}
