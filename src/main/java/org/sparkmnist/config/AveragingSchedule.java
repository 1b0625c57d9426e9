package org.sparkmnist.config;

import java.util.ArrayList;
import java.util.List;

/**
 * How many minibatches each worker fits between two parameter-averaging rounds, epoch by epoch: the
 * i-th entry holds for epoch i, the last one for every epoch after. Averaging often while the
 * learning rate is high keeps the workers' copies close; once it has shrunk they drift apart slowly,
 * and fewer rounds (each a Spark job that moves parameters and updater state both ways) cost less
 * accuracy than they save time ("post-local SGD"; docs/BENCHMARKS.md measures it).
 */
public record AveragingSchedule(List<Integer> perEpoch) {

    public AveragingSchedule {
        if (perEpoch.isEmpty() || perEpoch.stream().anyMatch(f -> f == null || f < 1)) {
            throw new IllegalArgumentException("an averaging schedule needs one or more frequencies >= 1, got " + perEpoch);
        }
        perEpoch = List.copyOf(perEpoch);
    }

    /** The same frequency in every epoch. */
    public static AveragingSchedule every(int minibatches) {
        return new AveragingSchedule(List.of(minibatches));
    }

    /** Minibatches per worker between rounds in {@code epoch} (1-based). */
    public int at(int epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epochs count from 1, got " + epoch);
        }
        return perEpoch.get(Math.min(epoch, perEpoch.size()) - 1);
    }

    public boolean isConstant() {
        return perEpoch.stream().distinct().count() == 1;
    }

    /** For logs: "every 20 minibatches", or "every 20 minibatches in epochs 1-3, then every 80". */
    public String describe() {
        return describe("minibatches");
    }

    /** {@link #describe()} counting in {@code unit}: ParallelWrapper averages every so many rounds, not minibatches. */
    public String describe(String unit) {
        List<String> parts = new ArrayList<>();
        int start = 1;
        for (int epoch = 1; epoch <= perEpoch.size(); epoch++) {
            boolean lastOfRun = epoch == perEpoch.size() || !perEpoch.get(epoch).equals(perEpoch.get(epoch - 1));
            if (!lastOfRun) {
                continue;
            }
            int frequency = perEpoch.get(epoch - 1);
            if (epoch == perEpoch.size()) {
                parts.add(parts.isEmpty() ? "every " + frequency + " " + unit : "then every " + frequency);
            } else {
                String epochs = start == epoch ? "epoch " + start : "epochs " + start + "-" + epoch;
                parts.add("every " + frequency + (parts.isEmpty() ? " " + unit : "") + " in " + epochs);
            }
            start = epoch + 1;
        }
        return String.join(", ", parts);
    }
}
