package io.wmstream.app.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Event logs written for the replay tests: interleaved conversations, control events and bad lines. */
final class ReplayLogs {
    private static final String[] USER_LINES = {
        "Could you find me a quiet room near the river for two nights?",
        "Something cheap would be best, we are students.",
        "Does it have a place to leave our bicycles?",
        "Great, please hold it under the name Ortega.",
        "What time does breakfast start there?",
    };
    private static final String[] AGENT_LINES = {
        "There is a small guesthouse by the water with rooms free this week.",
        "It costs forty pounds a night and has a shed for bikes.",
        "Breakfast is served from seven in the morning.",
    };

    private ReplayLogs() {
    }

    /** {@code conversations} conversations of alternating user and agent turns, one after the other, none ended. */
    static String grouped(int conversations, int turns) {
        List<String> lines = new ArrayList<>();
        for (int c = 0; c < conversations; c++) {
            for (int turn = 0; turn < turns; turn++) {
                boolean user = turn % 2 == 0;
                String text = user ? USER_LINES[(turn / 2 + c) % USER_LINES.length]
                        : AGENT_LINES[(turn / 2 + c) % AGENT_LINES.length];
                lines.add(String.format(Locale.ROOT,
                        "{\"conversationId\":\"stay-%d\",\"turn\":%d,\"speaker\":\"%s\",\"text\":\"%s\"}", c,
                        turn, user ? "user" : "agent", text));
            }
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * {@code conversations} conversations of alternating user and agent turns, interleaved line by line; the even
     * ones end, and two lines that are not events sit in the middle.
     */
    static String interleaved(int conversations, int turns) {
        List<String> lines = new ArrayList<>();
        for (int turn = 0; turn < turns; turn++) {
            for (int c = 0; c < conversations; c++) {
                boolean user = turn % 2 == 0;
                String text = user ? USER_LINES[(turn / 2 + c) % USER_LINES.length]
                        : AGENT_LINES[(turn / 2 + c) % AGENT_LINES.length];
                lines.add(String.format(Locale.ROOT,
                        "{\"conversationId\":\"trip-%d\",\"turn\":%d,\"speaker\":\"%s\",\"text\":\"%s\"}", c, turn,
                        user ? "user" : "agent", text));
            }
            if (turn == turns / 2) {
                lines.add("{\"conversationId\":\"trip-0\",\"turn\":\"late\",\"speaker\":\"user\",\"text\":\"x\"}");
                lines.add("this line is not json at all");
            }
        }
        for (int c = 0; c < conversations; c += 2) {
            lines.add(String.format(Locale.ROOT, "{\"type\":\"end\",\"conversationId\":\"trip-%d\",\"turn\":%d}", c,
                    turns));
        }
        return String.join("\n", lines) + "\n";
    }
}
