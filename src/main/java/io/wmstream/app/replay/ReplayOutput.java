package io.wmstream.app.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.deadletter.DeadLetterHeaders;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import org.apache.kafka.common.header.Headers;

/**
 * One output record of a replay, with where it sorts: by the source offset of the input event that caused it, then
 * by the order in which the working-memory processor forwarded it (parse-stage dead letters first).
 */
record ReplayOutput(String topic, String key, byte[] value, boolean deadLetter, String reason, long sourceOffset,
        long emissionIndex) {
    /** Header the topology writes on every working-memory output (kept in step with BatchRunner). */
    static final String SOURCE_OFFSET_HEADER = "wm.source.offset";
    /** Header the topology writes on every working-memory output (kept in step with WorkingMemoryProcessor). */
    static final String EMISSION_INDEX_HEADER = "wm.emission.index";

    /** Output order: source offset, then emission order; the topic breaks the (never expected) remaining ties. */
    static final Comparator<ReplayOutput> ORDER = Comparator.comparingLong(ReplayOutput::sourceOffset)
            .thenComparingLong(ReplayOutput::emissionIndex)
            .thenComparing(ReplayOutput::topic);

    static ReplayOutput of(String topic, byte[] key, byte[] value, Headers headers, boolean deadLetter) {
        String offset = DeadLetterHeaders.read(headers, SOURCE_OFFSET_HEADER);
        if (offset == null) {
            offset = DeadLetterHeaders.read(headers, DeadLetterHeaders.SOURCE_OFFSET);
        }
        String index = DeadLetterHeaders.read(headers, EMISSION_INDEX_HEADER);
        return new ReplayOutput(topic, key == null ? null : new String(key, StandardCharsets.UTF_8), value,
                deadLetter, deadLetter ? DeadLetterHeaders.read(headers, DeadLetterHeaders.REASON) : null,
                offset == null ? Long.MAX_VALUE : Long.parseLong(offset), index == null ? -1 : Long.parseLong(index));
    }

    /** The record value parsed as JSON, or null when it is a dead letter or not JSON. */
    JsonNode valueJson() {
        if (deadLetter || value == null) {
            return null;
        }
        try {
            return CanonicalJson.readTree(value);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The OUT.jsonl line: {@code topic}, {@code key}, {@code value} (a JSON object for replies and summaries; for
     * dead letters the original text as a string when it is UTF-8, else null with {@code valueBase64}), and for
     * dead letters {@code reason}.
     */
    ObjectNode toJson() {
        ObjectNode line = CanonicalJson.mapper().createObjectNode();
        line.put("topic", topic);
        line.put("key", key);
        JsonNode parsed = valueJson();
        if (parsed != null) {
            line.set("value", parsed);
        } else if (value == null) {
            line.putNull("value");
        } else {
            String text = utf8(value);
            if (text != null) {
                line.put("value", text);
            } else {
                line.putNull("value");
                line.put("valueBase64", Base64.getEncoder().encodeToString(value));
            }
        }
        if (deadLetter) {
            line.put("reason", reason);
        }
        return line;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
