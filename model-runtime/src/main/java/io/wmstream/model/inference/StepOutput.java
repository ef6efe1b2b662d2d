package io.wmstream.model.inference;

/**
 * What one raw call of the step graph returned: {@code logits} [B,V], {@code state} [L,B,H], the tagger's scores
 * {@code tags} [B,T,K] (empty without a tagger), and the state heads' {@code slots} [B,T,S+1] and {@code updates}
 * [B,2S+R] (empty without state heads), row-major.
 */
public record StepOutput(int batch, float[] logits, float[] state, float[] tags, float[] slots, float[] updates) {

    /** An output without state heads. */
    public StepOutput(int batch, float[] logits, float[] state, float[] tags) {
        this(batch, logits, state, tags, new float[0], new float[0]);
    }
}
