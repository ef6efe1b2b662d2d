package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What went into a replay and what came out: lines and utterances in; replies, summaries and dead letters out. */
public final class TrafficCounts {
    private long lines;
    private long utterances;
    private long replies;
    private long summaries;
    private long finalSummaries;
    private long deadLetters;

    /** One piped line, an utterance or not. */
    void onLine(boolean utterance) {
        lines++;
        utterances += utterance ? 1 : 0;
    }

    void onReply() {
        replies++;
    }

    /** A summary of any kind; {@code isFinal} when its conversation ended. */
    void onSummary(boolean isFinal) {
        summaries++;
        finalSummaries += isFinal ? 1 : 0;
    }

    void onDeadLetter() {
        deadLetters++;
    }

    public long utterances() {
        return utterances;
    }

    public long replies() {
        return replies;
    }

    /** Puts {@code input} ({@code lines}, {@code utterances}) and {@code outputs} (the counts by kind). */
    public ObjectNode putInto(ObjectNode report) {
        ObjectNode input = report.putObject("input");
        input.put("lines", lines);
        input.put("utterances", utterances);
        ObjectNode outputs = report.putObject("outputs");
        outputs.put("replies", replies);
        outputs.put("summaries", summaries);
        outputs.put("finalSummaries", finalSummaries);
        outputs.put("deadLetters", deadLetters);
        return report;
    }
}
