package io.wmstream.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.EventType;
import io.wmstream.schemas.output.Highlight;
import io.wmstream.schemas.output.InReplyTo;
import io.wmstream.schemas.output.ModelRef;
import io.wmstream.schemas.output.Reply;
import io.wmstream.schemas.output.Summary;
import io.wmstream.schemas.output.SummaryKind;
import io.wmstream.schemas.output.SummaryReason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputPrinterTest {
    private static final ModelRef MODEL = new ModelRef("wm-gru", "3");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final OutputPrinter printer = new OutputPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    @Test
    void shouldShowAReplyUnderTheUtteranceItAnswers() {
        // Given the utterance that was sent
        printer.rememberInput(new ConversationEvent(EventType.UTTERANCE, "c1", "e1", 2L, "user", "A room, please.",
                null, null));

        // When its reply arrives
        printer.accept(new OutputWatcher.ReplyOutput(new Reply("c1", new InReplyTo(2L, "e1"), 3, "assistant",
                "Which night?", 3, MODEL, null)));

        // Then both are shown, tagged with the conversation
        assertThat(text()).isEqualTo("""
                [c1] user: A room, please.
                [c1]   -> assistant (turn 3): Which night?
                """);
    }

    @Test
    void shouldShowASummaryWithItsHighlights() {
        printer.accept(new OutputWatcher.SummaryOutput(new Summary("c1", SummaryKind.FINAL, SummaryReason.END, 7, 4,
                "Room booked for Friday.", List.of(new Highlight(2, "user", "A room, please.", 0.8125)), MODEL,
                null)));

        assertThat(text()).isEqualTo("""
                [c1] == final summary (end, up to turn 7, 4 turns, model wm-gru 3): Room booked for Friday.
                [c1]      * turn 2, user, salience 0.813: A room, please.
                """);
    }

    @Test
    void shouldShowUnreadableRecordsInsteadOfSkippingThem() {
        printer.accept(new OutputWatcher.Unreadable("conversation-replies", "c9", "bad json"));

        assertThat(text()).contains("[c9] unreadable record on conversation-replies: bad json");
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
