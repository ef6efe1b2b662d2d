package io.wmstream.app.reliability;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Bad input for the hostile-input test, one generator per class of the issue, each with the dead-letter reason
 * that DESIGN 4.2 and {@code schemas/README.md} give it. Seeded, so a run can be repeated.
 */
final class HostileRecords {
    /** A bad record: key and value bytes (either may be null) and the reason it must be dead-lettered with. */
    record Bad(String kind, byte[] key, byte[] value, String reason) {
    }

    private final Random random;
    private final long nowMs;

    /** {@code nowMs}: about when the records are sent (their Kafka timestamps), for times that must be ahead of it. */
    HostileRecords(long seed, long nowMs) {
        this.random = new Random(seed);
        this.nowMs = nowMs;
    }

    /** The classes in the order {@link #next} deals them. */
    static final String[] KINDS = {"random-bytes", "invalid-utf8", "deeply-nested", "huge", "wrong-types",
        "bad-id", "null-value", "null-key-and-value", "future-timestamp"};

    /** The {@code n}-th bad record of class {@code kind}. */
    Bad next(String kind, int n) {
        String id = "hostile-" + (n % 50);
        byte[] key = bytes(id);
        return switch (kind) {
            // Not JSON at all: random printable bytes after a character no JSON document starts with.
            case "random-bytes" -> new Bad(kind, key, randomAscii(1 + random.nextInt(300)), "malformed-json");
            // An event whose text holds a byte sequence that is not UTF-8 (a lead byte without its continuation).
            case "invalid-utf8" -> new Bad(kind, key, invalidUtf8(id, n), "invalid-utf8");
            // Deeper than the JSON reader's nesting limit (1000), yet under the 64 KiB record limit.
            case "deeply-nested" -> new Bad(kind, key, nested(2000 + random.nextInt(3000)), "malformed-json");
            // Every tenth over the 64 KiB record limit, the others an utterance over the 8 KiB text limit.
            case "huge" -> new Bad(kind, key, n % 10 == 0 ? hugeRecord(id) : hugeText(id), "too-large");
            case "wrong-types" -> new Bad(kind, key, wrongTypes(id, n), "schema-violation");
            case "bad-id" -> new Bad(kind, key, badId(n), "invalid-conversation-id");
            // A tombstone, or an empty value, on a conversation's key.
            case "null-value" -> new Bad(kind, key, n % 2 == 0 ? null : new byte[0], "empty-value");
            case "null-key-and-value" -> new Bad(kind, null, null, "empty-value");
            // A user's utterance on a valid conversation, dated a day to centuries ahead: accepted, it would be
            // answered, and move its task's stream time so far that every conversation of the task expired.
            case "future-timestamp" -> new Bad(kind, bytes("ok-" + (n % 200)), future("ok-" + (n % 200), n),
                    "future-timestamp");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private byte[] future(String id, int n) {
        String time = switch (n % 4) {
            case 0 -> "\"2099-01-01T00:00:00Z\"";
            case 1 -> "\"9999-12-31T23:59:59.999Z\"";
            // A day to a year ahead of the send, in epoch milliseconds: far beyond any test's run and skew.
            default -> Long.toString(nowMs + 86_400_000L + (long) (random.nextDouble() * 365 * 86_400_000L));
        };
        return bytes("{\"conversationId\":\"" + id + "\",\"speaker\":\"user\",\"text\":\"hello from the future "
                + n + "\",\"timestamp\":" + time + "}");
    }

    private byte[] randomAscii(int length) {
        byte[] bytes = new byte[length];
        bytes[0] = '#';
        for (int i = 1; i < length; i++) {
            bytes[i] = (byte) (0x20 + random.nextInt(0x5f));
        }
        return bytes;
    }

    private byte[] invalidUtf8(String id, int n) {
        byte[] head = bytes("{\"conversationId\":\"" + id + "\",\"turn\":" + n
                + ",\"speaker\":\"user\",\"text\":\"caf");
        byte[] tail = bytes(" au lait\"}");
        byte[] bad = {(byte) (0xC0 + random.nextInt(0x20)), (byte) '('};
        byte[] value = Arrays.copyOf(head, head.length + bad.length + tail.length);
        System.arraycopy(bad, 0, value, head.length, bad.length);
        System.arraycopy(tail, 0, value, head.length + bad.length, tail.length);
        return value;
    }

    private static byte[] nested(int depth) {
        return bytes("[".repeat(depth) + "]".repeat(depth));
    }

    private static byte[] hugeText(String id) {
        return bytes("{\"conversationId\":\"" + id + "\",\"speaker\":\"user\",\"text\":\""
                + "a table for two please ".repeat(400) + "\"}");
    }

    private static byte[] hugeRecord(String id) {
        return bytes("{\"conversationId\":\"" + id + "\",\"speaker\":\"user\",\"text\":\"hi\",\"padding\":\""
                + "x".repeat(70_000) + "\"}");
    }

    private byte[] wrongTypes(String id, int n) {
        String event = switch (random.nextInt(5)) {
            case 0 -> "{\"conversationId\":\"%s\",\"turn\":\"seven\",\"speaker\":\"user\",\"text\":\"hello\"}";
            case 1 -> "{\"conversationId\":\"%s\",\"speaker\":\"user\",\"text\":42}";
            case 2 -> "{\"conversationId\":\"%s\",\"speaker\":true,\"text\":\"hello\"}";
            case 3 -> "{\"conversationId\":\"%s\",\"type\":\"shout\",\"speaker\":\"user\",\"text\":\"hello\"}";
            default -> "[\"%s\",\"user\",\"hello\"]";
        };
        return bytes(String.format(Locale.ROOT, event, id + "-" + n));
    }

    private byte[] badId(int n) {
        String id = switch (random.nextInt(5)) {
            case 0 -> "\"\"";
            case 1 -> "\"" + "c".repeat(201 + random.nextInt(100)) + "\"";
            case 2 -> "\"ctrl\\u0001" + n + "\"";
            case 3 -> Integer.toString(n);
            default -> "null";
        };
        return bytes("{\"conversationId\":" + id + ",\"speaker\":\"user\",\"text\":\"hello\"}");
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
