package io.wmstream.app.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.event.ConversationEvent;
import io.wmstream.schemas.event.EventType;
import io.wmstream.schemas.json.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code replay --export-mwzeval}: a MultiWOZ replay's replies and dialogue states as the input of the community's
 * MultiWOZ end-to-end evaluator (mwzeval, Tomiinek/MultiWOZ_Evaluation), so its Inform, Success and BLEU can be
 * set beside other systems' figures: a JSON object keyed by dialogue id in lower case without {@code .json}
 * ({@code pmul4398}), each an array with one {@link MwzevalTurn} per system turn, in order.
 *
 * <p>A MultiWOZ dialogue alternates user and system turns, starting with the user, so its system turns are the
 * replies to its user turns (the speakers of {@code wm.reply.roles}): a user turn the replay did not answer (a dead
 * letter) keeps its place with an empty response and the state before it, so the evaluator's references stay
 * aligned. A conversation whose id is not a MultiWOZ dialogue id is left out and counted: mwzeval knows only
 * MultiWOZ's dialogues.
 */
final class MwzevalExport {
    /** MultiWOZ's dialogue ids: SNG0073, PMUL4398, MUL0012, SSNG0348, WOZ20000, with or without ".json". */
    private static final Pattern MULTIWOZ_ID = Pattern.compile("(?i)(?:sng|ssng|mul|pmul|woz)\\d+(?:\\.json)?");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\[(value_[a-z_]+)]");

    private final List<String> replyRoles;
    /** Each MultiWOZ dialogue's system turns by key, in the order of the user turns they answer. */
    private final Map<String, Dialogue> dialogues = new TreeMap<>();
    private final Map<String, Long> placeholders = new TreeMap<>();
    /** Whether each conversation seen is a MultiWOZ dialogue. */
    private final Map<String, Boolean> seen = new HashMap<>();
    private long leftOut;
    private String firstLeftOut;

    /** One dialogue's system turns; a user turn without a number is its own entry. */
    private static final class Dialogue {
        private final Map<Object, ObjectNode> turns = new LinkedHashMap<>();
        private int unnumbered;
    }

    /**
     * What was written: dialogues, turns, user turns without a reply, each placeholder name's count, and the
     * conversations left out (with the first one's id, null when none).
     */
    record Written(int dialogues, long turns, long unanswered, Map<String, Long> placeholders, long leftOut,
            String firstLeftOut) {
    }

    /** An export whose user turns are those of the speakers {@code replyRoles} (lower case, as configured). */
    MwzevalExport(List<String> replyRoles) {
        this.replyRoles = List.copyOf(replyRoles);
    }

    /** The dialogue id as mwzeval keys it ({@code pmul4398}), or null when the id is not MultiWOZ's. */
    static String dialogueKey(String conversationId) {
        if (!MULTIWOZ_ID.matcher(conversationId).matches()) {
            return null;
        }
        String key = conversationId.toLowerCase(Locale.ROOT);
        return key.endsWith(".json") ? key.substring(0, key.length() - ".json".length()) : key;
    }

    /** An input event, in log order: a user turn opens a system turn. */
    void onInput(ConversationEvent event) {
        if (event == null || !seen.computeIfAbsent(event.conversationId(), this::isMultiwoz)) {
            return;
        }
        if (event.type() != EventType.UTTERANCE
                || !replyRoles.contains(event.speaker().trim().toLowerCase(Locale.ROOT))) {
            return;
        }
        Dialogue dialogue = dialogues.computeIfAbsent(dialogueKey(event.conversationId()), k -> new Dialogue());
        Object turn = event.turn() != null ? event.turn() : "unnumbered-" + dialogue.unnumbered++;
        // A repeated turn is a duplicate the topology skips: it is no new system turn.
        dialogue.turns.putIfAbsent(turn, null);
    }

    private Boolean isMultiwoz(String conversationId) {
        boolean multiwoz = dialogueKey(conversationId) != null;
        if (!multiwoz && leftOut++ == 0) {
            firstLeftOut = conversationId;
        }
        return multiwoz;
    }

    /** A reply (a Reply record's JSON): the system turn of the user turn it answers. */
    void onReply(JsonNode reply) {
        String key = dialogueKey(reply.path("conversationId").asText());
        Dialogue dialogue = key == null ? null : dialogues.get(key);
        if (dialogue == null) {
            return;
        }
        JsonNode answered = reply.path("inReplyTo").path("turn");
        Object turn = answered.isIntegralNumber() ? answered.asLong() : firstUnanswered(dialogue);
        if (turn != null && dialogue.turns.containsKey(turn) && dialogue.turns.get(turn) == null) {
            dialogue.turns.put(turn, MwzevalTurn.of(reply));
        }
    }

    private static Object firstUnanswered(Dialogue dialogue) {
        return dialogue.turns.entrySet().stream()
                .filter(e -> e.getValue() == null && e.getKey() instanceof String).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    /** Writes the evaluator's input to {@code file}; says what it holds. */
    Written write(Path file) throws IOException {
        ObjectNode root = CanonicalJson.mapper().createObjectNode();
        long turns = 0;
        long unanswered = 0;
        for (Map.Entry<String, Dialogue> dialogue : dialogues.entrySet()) {
            ArrayNode entries = root.putArray(dialogue.getKey());
            JsonNode state = null;
            for (ObjectNode turn : dialogue.getValue().turns.values()) {
                ObjectNode entry = turn;
                if (entry == null) {
                    unanswered++;
                    entry = CanonicalJson.mapper().createObjectNode().put("response", "");
                    if (state != null) {
                        entry.set("state", state.deepCopy());
                    }
                } else {
                    state = entry.get("state");
                    countPlaceholders(entry.path("response").asText());
                }
                entries.add(entry);
                turns++;
            }
        }
        Files.write(file, CanonicalJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        return new Written(dialogues.size(), turns, unanswered, Collections.unmodifiableMap(new TreeMap<>(
                placeholders)), leftOut, firstLeftOut);
    }

    private void countPlaceholders(String response) {
        var names = PLACEHOLDER.matcher(response);
        while (names.find()) {
            placeholders.merge(names.group(1), 1L, Long::sum);
        }
    }
}
