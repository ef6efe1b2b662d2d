package io.wmstream.topology.batching;

/**
 * One call of the model as a task sees it: how many requests it held (the task's own and other tasks') and its
 * wall-clock time in milliseconds. Facts of the run, for metrics and headers, never for record values.
 */
public record ModelCall(int rows, double wallMs) {
}
