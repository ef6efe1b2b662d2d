package io.wmstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.ConversationEventReader;
import io.wmstream.schemas.event.EventLimits;
import io.wmstream.schemas.event.EventType;
import io.wmstream.schemas.event.ReadResult;
import io.wmstream.schemas.json.CanonicalJson;
import io.wmstream.schemas.output.Highlight;
import io.wmstream.schemas.output.InReplyTo;
import io.wmstream.schemas.output.ModelRef;
import io.wmstream.schemas.output.Reply;
import io.wmstream.schemas.output.Summary;
import io.wmstream.schemas.output.SummaryKind;
import io.wmstream.schemas.output.SummaryReason;
import io.wmstream.schemas.serde.WmSerdes;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Valid records survive a trip through their bytes, and their bytes are stable. */
class RecordRoundTripTest {
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
    private final ConversationEventReader reader = new ConversationEventReader(EventLimits.DEFAULTS);

    @Property(tries = 500)
    void validEventsRoundTripAndReserializeToIdenticalBytes(@ForAll("validEvents") ConversationEvent event) {
        // Given a valid event, When it is written and read back
        byte[] first = CanonicalJson.write(event);
        ReadResult result = reader.read(first);

        // Then it is the same event, and writing it again gives the same bytes
        assertThat(result).isInstanceOf(ReadResult.Accepted.class);
        ConversationEvent back = ((ReadResult.Accepted) result).event();
        assertThat(back).isEqualTo(event);
        assertThat(CanonicalJson.write(back)).isEqualTo(first);
    }

    @Property(tries = 200)
    void rfc3339TimestampsNormaliseToOneCanonicalForm(@ForAll("validEvents") ConversationEvent event,
            @ForAll("offsets") ZoneOffset offset) {
        // Given an event as another producer might write it: timestamp as RFC 3339 in some offset
        long millis = event.timestampMillis() == null ? 0L : event.timestampMillis();
        ObjectNode json = (ObjectNode) CanonicalJson.mapper().valueToTree(event);
        json.put("timestamp", RFC_3339.format(Instant.ofEpochMilli(millis).atOffset(offset)));
        byte[] producerBytes = json.toString().getBytes(StandardCharsets.UTF_8);

        // When it is read and written twice
        ConversationEvent once = ((ReadResult.Accepted) reader.read(producerBytes)).event();
        byte[] canonical = CanonicalJson.write(once);
        ConversationEvent twice = ((ReadResult.Accepted) reader.read(canonical)).event();

        // Then the instant is kept and the canonical bytes are a fixed point
        assertThat(once.timestampMillis()).isEqualTo(millis);
        assertThat(CanonicalJson.write(twice)).isEqualTo(canonical);
    }

    @Property(tries = 300)
    void repliesAndSummariesRoundTripThroughTheirSerdes(@ForAll("replies") Reply reply,
            @ForAll("summaries") Summary summary) {
        // Given output records, When serialized and deserialized by their serdes
        var replies = WmSerdes.replies();
        var summaries = WmSerdes.summaries();
        byte[] replyBytes = replies.serializer().serialize("conversation-replies", reply);
        byte[] summaryBytes = summaries.serializer().serialize("conversation-summaries", summary);
        Reply replyBack = replies.deserializer().deserialize("conversation-replies", replyBytes);
        Summary summaryBack = summaries.deserializer().deserialize("conversation-summaries", summaryBytes);

        // Then they are equal and re-serialize to identical bytes
        assertThat(replyBack).isEqualTo(reply);
        assertThat(summaryBack).isEqualTo(summary);
        assertThat(replies.serializer().serialize("t", replyBack)).isEqualTo(replyBytes);
        assertThat(summaries.serializer().serialize("t", summaryBack)).isEqualTo(summaryBytes);
    }

    @Provide
    Arbitrary<ConversationEvent> validEvents() {
        Arbitrary<EventType> types = Arbitraries.of(EventType.class);
        Arbitrary<String> ids = identifiers(200);
        Arbitrary<String> eventIds = identifiers(200).injectNull(0.4);
        Arbitrary<Long> turns = Arbitraries.longs().between(0, Long.MAX_VALUE).injectNull(0.3);
        Arbitrary<String> speakers = Arbitraries.oneOf(Arbitraries.of("user", "system", "agent"), identifiers(64));
        Arbitrary<String> texts = texts();
        Arbitrary<Long> timestamps = Arbitraries.longs().between(-62_100_000_000_000L, 253_370_000_000_000L)
                .injectNull(0.3);
        Arbitrary<ObjectNode> metadata = metadata().injectNull(0.5);
        return Builders.withBuilder(() -> new EventParts())
                .use(types).in((p, v) -> p.type(v))
                .use(ids).in((p, v) -> p.id(v))
                .use(eventIds).in((p, v) -> p.eventId(v))
                .use(turns).in((p, v) -> p.turn(v))
                .use(speakers).in((p, v) -> p.speaker(v))
                .use(texts).in((p, v) -> p.text(v))
                .use(timestamps).in((p, v) -> p.timestamp(v))
                .use(metadata).in((p, v) -> p.metadata(v))
                .build(EventParts::toEvent);
    }

