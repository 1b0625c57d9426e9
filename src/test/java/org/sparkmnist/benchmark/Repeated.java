package org.sparkmnist.benchmark;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One configuration of the comparison measured once per round: what the table reports of it, each
 * figure a {@link Spread} over the rounds.
 */
record Repeated(String name, List<Measurement> runs) {

    Repeated {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException(name + ": no rounds");
        }
        runs = List.copyOf(runs);
    }

    /** Each round's seconds per epoch (the median of its epochs 2..N), over the rounds. */
    Spread epochSeconds() {
        return Spread.of(runs.stream().map(Measurement::secondsPerEpoch).toList());
    }

    Spread examplesPerSecond() {
        return Spread.of(runs.stream().map(Measurement::examplesPerSecond).toList());
    }

    Spread testAccuracy() {
        return Spread.of(runs.stream().map(Measurement::testAccuracy).toList());
    }

    long driverPeakMb() {
        return runs.stream().mapToLong(Measurement::driverPeakMb).max().orElseThrow();
    }

    long executorPeakMb() {
        return runs.stream().mapToLong(Measurement::executorPeakMb).max().orElseThrow();
    }

    /** The rounds whose validation accuracy reached {@code target} in some epoch. */
    List<Measurement.Reached> reached(double target) {
        return runs.stream().map(m -> m.reaching(target)).flatMap(Optional::stream).toList();
    }

    /**
     * The median over the rounds of the time to {@code target}, a round that never got there counting
     * as slower than every round that did; empty when half the rounds or more never got there, so that
     * no median rests on the rounds that happened to.
     */
    Optional<Double> medianSecondsTo(double target) {
        double median = Spread.of(runs.stream()
                .map(m -> m.reaching(target).map(Measurement.Reached::seconds).orElse(Double.POSITIVE_INFINITY)).toList()).median();
        return Double.isFinite(median) ? Optional.of(median) : Optional.empty();
    }

    /** The round whose epoch time is the median (the faster of the middle two for an even count): the one a single-round table shows. */
    Measurement medianRun() {
        List<Measurement> sorted = runs.stream().sorted(Comparator.comparingDouble(Measurement::secondsPerEpoch)).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
