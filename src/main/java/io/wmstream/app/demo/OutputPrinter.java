package io.wmstream.app.demo;

import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.output.Highlight;
import io.wmstream.schemas.output.Reply;
import io.wmstream.schemas.output.ReplySlot;
import io.wmstream.schemas.output.Summary;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Renders pipeline outputs for a person: each reply under the utterance it answers (when that utterance is known),
 * each summary with its highlights, what was agreed (the dialogue state, whole: a backend acts on it) and the values
 * mentioned.
 */
public final class OutputPrinter implements Consumer<OutputWatcher.Output> {
    private static final int WIDTH = 100;

    private final PrintStream out;
    private final Map<String, ConversationEvent> inputsByEventId = new HashMap<>();

    public OutputPrinter(PrintStream out) {
        this.out = out;
    }

    /** Remembers an input so its reply can be shown beneath it. */
    public void rememberInput(ConversationEvent event) {
        if (event.eventId() != null) {
            inputsByEventId.put(event.conversationId() + "\u0000" + event.eventId(), event);
        }
    }

    @Override
    public void accept(OutputWatcher.Output output) {
        if (output instanceof OutputWatcher.ReplyOutput reply) {
            printReply(reply.reply());
        } else if (output instanceof OutputWatcher.SummaryOutput summary) {
            printSummary(summary.summary());
        } else if (output instanceof OutputWatcher.Unreadable unreadable) {
            out.println("[" + unreadable.conversationId() + "] unreadable record on " + unreadable.topic() + ": "
                    + unreadable.problem());
        }
        out.flush();
    }

    private void printReply(Reply reply) {
        String tag = "[" + reply.conversationId() + "]";
        String eventId = reply.inReplyTo().eventId();
        ConversationEvent input = eventId == null ? null
                : inputsByEventId.get(reply.conversationId() + "\u0000" + eventId);
        if (input != null) {
            out.println(tag + " " + input.speaker() + ": " + clip(input.text()));
        }
        out.println(tag + "   -> " + reply.speaker() + " (turn " + reply.turn() + "): " + clip(reply.text()));
        if (reply.filled() != null && !reply.filled().isEmpty()) {
            out.println(tag + "      filled from memory: " + String.join(", ", reply.filled().stream()
                    .map(f -> f.type() + " = " + f.value() + " (turn " + f.fromTurn() + ")").toList()));
        }
        if (reply.slots() != null && !reply.slots().isEmpty()) {
            out.println(tag + "      left for the backend: " + String.join(", ", reply.slots().stream()
                    .map(ReplySlot::type).toList()));
        }
    }

    private void printSummary(Summary summary) {
        String tag = "[" + summary.conversationId() + "]";
        out.println(tag + " == " + summary.kind().code() + " summary ("
                + summary.reason().code() + ", up to turn "
                + summary.upToTurn() + ", " + summary.turns() + " turns, model " + summary.model().name() + " "
                + summary.model().version() + ")" + (summary.text().isEmpty() ? "" : ": " + clip(summary.text())));
        for (Highlight highlight : summary.highlights()) {
            out.printf(Locale.ROOT, "%s      * turn %d, %s, salience %.3f: %s%n", tag, highlight.turn(),
                    highlight.speaker(), highlight.salience(), clip(highlight.text()));
        }
        if (summary.state() != null) {
            out.println(tag + "      agreed (dialogue state): " + (summary.state().isEmpty() ? "nothing yet"
                    : String.join("; ", summary.state().stream()
                            .map(s -> s.slot() + " = " + s.value() + " (turn " + s.turn() + ")").toList())));
            if (summary.openRequests() != null && !summary.openRequests().isEmpty()) {
                out.println(tag + "      asked for, not given yet: " + String.join(", ", summary.openRequests()));
            }
        }
        if (summary.facts() != null && !summary.facts().isEmpty()) {
            out.println(tag + "      values mentioned (latest first): " + clip(String.join("; ", summary.facts()
                    .stream().map(f -> f.type() + " = " + f.value() + " (turn " + f.turn() + ")").toList())));
        }
    }

    private static String clip(String text) {
        String oneLine = text.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= WIDTH ? oneLine : oneLine.substring(0, WIDTH - 3) + "...";
    }
}
