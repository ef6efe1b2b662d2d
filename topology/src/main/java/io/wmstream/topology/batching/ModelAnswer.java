package io.wmstream.topology.batching;

import io.wmstream.model.TurnResult;

/** The result of one request, with the model call that computed it. */
public record ModelAnswer(TurnResult result, ModelCall call) {
}
