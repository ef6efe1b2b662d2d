package io.wmstream.schemas.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** What an input event asks for (DESIGN 4.2). */
public enum EventType {
    /** Someone said something: advance the memory, maybe reply. */
    UTTERANCE("utterance"),
    /** Close the conversation: final summary, memory deleted. */
    END("end"),
    /** Clear the memory, keep the conversation. */
    RESET("reset"),
    /** Erase everything held for the conversation. */
    FORGET("forget");

    private final String code;

    EventType(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    public static Optional<EventType> fromCode(String code) {
        return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
    }
}
