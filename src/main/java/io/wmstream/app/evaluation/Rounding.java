package io.wmstream.app.evaluation;

/** How the report rounds its figures: four places, and a ratio of nothing is 0. */
final class Rounding {
    private Rounding() {
    }

    static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    /** {@code numerator / denominator} rounded, or 0 when the denominator is. */
    static double ratio(double numerator, double denominator) {
        return denominator == 0 ? 0 : round(numerator / denominator);
    }
}
