package io.wmstream.topology.processor;

import org.apache.kafka.common.header.Headers;

/**
 * One output of a batch, tagged with the arrival sequence of the event that caused it, so a batch's outputs are
 * forwarded in arrival order whatever waves and batch sizes produced them.
 */
record Emission(long sequence, String key, Output output, long timestampMs, Headers headers) {
}
