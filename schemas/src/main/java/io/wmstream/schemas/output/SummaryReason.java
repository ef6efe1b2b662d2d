package io.wmstream.schemas.output;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Why a summary was emitted. */
public enum SummaryReason {
    EVERY_N_TURNS("every-n-turns"),
    END("end"),
    IDLE("idle"),
    FORGET("forget");

    private final String code;

    SummaryReason(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    @JsonCreator
    public static SummaryReason fromCode(String code) {
        return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown summary reason: " + code));
    }
}
