package io.wmstream.app.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wmstream.schemas.json.CanonicalJson;
import java.util.ArrayList;
import java.util.List;

/**
 * Invented values over a replay ({@link InventedValues} checks one reply): the share of replies that state a
 * number or code no earlier turn holds, by kind, the placeholders, and the first such replies as examples.
 */
public final class InventedValueCounts {
    /** Invented values shown as examples in the report, the first ones in output order. */
    static final int EXAMPLES = 5;

    private long checked;
    private long notChecked;
    private long inventing;
    private long inventingNumbers;
    private long inventingCodes;
    private long values;
    private long placeholders;
    private long repliesWithPlaceholders;
    private final List<ObjectNode> examples = new ArrayList<>();

    /** Counts one reply's check; {@code reply} is its record value and {@code text} its text. */
    void add(InventedValues.Check check, JsonNode reply, String text) {
        checked++;
        placeholders += check.placeholders();
        repliesWithPlaceholders += check.placeholders() > 0 ? 1 : 0;
        if (!check.invents()) {
            return;
        }
        inventing++;
        inventingNumbers += check.inventsNumber() ? 1 : 0;
        inventingCodes += check.inventsCode() ? 1 : 0;
        values += check.invented().size();
        if (examples.size() < EXAMPLES) {
            ObjectNode example = CanonicalJson.mapper().createObjectNode();
            example.put("conversationId", reply.path("conversationId").asText());
            example.set("inReplyTo", reply.path("inReplyTo").path("turn"));
            example.put("reply", text);
            ArrayNode invented = example.putArray("invented");
            check.invented().forEach(invented::add);
            examples.add(example);
        }
    }

    /** A reply with nothing to check it against: its conversation is no longer held, or it answers no turn. */
    void addNotChecked() {
        notChecked++;
    }

    /**
     * Puts {@code signature}, {@code repliesChecked}, {@code repliesNotChecked}, {@code rate}, {@code numberRate},
     * {@code codeRate}, {@code values}, {@code placeholders}, {@code repliesWithPlaceholders} and {@code examples}
     * into {@code node} ({@code inventedValues} of the report).
     */
    public ObjectNode putInto(ObjectNode node) {
        node.put("signature", "tok:" + InventedValues.NAME + "|against:earlier-input-turns");
        node.put("repliesChecked", checked);
        node.put("repliesNotChecked", notChecked);
        node.put("rate", Rounding.ratio(inventing, checked));
        node.put("numberRate", Rounding.ratio(inventingNumbers, checked));
        node.put("codeRate", Rounding.ratio(inventingCodes, checked));
        node.put("values", values);
        node.put("placeholders", placeholders);
        node.put("repliesWithPlaceholders", repliesWithPlaceholders);
        ArrayNode shown = node.putArray("examples");
        examples.forEach(shown::add);
        return node;
    }
}
