package io.wmstream.schemas.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.deadletter.DeadLetterReason;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads and validates input records against DESIGN 4.2. This is the one place where event rules live: every
 * failure is a {@link ReadResult.Rejected} with a reason code and a message, never an exception.
 */
public final class ConversationEventReader {
    private static final Pattern RFC_3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    private final EventLimits limits;

    public ConversationEventReader(EventLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public EventLimits limits() {
        return limits;
    }

    /** Reads one record value. */
    public ReadResult read(byte[] value) {
        try {
            return new ReadResult.Accepted(parse(value));
        } catch (Invalid e) {
            return new ReadResult.Rejected(new EventRejection(e.reason, e.getMessage()));
        }
    }

    private ConversationEvent parse(byte[] value) throws Invalid {
        if (value == null) {
            throw new Invalid(DeadLetterReason.EMPTY_VALUE, "record value is null (a tombstone), expected an event");
        }
        if (value.length == 0) {
            throw new Invalid(DeadLetterReason.EMPTY_VALUE, "record value is empty, expected an event");
        }
        if (value.length > limits.maxRecordBytes()) {
            throw new Invalid(DeadLetterReason.TOO_LARGE,
                    "record value has " + value.length + " bytes, limit " + limits.maxRecordBytes());
        }
        requireUtf8(value);
        JsonNode root = parseJson(value);
        if (!root.isObject()) {
            throw schema("expected a JSON object, got " + describe(root));
        }
        EventType type = readType(root.get("type"));
        String conversationId = readConversationId(root.get("conversationId"));
        String eventId = readEventId(root.get("eventId"));
        Long turn = readTurn(root.get("turn"));
        String speaker = readSpeaker(root.get("speaker"), type);
        String text = readText(root.get("text"), type);
        Long timestamp = readTimestamp(root.get("timestamp"));
        ObjectNode metadata = readMetadata(root.get("metadata"));
        return new ConversationEvent(type, conversationId, eventId, turn, speaker, text, timestamp, metadata);
    }

    private static void requireUtf8(byte[] value) throws Invalid {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            decoder.decode(ByteBuffer.wrap(value));
        } catch (CharacterCodingException e) {
            throw new Invalid(DeadLetterReason.INVALID_UTF8, "record value is not valid UTF-8");
        }
    }

    private static JsonNode parseJson(byte[] value) throws Invalid {
        JsonNode root;
        try {
            root = CanonicalJson.readTree(value);
        } catch (JsonProcessingException e) {
            throw new Invalid(DeadLetterReason.MALFORMED_JSON, "not well-formed JSON: " + firstLine(e));
        } catch (IOException e) {
            throw new Invalid(DeadLetterReason.MALFORMED_JSON, "not well-formed JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new Invalid(DeadLetterReason.MALFORMED_JSON, "record value holds no JSON document");
        }
        return root;
    }

    private static EventType readType(JsonNode node) throws Invalid {
        if (isAbsent(node)) {
            return EventType.UTTERANCE;
        }
        if (!node.isTextual()) {
            throw schema("type must be a string, got " + describe(node));
        }
        return EventType.fromCode(node.textValue()).orElseThrow(() -> schema(
                "type must be one of utterance, end, reset, forget; got \"" + abbreviate(node.textValue()) + "\""));
    }

    private String readConversationId(JsonNode node) throws Invalid {
        if (isAbsent(node)) {
            throw new Invalid(DeadLetterReason.INVALID_CONVERSATION_ID, "conversationId is required");
        }
        if (!node.isTextual()) {
            throw new Invalid(DeadLetterReason.INVALID_CONVERSATION_ID,
                    "conversationId must be a string, got " + describe(node));
        }
        String id = node.textValue();
        String problem = identifierProblem(id, limits.maxIdLength());
        if (problem != null) {
            throw new Invalid(hasUnpairedSurrogate(id) ? DeadLetterReason.INVALID_UTF8
                    : DeadLetterReason.INVALID_CONVERSATION_ID, "conversationId " + problem);
        }
        return id;
    }

    private String readEventId(JsonNode node) throws Invalid {
        if (isAbsent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            throw schema("eventId must be a string, got " + describe(node));
        }
        String id = node.textValue();
        if (id.codePointCount(0, id.length()) > limits.maxIdLength()) {
            throw new Invalid(DeadLetterReason.TOO_LARGE, "eventId has more than " + limits.maxIdLength()
                    + " characters");
        }
        String problem = identifierProblem(id, limits.maxIdLength());
        if (problem != null) {
            throw new Invalid(hasUnpairedSurrogate(id) ? DeadLetterReason.INVALID_UTF8
                    : DeadLetterReason.SCHEMA_VIOLATION, "eventId " + problem);
        }
        return id;
    }

    private static Long readTurn(JsonNode node) throws Invalid {
        if (isAbsent(node)) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            throw schema("turn must be an integer, got " + describe(node));
        }
        if (!node.canConvertToLong()) {
            throw schema("turn is out of range: " + abbreviate(node.asText()));
        }
        long turn = node.longValue();
        if (turn < 0) {
            throw schema("turn must be >= 0, got " + turn);
        }
        return turn;
    }

