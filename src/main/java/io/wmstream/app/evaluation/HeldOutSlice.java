package io.wmstream.app.evaluation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The held-out slice of a dialogue dataset, chosen by a hash of the conversation id so that it is the same in
 * every tool and language: a conversation is held out when the first four bytes of the SHA-256 of its id (UTF-8),
 * read as an unsigned big-endian integer, are below {@value #PERCENT} modulo 100. About one conversation in ten of
 * {@code sgd-train} and of MultiWOZ {@code val}: tuned and trained on never, reported on always. In Python:
 * {@code int.from_bytes(hashlib.sha256(cid.encode()).digest()[:4], "big") % 100 < 10}.
 */
public final class HeldOutSlice {
    /** The share of conversations held out, in percent. */
    public static final int PERCENT = 10;

    private HeldOutSlice() {
    }

    public static boolean isHeldOut(String conversationId) {
        return bucket(conversationId) < PERCENT;
    }

    /** The conversation's bucket in [0, 100). */
    static int bucket(String conversationId) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(conversationId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        long first = ((digest[0] & 0xffL) << 24) | ((digest[1] & 0xffL) << 16) | ((digest[2] & 0xffL) << 8)
                | (digest[3] & 0xffL);
        return (int) (first % 100);
    }
}
