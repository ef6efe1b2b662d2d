package io.wmstream.topology.batching;

/**
 * How a task's model requests met the results its thread's calls prepared from their predictions: {@code found}
 * requests were answered by one, {@code computedByTask} had none and were computed on the stream thread, and
 * {@code unused} prepared results matched no request (predicted differently from the run, or made useless by a
 * retry).
 */
public record PredictionTally(int found, int computedByTask, int unused) {
}
