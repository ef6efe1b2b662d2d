package io.wmstream.app.demo;

import io.wmstream.app.produce.EventLogReader;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventLimits;
import io.wmstream.schemas.event.EventType;
import io.wmstream.schemas.event.ReadResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The demo's built-in conversation log: a few short, interleaved conversations written for this project in the
 * domains the bundled model knows (a guesthouse booking, a train, a restaurant table, a booking change, a taxi in
 * Cambridge), stating the values its replies are filled from (times, party sizes, references), each closed by an
 * {@code end} event.
 */
public final class SampleLog {
    /** Class-path location of the log. */
    public static final String RESOURCE = "/demo/sample-conversations.jsonl";

    private final List<EventLogReader.Line> lines;
    private final List<ConversationEvent> events;

    private SampleLog(List<EventLogReader.Line> lines, List<ConversationEvent> events) {
        this.lines = List.copyOf(lines);
        this.events = List.copyOf(events);
    }

    /** Loads and validates the built-in log; a broken log is a bug in the build, so it fails loudly. */
    public static SampleLog load() {
        try (InputStream in = SampleLog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the sample log " + RESOURCE + " is missing from the class path");
            }
            byte[] bytes = in.readAllBytes();
            List<EventLogReader.Line> lines = new ArrayList<>();
            List<ConversationEvent> events = new ArrayList<>();
            ConversationEventReader reader = new ConversationEventReader(EventLimits.DEFAULTS);
            try (EventLogReader log = new EventLogReader(new ByteArrayInputStream(bytes))) {
                while (log.hasNext()) {
                    EventLogReader.Line line = log.next();
                    ReadResult result = reader.read(line.bytes());
                    if (!(result instanceof ReadResult.Accepted accepted)) {
                        throw new IllegalStateException("sample log line " + line.number() + " is invalid: "
                                + ((ReadResult.Rejected) result).rejection());
                    }
                    lines.add(line);
                    events.add(accepted.event());
                }
            }
            return new SampleLog(lines, events);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sample log", e);
        }
    }

    public Iterator<EventLogReader.Line> lines() {
        return lines.iterator();
    }

    public List<ConversationEvent> events() {
        return events;
    }

    /** Utterances whose speaker is one of {@code replyRoles}: each should get exactly one reply. */
    public long expectedReplies(List<String> replyRoles) {
        return events.stream().filter(ConversationEvent::isUtterance)
                .filter(e -> replyRoles.contains(e.speaker().toLowerCase(Locale.ROOT))).count();
    }

    /** Conversations that end in the log: each should get a final summary. */
    public Set<String> endedConversations() {
        Set<String> ended = new LinkedHashSet<>();
        events.stream().filter(e -> e.type() == EventType.END).forEach(e -> ended.add(e.conversationId()));
        return ended;
    }
}
