package io.wmstream.model.inference;

/**
 * What one raw call of the step graph returned: {@code logits} [B,V] and {@code state} [L,B,H], row-major.
 */
public record StepOutput(int batch, float[] logits, float[] state) {
}
