package io.wmstream.schemas.event;

import static io.wmstream.schemas.deadletter.DeadLetterReason.EMPTY_VALUE;
import static io.wmstream.schemas.deadletter.DeadLetterReason.INVALID_CONVERSATION_ID;
import static io.wmstream.schemas.deadletter.DeadLetterReason.INVALID_UTF8;
import static io.wmstream.schemas.deadletter.DeadLetterReason.MALFORMED_JSON;
import static io.wmstream.schemas.deadletter.DeadLetterReason.SCHEMA_VIOLATION;
import static io.wmstream.schemas.deadletter.DeadLetterReason.TOO_LARGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.wmstream.schemas.deadletter.DeadLetterReason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The table of bad inputs: each must be rejected with its reason code and a message, never an exception. */
class MalformedEventsTest {
    private static final String OK = "\"conversationId\":\"c-1\",\"speaker\":\"user\",\"text\":\"hello there\"";
    private final ConversationEventReader reader = new ConversationEventReader(EventLimits.DEFAULTS);

    static Stream<Arguments> malformedInputs() {
        return Stream.of(
                arguments("null value (tombstone)", null, EMPTY_VALUE),
                arguments("empty value", new byte[0], EMPTY_VALUE),
                arguments("only whitespace", utf8("  \n\t "), MALFORMED_JSON),
                arguments("invalid UTF-8 continuation", bytes(0x7B, 0xC3, 0x28, 0x7D), INVALID_UTF8),
                arguments("Latin-1 byte in a string", concat(utf8("{" + OK.replace("hello there", "caf")),
                        bytes(0xE9), utf8("\"}")), INVALID_UTF8),
                arguments("overlong UTF-8 encoding", concat(utf8("{\"conversationId\":\""), bytes(0xC0, 0xAF),
                        utf8("\"}")), INVALID_UTF8),
                arguments("truncated 4-byte sequence", concat(utf8("{" + OK + ",\"x\":\""), bytes(0xF0, 0x9F, 0x98),
                        utf8("\"}")), INVALID_UTF8),
                arguments("unterminated object", utf8("{" + OK), MALFORMED_JSON),
                arguments("trailing comma", utf8("{" + OK + ",}"), MALFORMED_JSON),
                arguments("two documents", utf8("{" + OK + "} {" + OK + "}"), MALFORMED_JSON),
                arguments("duplicate key", utf8("{" + OK + ",\"text\":\"again\"}"), MALFORMED_JSON),
                arguments("single quotes", utf8("{'conversationId':'c-1'}"), MALFORMED_JSON),
                arguments("comment", utf8("// hi\n{" + OK + "}"), MALFORMED_JSON),
                arguments("NaN literal", utf8("{" + OK + ",\"turn\":NaN}"), MALFORMED_JSON),
                arguments("array instead of object", utf8("[{" + OK + "}]"), SCHEMA_VIOLATION),
                arguments("bare string", utf8("\"hello\""), SCHEMA_VIOLATION),
                arguments("bare number", utf8("42"), SCHEMA_VIOLATION),
                arguments("JSON null", utf8("null"), SCHEMA_VIOLATION),
                arguments("missing conversationId", utf8("{\"speaker\":\"user\",\"text\":\"hi\"}"),
                        INVALID_CONVERSATION_ID),
                arguments("numeric conversationId",
                        utf8("{\"conversationId\":42,\"speaker\":\"user\",\"text\":\"hi\"}"), INVALID_CONVERSATION_ID),
                arguments("empty conversationId", event("\"conversationId\":\"\""), INVALID_CONVERSATION_ID),
                arguments("201-character conversationId", event("\"conversationId\":\"" + "c".repeat(201) + "\""),
                        INVALID_CONVERSATION_ID),
                arguments("bell in conversationId", event("\"conversationId\":\"a\\u0007b\""),
                        INVALID_CONVERSATION_ID),
                arguments("newline in conversationId", event("\"conversationId\":\"a\\nb\""), INVALID_CONVERSATION_ID),
                arguments("unknown type", utf8("{" + OK + ",\"type\":\"shout\"}"), SCHEMA_VIOLATION),
                arguments("numeric type", utf8("{" + OK + ",\"type\":3}"), SCHEMA_VIOLATION),
                arguments("type in capitals", utf8("{" + OK + ",\"type\":\"END\"}"), SCHEMA_VIOLATION),
                arguments("utterance without speaker", utf8("{\"conversationId\":\"c\",\"text\":\"hi\"}"),
                        SCHEMA_VIOLATION),
                arguments("utterance without text", utf8("{\"conversationId\":\"c\",\"speaker\":\"user\"}"),
                        SCHEMA_VIOLATION),
                arguments("blank text", event("\"text\":\"  \\t \\n\""), SCHEMA_VIOLATION),
                arguments("numeric text", event("\"text\":12"), SCHEMA_VIOLATION),
                arguments("empty speaker", event("\"speaker\":\"\""), SCHEMA_VIOLATION),
                arguments("speaker as object", event("\"speaker\":{\"role\":\"user\"}"), SCHEMA_VIOLATION),
                arguments("text over 8 KiB", event("\"text\":\"" + "a".repeat(8193) + "\""), TOO_LARGE),
                arguments("text over 8 KiB in bytes, not characters", event("\"text\":\"" + "€".repeat(3000) + "\""),
                        TOO_LARGE),
                arguments("record over 64 KiB", event("\"pad\":\"" + "x".repeat(70_000) + "\""), TOO_LARGE),
                arguments("negative turn", event("\"turn\":-1"), SCHEMA_VIOLATION),
                arguments("fractional turn", event("\"turn\":1.5"), SCHEMA_VIOLATION),
                arguments("turn as string", event("\"turn\":\"3\""), SCHEMA_VIOLATION),
                arguments("turn beyond 64 bits", event("\"turn\":99999999999999999999999"), SCHEMA_VIOLATION),
                arguments("timestamp in words", event("\"timestamp\":\"yesterday\""), SCHEMA_VIOLATION),
                arguments("timestamp on a day that does not exist", event("\"timestamp\":\"2026-02-30T10:00:00Z\""),
                        SCHEMA_VIOLATION),
                arguments("timestamp without offset", event("\"timestamp\":\"2026-01-01T10:00:00\""),
                        SCHEMA_VIOLATION),
                arguments("timestamp without seconds", event("\"timestamp\":\"2026-01-01T10:00Z\""), SCHEMA_VIOLATION),
                arguments("boolean timestamp", event("\"timestamp\":true"), SCHEMA_VIOLATION),
                arguments("fractional epoch timestamp", event("\"timestamp\":1767268800000.5"), SCHEMA_VIOLATION),
                arguments("metadata as string", event("\"metadata\":\"channel=web\""), SCHEMA_VIOLATION),
                arguments("metadata as array", event("\"metadata\":[1,2]"), SCHEMA_VIOLATION),
                arguments("metadata over 2 KiB", event("\"metadata\":{\"note\":\"" + "n".repeat(2100) + "\"}"),
                        TOO_LARGE),
                arguments("eventId over 200 characters", event("\"eventId\":\"" + "e".repeat(201) + "\""), TOO_LARGE),
                arguments("numeric eventId", event("\"eventId\":7"), SCHEMA_VIOLATION),
                arguments("empty eventId", event("\"eventId\":\"\""), SCHEMA_VIOLATION),
                arguments("unpaired surrogate escape in text", event("\"text\":\"bad \\ud800 half\""), INVALID_UTF8),
                arguments("unpaired surrogate escape in metadata", event("\"metadata\":{\"k\":\"\\udc00\"}"),
                        INVALID_UTF8));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {2}")
    @MethodSource("malformedInputs")
    void shouldRejectWithTheExpectedReason(String description, byte[] value, DeadLetterReason expected) {
        // Given a malformed record value (the table row)
        // When it is read
        ReadResult result = reader.read(value);

        // Then it is rejected with the expected reason and a message
        assertThat(result).as(description).isInstanceOf(ReadResult.Rejected.class);
        EventRejection rejection = ((ReadResult.Rejected) result).rejection();
        assertThat(rejection.reason()).as(description + ": " + rejection.message()).isEqualTo(expected);
        assertThat(rejection.message()).isNotBlank();
    }

    /** A valid utterance with one field replaced or added. */
    private static byte[] event(String field) {
        String name = field.substring(0, field.indexOf(':'));
        String rest = switch (name) {
            case "\"conversationId\"" -> "\"speaker\":\"user\",\"text\":\"hello there\"";
            case "\"speaker\"" -> "\"conversationId\":\"c-1\",\"text\":\"hello there\"";
            case "\"text\"" -> "\"conversationId\":\"c-1\",\"speaker\":\"user\"";
            default -> OK;
        };
        return utf8("{" + rest + "," + field + "}");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
