package io.wmstream.app.replay;

import io.wmstream.app.evaluation.Evaluation;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.EventType;
import io.wmstream.schemas.serde.ConversationEventSerde;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serializer;

/** Keys, times and (optionally) closes conversations, then pipes each line into the replayer. */
final class Feeder {
    private final Replayer replayer;
    private final Evaluation evaluation;
    private final MwzevalExport export;
    private final boolean endEachConversation;
    private final Serializer<ConversationEvent> events;
    private long timestampMs;
    private String current;
    private long conversations;

    /**
     * {@code export} is null when the MultiWOZ evaluator's input is not written; {@code events} writes the end
     * events of {@code endEach}.
     */
    Feeder(Replayer replayer, Evaluation evaluation, MwzevalExport export, boolean endEach,
            ConversationEventSerde events) {
        this.replayer = replayer;
        this.evaluation = evaluation;
        this.export = export;
        this.endEachConversation = endEach;
        this.events = events.serializer();
    }

    /**
     * Pipes one line; {@code recordTimestampMs} is its record's time (a topic's own, or a JSONL line's stand-in
     * arrival time from {@link ArrivalTimes}), or -1 when it has none: then the previous line's stands in.
     */
    void feed(LogLine line, long recordTimestampMs) throws IOException {
        ConversationEvent event = line.event();
        if (recordTimestampMs >= 0) {
            timestampMs = recordTimestampMs;
        }
        if (event == null) {
            // Not an event: no key, so it is dead-lettered exactly as a live run does.
            evaluation.onInput(null, line.json());
            replayer.pipe(null, line.value(), timestampMs);
            return;
        }
        if (!event.conversationId().equals(current)) {
            endCurrent();
            current = event.conversationId();
            conversations++;
        }
        // The record's time is the reference the topology judges the event's own time against, as live: one too
        // far ahead of it (and of the stream's time) is dead-lettered future-timestamp.
        evaluation.onInput(event, line.json());
        if (export != null) {
            export.onInput(event);
        }
        replayer.pipe(event.conversationId().getBytes(StandardCharsets.UTF_8), line.value(), timestampMs);
        if (event.type() == EventType.END || event.type() == EventType.FORGET) {
            // Already closed by the log itself: another end would summarize an empty conversation.
            current = null;
        }
    }

    /** Ends the last conversation (when asked to) and flushes the replayer. */
    void finish() throws IOException {
        endCurrent();
        replayer.flush();
    }

    long conversations() {
        return conversations;
    }

    private void endCurrent() throws IOException {
        if (endEachConversation && current != null) {
            replayer.pipe(current.getBytes(StandardCharsets.UTF_8),
                    events.serialize(null, ConversationEvent.control(EventType.END, current, null)), timestampMs);
        }
        current = null;
    }
}
