package io.wmstream.schemas.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Writes a double as a plain decimal with {@value #SCALE} places. Double.toString changed between JDK releases;
 * writing the exact binary value rounded to a fixed scale gives the same bytes on every JVM.
 */
public final class FixedDecimalSerializer extends StdSerializer<Double> {
    /** Decimal places kept. */
    public static final int SCALE = 4;

    public FixedDecimalSerializer() {
        super(Double.class);
    }

    /** Rounds {@code value} to {@value #SCALE} decimal places, half-even, from its exact binary value. */
    public static double round(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a finite number: " + value);
        }
        return new BigDecimal(value).setScale(SCALE, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** The text written for {@code value}. */
    public static String format(double value) {
        return new BigDecimal(round(value)).setScale(SCALE, RoundingMode.HALF_EVEN).toPlainString();
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeNumber(format(value));
    }
}