    private String readSpeaker(JsonNode node, EventType type) throws Invalid {
        if (isAbsent(node)) {
            if (type == EventType.UTTERANCE) {
                throw schema("speaker is required for an utterance");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw schema("speaker must be a string, got " + describe(node));
        }
        String speaker = node.textValue();
        String problem = identifierProblem(speaker, limits.maxSpeakerLength());
        if (problem != null) {
            throw new Invalid(hasUnpairedSurrogate(speaker) ? DeadLetterReason.INVALID_UTF8
                    : DeadLetterReason.SCHEMA_VIOLATION, "speaker " + problem);
        }
        return speaker;
    }

    private String readText(JsonNode node, EventType type) throws Invalid {
        if (isAbsent(node)) {
            if (type == EventType.UTTERANCE) {
                throw schema("text is required for an utterance");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw schema("text must be a string, got " + describe(node));
        }
        String text = node.textValue();
        if (hasUnpairedSurrogate(text)) {
            throw new Invalid(DeadLetterReason.INVALID_UTF8, "text holds an unpaired UTF-16 surrogate escape");
        }
        int bytes = utf8Length(text);
        if (bytes > limits.maxTextBytes()) {
            throw new Invalid(DeadLetterReason.TOO_LARGE,
                    "text has " + bytes + " bytes of UTF-8, limit " + limits.maxTextBytes());
        }
        if (type == EventType.UTTERANCE && text.isBlank()) {
            throw schema("text must not be blank in an utterance");
        }
        return text;
    }

    private static Long readTimestamp(JsonNode node) throws Invalid {
        if (isAbsent(node)) {
            return null;
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw schema("timestamp in epoch milliseconds is out of range");
            }
            return node.longValue();
        }
        if (!node.isTextual()) {
            throw schema("timestamp must be an RFC 3339 string or epoch milliseconds, got " + describe(node));
        }
        String text = node.textValue();
        if (!RFC_3339.matcher(text).matches()) {
            throw schema("timestamp is not RFC 3339 (e.g. 2026-03-01T12:30:00Z): \"" + abbreviate(text) + "\"");
        }
        try {
            return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant().toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw schema("timestamp is not a valid date and time: \"" + abbreviate(text) + "\"");
        }
    }

    private ObjectNode readMetadata(JsonNode node) throws Invalid {
        if (isAbsent(node)) {
            return null;
        }
        if (!node.isObject()) {
            throw schema("metadata must be an object, got " + describe(node));
        }
        if (treeHasUnpairedSurrogate(node)) {
            throw new Invalid(DeadLetterReason.INVALID_UTF8, "metadata holds an unpaired UTF-16 surrogate escape");
        }
        ObjectNode canonical = CanonicalJson.canonicalCopy((ObjectNode) node);
        int bytes = CanonicalJson.write(canonical).length;
        if (bytes > limits.maxMetadataBytes()) {
            throw new Invalid(DeadLetterReason.TOO_LARGE,
                    "metadata has " + bytes + " bytes as JSON, limit " + limits.maxMetadataBytes());
        }
        return canonical;
    }

    /**
     * What is wrong with {@code id} as a conversationId under {@code limits}, or null when it is one an event could
     * carry; for ids from elsewhere (an HTTP path) that must obey the same rules.
     */
    public static String conversationIdProblem(String id, EventLimits limits) {
        return identifierProblem(id, limits.maxIdLength());
    }

    /** Null when {@code id} is 1..max code points, has no control characters and no unpaired surrogates. */
    private static String identifierProblem(String id, int maxLength) {
        if (id.isEmpty()) {
            return "must not be empty";
        }
        if (hasUnpairedSurrogate(id)) {
            return "holds an unpaired UTF-16 surrogate escape";
        }
        int length = id.codePointCount(0, id.length());
        if (length > maxLength) {
            return "has " + length + " characters, limit " + maxLength;
        }
        if (id.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL)) {
            return "must not hold control characters";
        }
        return null;
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull();
    }

    static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean treeHasUnpairedSurrogate(JsonNode node) {
        if (node.isTextual()) {
            return hasUnpairedSurrogate(node.textValue());
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (hasUnpairedSurrogate(field.getKey()) || treeHasUnpairedSurrogate(field.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (treeHasUnpairedSurrogate(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String describe(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static String firstLine(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static Invalid schema(String message) {
        return new Invalid(DeadLetterReason.SCHEMA_VIOLATION, message);
    }

    /** Control flow inside the reader only; never escapes it. */
    private static final class Invalid extends Exception {
        private final DeadLetterReason reason;

        Invalid(DeadLetterReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
