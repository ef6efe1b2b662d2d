package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Measures a replay as it runs: holds each conversation's inputs until its final summary arrives, and hands every
 * input and output to the aggregate of each metric family, which owns its figures and their JSON: traffic counts,
 * fact recall of final summaries, the dialogue state, reply statistics, repeated 3-grams, request coverage, replies
 * against the log's own next turns, and invented values. {@link #toJson} puts their sections in the report's order;
 * {@link EvaluationTable} prints it.
 */
public final class Evaluation {
    /**
     * Most conversations whose inputs are held for scoring at once: a log that never ends its conversations must
     * not make the replay's memory grow with its length. The oldest is dropped (and counted) beyond it.
     */
    private static final int MAX_OPEN = 10_000;

    private final Map<String, Open> open = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Open> eldest) {
            if (size() > MAX_OPEN) {
                factRecall.onNotScoredTooManyOpen();
                return true;
            }
            return false;
        }
    };
    private final TrafficCounts traffic = new TrafficCounts();
    private final FactRecallScores factRecall = new FactRecallScores();
    private final DialogueStateScores dialogueState;
    private final ReplyStatistics replies = new ReplyStatistics();
    private final RepeatedNgrams repeatedNgrams = new RepeatedNgrams();
    private final RequestCoverage requestCoverage = new RequestCoverage();
    private final ReplyReferences references = new ReplyReferences();
    private final InventedValueCounts inventedValues = new InventedValueCounts();

    /** An evaluation whose dialogue-state figures use the training script's slot tables. */
    public Evaluation() {
        this(StateSlots.defaults());
    }

    /** An evaluation whose dialogue-state figures use {@code slots} (a bundle manifest's copy of the tables). */
    public Evaluation(StateSlots slots) {
        this.dialogueState = new DialogueStateScores(slots);
    }

    /** Inputs of a conversation whose final summary has not arrived yet. */
    private static final class Open {
        /** The gold dialogue state and requests of its user turns. */
        private final StateSlots.Dialogue dialogue;
        /** Per answered turn, the state and the requested types its reply carried (when it carried them). */
        private final Map<Long, Set<SlotValue>> replyStates = new HashMap<>();
        private final Map<Long, Set<String>> replyRequests = new HashMap<>();
        private final List<FactRecall.Utterance> utterances = new ArrayList<>();
        /** Per utterance: its turn (null when the event had none) and the domains its line names. */
        private final List<Long> turns = new ArrayList<>();
        private final List<List<String>> domains = new ArrayList<>();
        /** Per utterance, the runs a reply's values are looked up in ({@link InventedValues#runs}). */
        private final List<Set<String>> valueRuns = new ArrayList<>();
        /** Per utterance, the attributes a user turn requests ({@link RequestCoverage#requested}). */
        private final List<List<String>> requests = new ArrayList<>();
        private final ConversationFacts facts = new ConversationFacts();
        /** Replies, by the turn they answer, that came out before the log's next turn came in. */
        private final Map<Long, String> awaitingReference = new HashMap<>();

        Open(StateSlots.Dialogue dialogue) {
            this.dialogue = dialogue;
        }

        /** The index of the last utterance of {@code turn}, or -1. */
        int indexOf(Long turn) {
            for (int i = turns.size() - 1; i >= 0; i--) {
                if (turn.equals(turns.get(i))) {
                    return i;
                }
            }
            return -1;
        }

        /** All its utterances' text, each after a space: what gold values must occur in to count. */
        String text() {
            StringBuilder text = new StringBuilder();
            utterances.forEach(u -> text.append(' ').append(u.text()));
            return text.toString();
        }
    }

    /** One piped line; {@code event} is null when it is not a valid event, {@code json} when it is not JSON. */
    public void onInput(ConversationEvent event, JsonNode json) {
        boolean utterance = event != null && event.isUtterance();
        traffic.onLine(utterance);
        if (!utterance) {
            return;
        }
        Open conversation = open.computeIfAbsent(event.conversationId(), id -> new Open(dialogueState.dialogue()));
        List<String> domains = DomainLabels.of(json);
        int previous = conversation.utterances.size() - 1;
        if (previous >= 0 && conversation.turns.get(previous) != null) {
            String reply = conversation.awaitingReference.remove(conversation.turns.get(previous));
            if (reply != null) {
                scoreAgainstReference(conversation, previous, reply, event.speaker(), event.text(), domains);
            }
        }
        conversation.utterances.add(new FactRecall.Utterance(event.speaker(), event.text()));
        conversation.turns.add(event.turn());
        conversation.domains.add(domains);
        conversation.valueRuns.add(InventedValues.runs(event.text()));
        // A system turn's request asks the user; only the user's requests are the reply's to answer.
        conversation.requests.add("user".equalsIgnoreCase(event.speaker().trim()) ? RequestCoverage.requested(json)
                : List.of());
        conversation.facts.onLine(json);
        conversation.dialogue.onUtterance(event.turn(), event.speaker(), json);
    }

    /** An output record the topology dead-lettered. */
    public void onDeadLetter() {
        traffic.onDeadLetter();
    }

    /** A reply or summary record's value. */
    public void onOutput(JsonNode value) {
        if (value == null) {
            return;
        }
        if (value.has("kind")) {
            boolean isFinal = "final".equals(value.path("kind").asText());
            traffic.onSummary(isFinal);
            if (isFinal) {
                onFinalSummary(value);
            }
        } else if (value.has("inReplyTo")) {
            onReply(value);
        }
    }

    private void onFinalSummary(JsonNode summary) {
        Open conversation = open.remove(summary.path("conversationId").asText());
        if (conversation == null) {
            return;
        }
        dialogueState.add(conversation.dialogue, conversation.replyStates, conversation.replyRequests,
                conversation.text(), summary);
        List<FactRecall.Fact> facts = conversation.facts.facts(conversation.utterances);
        if (!facts.isEmpty()) {
            factRecall.add(facts, conversation.facts.source(), summary.path("text").asText(""),
                    conversation.utterances);
        }
    }

    private void onReply(JsonNode reply) {
        traffic.onReply();
        String text = reply.path("text").asText("");
        replies.add(text, reply.path("tokens").asLong(0));
        repeatedNgrams.add(text);
        Open conversation = open.get(reply.path("conversationId").asText());
        JsonNode turn = reply.path("inReplyTo").path("turn");
        if (conversation != null && turn.canConvertToLong()) {
            SlotValue.stateOf(reply).ifPresent(state -> conversation.replyStates.put(turn.asLong(), state));
            RequestAccuracy.requestedOf(reply).ifPresent(types -> conversation.replyRequests.put(turn.asLong(),
                    types));
        }
        int answered = conversation == null || !turn.canConvertToLong() ? -1 : conversation.indexOf(turn.asLong());
        if (answered < 0) {
            // Its conversation is no longer held, or the event had no turn: nothing to check it against.
            inventedValues.addNotChecked();
            return;
        }
        // Values of the reply that no turn up to the one it answers holds.
        inventedValues.add(InventedValues.check(text, conversation.valueRuns.subList(0, answered + 1)), reply, text);
        requestCoverage.add(conversation.requests.get(answered), reply);
        if (answered + 1 < conversation.utterances.size()) {
            FactRecall.Utterance next = conversation.utterances.get(answered + 1);
            scoreAgainstReference(conversation, answered, text, next.speaker(), next.text(),
                    conversation.domains.get(answered + 1));
        } else {
            conversation.awaitingReference.put(turn.asLong(), text);
        }
    }

    /**
     * Scores the reply to utterance {@code answered} against the log's next turn when the other side said it (a
     * user turn followed by another user turn has no reference), overall and in each domain the next turn names
     * (else those the answered turn names).
     */
    private void scoreAgainstReference(Open conversation, int answered, String reply, String nextSpeaker,
            String nextText, List<String> nextDomains) {
        if (sameSpeaker(conversation.utterances.get(answered).speaker(), nextSpeaker)) {
            return;
        }
        references.add(reply, nextText, nextDomains.isEmpty() ? conversation.domains.get(answered) : nextDomains);
    }

    private static boolean sameSpeaker(String a, String b) {
        return a.trim().toLowerCase(Locale.ROOT).equals(b.trim().toLowerCase(Locale.ROOT));
    }

    public long utterances() {
        return traffic.utterances();
    }

    /**
     * The report as JSON, each metric family's section in the report's order: {@code elapsedNanos} and
     * {@code modelNanos} are the replay's wall and model time. Perplexity is not measured here:
     * {@link PerplexityFigures#putInto} replaces its section where a probe measured it.
     */
    public ObjectNode toJson(long elapsedNanos, long modelNanos) {
        ObjectNode report = CanonicalJson.mapper().createObjectNode();
        traffic.putInto(report);
        PerplexityFigures.putNotMeasured(report.putObject("perplexity"));
        factRecall.putInto(report.putObject("factRecall"));
        factRecall.putUserStatedInto(report.putObject("factRecallUserStated"));
        dialogueState.putInto(report);
        replies.putInto(report.putObject("replies"));
        repeatedNgrams.putInto(report.putObject("repeatedTrigrams"));
        requestCoverage.putInto(report.putObject("requestCoverage"));
        references.putInto(report.putObject("replyReferences"), traffic.replies());
        inventedValues.putInto(report.putObject("inventedValues"));
        factRecall.putHistogramInto(report.putObject("factRecallHistogram"));
        replies.putHistogramInto(report.putObject("replyWordsHistogram"));
        new Throughput(traffic.utterances(), elapsedNanos, modelNanos).putInto(report.putObject("throughput"));
        return report;
    }
}
