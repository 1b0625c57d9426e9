package org.sparkmnist.benchmark;

import java.util.Collection;
import java.util.Locale;

/**
 * One figure over a benchmark's rounds: the median, which the tables and ratios use because one
 * slow round on a shared machine cannot move it far, and the smallest and largest, which show how
 * far the rounds spread.
 */
record Spread(double median, double min, double max) {

    /** The median (the mean of the middle two for an even count), min and max of {@code values}; infinities sort last. */
    static Spread of(Collection<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new Spread(median, sorted[0], sorted[sorted.length - 1]);
    }

    /** "1.03 (0.98-1.10)" at {@code decimals} places; the bracket only when the rounds differ at that precision. */
    String format(int decimals) {
        return format(decimals, "");
    }

    /** As {@link #format(int)}, {@code unit} after the median: "98.23% (98.10-98.30)". */
    String format(int decimals, String unit) {
        String number = "%." + decimals + "f";
        String median = String.format(Locale.ROOT, number, this.median) + unit;
        String min = String.format(Locale.ROOT, number, this.min);
        String max = String.format(Locale.ROOT, number, this.max);
        return min.equals(max) ? median : median + " (" + min + "-" + max + ")";
    }

    /** Every figure times {@code factor}, as for a fraction shown in percent. */
    Spread times(double factor) {
        return new Spread(factor * median, factor * min, factor * max);
    }
}
