package io.wmstream.model.inference;

/**
 * What one raw call of the step graph returned: {@code logits} [B,V], {@code state} [L,B,H] and the tagger's
 * scores {@code tags} [B,T,K] (empty without a tagger), row-major.
 */
public record StepOutput(int batch, float[] logits, float[] state, float[] tags) {
}