    @Provide
    Arbitrary<ZoneOffset> offsets() {
        return Arbitraries.integers().between(-18 * 60, 18 * 60).map(m -> ZoneOffset.ofTotalSeconds(m * 60));
    }

    @Provide
    Arbitrary<Reply> replies() {
        Arbitrary<InReplyTo> inReplyTo = Combinators.combine(Arbitraries.longs().greaterOrEqual(0).injectNull(0.3),
                identifiers(50).injectNull(0.5)).as(InReplyTo::new);
        return Combinators.combine(identifiers(200), inReplyTo, Arbitraries.longs().greaterOrEqual(0),
                texts(), Arbitraries.integers().between(0, 64), models(), metadata().injectNull(0.5))
                .as((id, ref, turn, text, tokens, model, meta) -> new Reply(id, ref, turn, "assistant", text, tokens,
                        model, meta));
    }

    @Provide
    Arbitrary<Summary> summaries() {
        Arbitrary<Highlight> highlight = Combinators.combine(Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.of("user", "system"), texts(), Arbitraries.doubles().between(-10, 10))
                .as(Highlight::new);
        return Combinators.combine(identifiers(200), Arbitraries.of(SummaryKind.class),
                Arbitraries.of(SummaryReason.class), Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.integers().greaterOrEqual(0), texts(), highlight.list().ofMaxSize(5), models())
                .as((id, kind, reason, upTo, turns, text, highlights, model) -> new Summary(id, kind, reason, upTo,
                        turns, text, highlights, model, null));
    }

    private static Arbitrary<ModelRef> models() {
        return Combinators.combine(Arbitraries.of("wm-gru-dialogue", "m2"), Arbitraries.of("1.0.0", "2.1"))
                .as(ModelRef::new);
    }

    /** 1..max characters, any Unicode but control characters and unpaired surrogates. */
    private static Arbitrary<String> identifiers(int max) {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().withChars("-_.:/").ofMinLength(1).ofMaxLength(max),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(max / 2)
                        .filter(s -> s.codePoints().noneMatch(cp -> Character.getType(cp) == Character.CONTROL))
                        .filter(RecordRoundTripTest::pairedSurrogatesOnly));
    }

    private static Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(300),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(300)
                        .filter(RecordRoundTripTest::pairedSurrogatesOnly))
                .filter(s -> !s.isBlank());
    }

    private static Arbitrary<ObjectNode> metadata() {
        Arbitrary<String> keys = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8);
        Arbitrary<Object> values = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).filter(RecordRoundTripTest::pairedSurrogatesOnly).map(v -> v),
                Arbitraries.integers().map(v -> v),
                Arbitraries.bigDecimals().between(BigDecimal.valueOf(-1000), BigDecimal.valueOf(1000)).ofScale(2)
                        .map(v -> v),
                Arbitraries.of(true, false).map(v -> v));
        return Arbitraries.maps(keys, values).ofMaxSize(6).map(map -> {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            map.forEach((k, v) -> {
                if (v instanceof String s) {
                    node.put(k, s);
                } else if (v instanceof Integer i) {
                    node.put(k, i);
                } else if (v instanceof BigDecimal d) {
                    node.put(k, d);
                } else {
                    node.put(k, (Boolean) v);
                }
            });
            return node;
        });
    }

    private static boolean pairedSurrogatesOnly(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Mutable holder used only while jqwik assembles an event. */
    private static final class EventParts {
        private EventType type;
        private String id;
        private String eventId;
        private Long turn;
        private String speaker;
        private String text;
        private Long timestamp;
        private ObjectNode metadata;

        EventParts type(EventType v) {
            type = v;
            return this;
        }

        EventParts id(String v) {
            id = v;
            return this;
        }

        EventParts eventId(String v) {
            eventId = v;
            return this;
        }

        EventParts turn(Long v) {
            turn = v;
            return this;
        }

        EventParts speaker(String v) {
            speaker = v;
            return this;
        }

        EventParts text(String v) {
            text = v;
            return this;
        }

        EventParts timestamp(Long v) {
            timestamp = v;
            return this;
        }

        EventParts metadata(ObjectNode v) {
            metadata = v;
            return this;
        }

        ConversationEvent toEvent() {
            boolean utterance = type == EventType.UTTERANCE;
            return new ConversationEvent(type, id, eventId, turn, utterance ? speaker : null,
                    utterance ? text : null, timestamp, metadata);
        }
    }

}
