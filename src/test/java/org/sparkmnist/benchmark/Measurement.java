package org.sparkmnist.benchmark;

import java.util.List;
import java.util.Optional;

/**
 * One benchmarked configuration: each epoch's wall-clock seconds (training plus validation) and
 * validation accuracy, the test accuracy it reached, and the peak resident memory of its driver (or
 * its only process) and executors (MiB; 0 for executors inside the driver).
 */
record Measurement(String name, long trainExamples, List<Double> epochSeconds, List<Double> validationAccuracy,
                   double testAccuracy, long driverPeakMb, long executorPeakMb) {

    Measurement {
        epochSeconds = List.copyOf(epochSeconds);
        validationAccuracy = List.copyOf(validationAccuracy);
        if (epochSeconds.isEmpty() || validationAccuracy.size() != epochSeconds.size()) {
            throw new IllegalArgumentException(name + ": " + epochSeconds.size() + " epoch times but " + validationAccuracy.size()
                    + " validation accuracies");
        }
    }

    /**
     * The median epoch, leaving out the first: it pays for JIT compilation, native library loading
     * and Spark's first jobs, which a long training run amortises.
     */
    double secondsPerEpoch() {
        List<Double> steady = epochSeconds.size() > 1 ? epochSeconds.subList(1, epochSeconds.size()) : epochSeconds;
        double[] sorted = steady.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** The same measurement under another row name. */
    Measurement named(String other) {
        return new Measurement(other, trainExamples, epochSeconds, validationAccuracy, testAccuracy, driverPeakMb, executorPeakMb);
    }

    double examplesPerSecond() {
        return trainExamples / secondsPerEpoch();
    }

    /** The epoch in which a run first reached a validation accuracy, and the seconds from the start of training to its end. */
    record Reached(int epoch, double seconds) {
    }

    /**
     * When validation accuracy first reached {@code target}: the end of that epoch, counted from the
     * start of training, first epoch included (a user waits for it too). Epochs run back to back, so
     * this is the sum of the epoch times up to and including it. Empty when no epoch got there.
     */
    Optional<Reached> reaching(double target) {
        double elapsed = 0;
        for (int i = 0; i < epochSeconds.size(); i++) {
            elapsed += epochSeconds.get(i);
            if (validationAccuracy.get(i) >= target) {
                return Optional.of(new Reached(i + 1, elapsed));
            }
        }
        return Optional.empty();
    }
}
