package io.wmstream.schemas.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The event a reply answers: its turn and eventId, each null when the event had none. */
@JsonPropertyOrder({"turn", "eventId"})
public record InReplyTo(Long turn, String eventId) {
}
