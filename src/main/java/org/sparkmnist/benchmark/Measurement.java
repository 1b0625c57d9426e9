package org.sparkmnist.benchmark;

import java.util.List;

/**
 * One benchmarked configuration: each epoch's wall-clock seconds, the test accuracy it reached,
 * and the peak resident memory of its driver and executors (MiB; 0 for executors inside the driver).
 */
record Measurement(String name, long trainExamples, List<Double> epochSeconds, double testAccuracy,
                   long driverPeakMb, long executorPeakMb) {

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

    double examplesPerSecond() {
        return trainExamples / secondsPerEpoch();
    }
}
