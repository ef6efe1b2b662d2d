package io.wmstream.model;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the model runs ({@code wm.model.device}): {@code auto} (CUDA when it works, else CPU), {@code cpu}, or a
 * strict {@code cuda} / {@code cuda:N} that fails at start when CUDA cannot be had.
 */
public record Device(Kind kind, int cudaIndex) {
    private static final Pattern SYNTAX = Pattern.compile("auto|cpu|cuda(?::(\\d{1,3}))?");

    /** The three kinds of device choice. */
    public enum Kind {
        AUTO, CPU, CUDA
    }

    public static final Device AUTO = new Device(Kind.AUTO, 0);
    public static final Device CPU = new Device(Kind.CPU, 0);

    public Device {
        Objects.requireNonNull(kind, "kind");
        if (cudaIndex < 0) {
            throw new IllegalArgumentException("CUDA device index must be >= 0, got " + cudaIndex);
        }
        if (kind != Kind.CUDA && cudaIndex != 0) {
            throw new IllegalArgumentException("A device index is only meaningful for cuda, got " + kind);
        }
    }

    /** A strict CUDA device. */
    public static Device cuda(int index) {
        return new Device(Kind.CUDA, index);
    }

    /** Parses {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N} (case-insensitive, trimmed). */
    public static Device parse(String text) {
        Objects.requireNonNull(text, "device");
        String value = text.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = SYNTAX.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Unknown model device '" + text
                    + "': expected auto, cpu, cuda or cuda:N");
        }
        if (value.equals("auto")) {
            return AUTO;
        }
        if (value.equals("cpu")) {
            return CPU;
        }
        return cuda(matcher.group(1) == null ? 0 : Integer.parseInt(matcher.group(1)));
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case CUDA -> "cuda:" + cudaIndex;
        };
    }
}
