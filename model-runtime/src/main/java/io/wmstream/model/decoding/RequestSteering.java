package io.wmstream.model.decoding;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Steers a reply towards what the user's turn asked for: a model that reads the dialogue state scores, per user
 * turn, each request type (a placeholder type: "phone", "address", "reference"...). Each type scored above the
 * threshold is a target of the reply, and while the reply does not hold the type's placeholder ("[phone]"), the
 * boost (growing over the first {@link #RAMP_TOKENS} tokens) goes to the word that names the type ("phone") until
 * the reply holds it, then, from {@link #CUE_GAP} tokens after it, to the placeholder; the end of the reply loses as
 * much meanwhile. The model still writes the sentence: a boost of a few logits moves a token up among those the
 * model already finds likely, and naming the attribute first lets it introduce the value as people do ("The phone
 * number is [phone].") instead of appending a bare placeholder ("[address] [postcode]."). With a beam width above 1
 * the search ranks finished replies by the model's own scores plus {@link #targetBonus()} per target held.
 * Immutable and thread-safe.
 */
public final class RequestSteering {
    private static final int[] NONE = new int[0];
    /** Tokens over which the boost grows from 0 to its full value. */
    static final int RAMP_TOKENS = 3;
    /**
     * What a finished steered reply gains per target it holds, in mean log-probability per token: enough to prefer
     * a reply that answers over one the model finds slightly more likely, too little to prefer a list of
     * placeholders (0.2 and 0.5 ranked the same on MultiWOZ's training slice).
     */
    static final double TARGET_BONUS = 0.2;

    private final int[] typeTokens;
    /** Per type, the word that names it ("phone" for "[phone]"), or -1. */
    private final int[] cueTokens;
    private final int scoreOffset;
    private final double boost;
    private final double threshold;
    private final int stopToken;

    private RequestSteering(int[] typeTokens, int[] cueTokens, int scoreOffset, double boost, double threshold,
            int stopToken) {
        this.typeTokens = typeTokens;
        this.cueTokens = cueTokens;
        this.stopToken = stopToken;
        this.scoreOffset = scoreOffset;
        this.boost = boost;
        this.threshold = threshold;
    }

    /** Steers nothing. */
    public static RequestSteering off() {
        return new RequestSteering(NONE, NONE, 0, 0.0, 0.0, 0);
    }

    /**
     * @param requestTypes the model's request types, in the order of their scores
     * @param scoreOffset where the first request score is in a turn's update scores
     * @param placeholderId the token id of a type's placeholder ("[phone]" for "phone"), or a negative number when
     *     the vocabulary has none (that type is never steered to)
     * @param boost added to a target placeholder's logit (0: steer nothing)
     * @param threshold the request score above which a type is a target
     * @param stopToken the token that ends a reply
     */
    public static RequestSteering of(List<String> requestTypes, int scoreOffset, ToIntFunction<String> placeholderId,
            double boost, double threshold, int stopToken) {
        if (boost <= 0.0) {
            return off();
        }
        int[] tokens = new int[requestTypes.size()];
        int[] cues = new int[requestTypes.size()];
        for (int r = 0; r < tokens.length; r++) {
            tokens[r] = placeholderId.applyAsInt("[" + requestTypes.get(r) + "]");
            cues[r] = placeholderId.applyAsInt(requestTypes.get(r));
        }
        return new RequestSteering(tokens, cues, scoreOffset, boost, threshold, stopToken);
    }

    /** Whether any reply is ever steered. */
    public boolean active() {
        return typeTokens.length > 0;
    }

    /** The placeholders a reply to a turn with these update scores is steered to, in request-type order. */
    public int[] targets(float[] updateScores) {
        if (!active() || updateScores == null) {
            return NONE;
        }
        int[] found = new int[typeTokens.length];
        int count = 0;
        for (int r = 0; r < typeTokens.length; r++) {
            if (typeTokens[r] >= 0 && updateScores[scoreOffset + r] > threshold) {
                found[count++] = typeTokens[r];
            }
        }
        return count == 0 ? NONE : Arrays.copyOf(found, count);
    }

    /**
     * Adds the boost to the logits (the row starting at {@code base}) for each target the reply's first
     * {@code length} tokens do not hold yet: to the word that names the target while the reply lacks it ("phone"),
     * then to the placeholder; and holds back the end of the reply as much while any target is missing.
     */
    public void apply(FloatBuffer logits, int base, int[] targets, int[] reply, int length) {
        boolean missing = false;
        double added = boost * ramp(length);
        for (int target : targets) {
            if (!holds(reply, length, target)) {
                missing = true;
                int token = boosted(target, reply, length);
                if (token >= 0) {
                    logits.put(base + token, (float) (logits.get(base + token) + added));
                }
            }
        }
        if (missing) {
            // Nor does it end before it gives what was asked, unless the model is that much surer it should.
            int at = base + stopToken;
            logits.put(at, (float) (logits.get(at) - boost));
        }
    }

    /** What {@link #apply} added to {@code token}'s logit for a reply of these first {@code length} tokens. */
    public double adjustment(int token, int[] targets, int[] reply, int length) {
        boolean missing = false;
        double added = 0.0;
        for (int target : targets) {
            if (!holds(reply, length, target)) {
                missing = true;
                if (boosted(target, reply, length) == token) {
                    added += boost * ramp(length);
                }
            }
        }
        return missing && token == stopToken ? added - boost : added;
    }

    /**
     * A reply that opens with the value reads as a list ("[phone]. [postcode]."): the boost grows over the first
     * tokens, where the model chooses how the sentence goes.
     */
    private static double ramp(int length) {
        return Math.min(1.0, (double) length / RAMP_TOKENS);
    }

    /**
     * The token a missing target's boost goes to: the word naming it while the reply lacks that word, so that the
     * model introduces the value as people do ("the postcode is [postcode]") instead of appending a bare
     * placeholder; then the placeholder itself.
     */
    private int boosted(int target, int[] reply, int length) {
        for (int r = 0; r < typeTokens.length; r++) {
            if (typeTokens[r] == target) {
                int cue = cueTokens[r];
                if (cue < 0) {
                    return target;
                }
                int named = lastIndexOf(reply, length, cue);
                if (named < 0) {
                    return cue;
                }
                return length - named > CUE_GAP ? target : -1;
            }
        }
        return target;
    }

    /** The bonus a finished steered reply gets per target it holds, in mean log-probability per token. */
    public double targetBonus() {
        return TARGET_BONUS;
    }

    /**
     * Tokens after the naming word before its placeholder is boosted: "the postcode is [postcode]" needs none, and
     * a boost right after the word puts the value before its verb ("the phone number [phone] is").
     */
    static final int CUE_GAP = 2;

    private static int lastIndexOf(int[] reply, int length, int token) {
        for (int i = length - 1; i >= 0; i--) {
            if (reply[i] == token) {
                return i;
            }
        }
        return -1;
    }

    private static boolean holds(int[] reply, int length, int token) {
        for (int i = 0; i < length; i++) {
            if (reply[i] == token) {
                return true;
            }
        }
        return false;
    }
}
