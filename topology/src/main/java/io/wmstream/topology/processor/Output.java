package io.wmstream.topology.processor;

import io.wmstream.schemas.output.Reply;
import io.wmstream.schemas.output.Summary;

/** What the working-memory processor emits; the topology routes each kind to its topic. */
public sealed interface Output permits Output.ReplyOut, Output.SummaryOut, Output.DeadLetterOut {

    /** A reply for {@code conversation-replies}. */
    record ReplyOut(Reply reply) implements Output {
    }

    /** A summary for {@code conversation-summaries}. */
    record SummaryOut(Summary summary) implements Output {
    }

    /** An event that could not be processed: its original bytes, for {@code conversation-dead-letters}. */
    record DeadLetterOut(byte[] key, byte[] value) implements Output {
    }
}
