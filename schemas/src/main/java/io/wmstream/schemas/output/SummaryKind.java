package io.wmstream.schemas.output;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What a summary is: rolling (periodic), final (conversation closed) or forgotten (an erase acknowledgement). */
public enum SummaryKind {
    ROLLING("rolling"),
    FINAL("final"),
    FORGOTTEN("forgotten");

    private final String code;

    SummaryKind(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    @JsonCreator
    public static SummaryKind fromCode(String code) {
        return Arrays.stream(values()).filter(k -> k.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown summary kind: " + code));
    }
}
