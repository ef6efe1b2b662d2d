package io.wmstream.app.bench;

import java.util.Locale;

/**
 * One line of the pipeline's floors and goals: a measured value against a floor that must hold and a goal to aim for.
 *
 * @param atMost true when smaller is better (latency, loss)
 */
record Goal(String name, double value, double floor, double goal, boolean atMost, String unit) {

    boolean floorHolds() {
        return atMost ? value <= floor : value >= floor;
    }

    boolean goalMet() {
        return atMost ? value <= goal : value >= goal;
    }

    String verdict() {
        if (Double.isNaN(value)) {
            return "MISS";
        }
        return floorHolds() ? "PASS" : "MISS";
    }

    String format(double number) {
        return switch (unit) {
            case "x" -> String.format(Locale.ROOT, "%.2fx", number);
            case "ms" -> String.format(Locale.ROOT, "%.0f ms", number);
            case "%" -> String.format(Locale.ROOT, "%.1f%%", number * 100);
            default -> String.format(Locale.ROOT, "%.2f", number);
        };
    }
}
