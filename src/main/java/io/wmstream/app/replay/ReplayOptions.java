package io.wmstream.app.replay;

import java.nio.file.Path;

/**
 * What a replay does beyond piping the log: the lines it keeps, whether it ends each conversation, where its
 * report goes ({@code reportDir}, null: none) and whether it measures perplexity; {@code memories} is null when
 * final memories are not written, {@code mwzeval} when the evaluator's input is not.
 */
record ReplayOptions(LineSelection selection, boolean endEachConversation, Path reportDir, boolean perplexity,
        Path memories, Path mwzeval) {
    /** The options of one of two models' replays: its memories and export go to their own files. */
    ReplayOptions tagged(String tag) {
        return new ReplayOptions(selection, endEachConversation, reportDir, perplexity,
                memories == null ? null : sibling(memories, tag), mwzeval == null ? null : sibling(mwzeval, tag));
    }

    /** The options of the replay without memory: no perplexity (measured in the first), its own files. */
    ReplayOptions withoutMemory() {
        return new ReplayOptions(selection, endEachConversation, reportDir, false,
                memories == null ? null : sibling(memories, "ablated"),
                mwzeval == null ? null : sibling(mwzeval, "ablated"));
    }

    /** {@code out.jsonl} with {@code tag}: {@code out.a.jsonl}. */
    static Path sibling(Path output, String tag) {
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String renamed = dot > 0 ? name.substring(0, dot) + "." + tag + name.substring(dot) : name + "." + tag;
        return output.resolveSibling(renamed);
    }
}
