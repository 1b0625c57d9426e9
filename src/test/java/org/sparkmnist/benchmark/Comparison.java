package org.sparkmnist.benchmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The main table's rows, measured in one run on the same split and minibatch size, each over the
 * same rounds: the single-machine DL4J alternatives, the Spark job in local mode and on a standalone
 * cluster, and the PyTorch reference; with the lines that say how the alternatives were set up.
 * Every ratio is of medians over the rounds.
 */
record Comparison(List<Repeated> singleJvm, Repeated local, Optional<Repeated> cluster, Optional<Repeated> pytorch,
                  List<String> notes) {

    Comparison {
        if (singleJvm.isEmpty()) {
            throw new IllegalArgumentException("no single-JVM DL4J measurement");
        }
        singleJvm = List.copyOf(singleJvm);
        notes = List.copyOf(notes);
    }

    /** Table order: single JVM, local mode, cluster, PyTorch; also the order of the first round. */
    List<Repeated> rows() {
        List<Repeated> rows = new ArrayList<>(singleJvm);
        rows.add(local);
        cluster.ifPresent(rows::add);
        pytorch.ifPresent(rows::add);
        return rows;
    }

    /** What distribution is measured against: the single-JVM DL4J configuration with the smaller median epoch. */
    Repeated bestSingleJvm() {
        return singleJvm.stream().min(Comparator.comparingDouble(r -> r.epochSeconds().median())).orElseThrow();
    }

    /** Local mode's median epoch time over the best single-JVM DL4J's. */
    double distributedSingleRatio() {
        return local.epochSeconds().median() / bestSingleJvm().epochSeconds().median();
    }

    /** Local mode's median epoch time over PyTorch's, when PyTorch ran. */
    Optional<Double> distributedPytorchRatio() {
        return pytorch.map(p -> local.epochSeconds().median() / p.epochSeconds().median());
    }

    /** Local mode's median time to {@code target} over PyTorch's, when PyTorch ran and both have such a median. */
    Optional<Double> distributedPytorchTimeToTargetRatio(double target) {
        return pytorch.flatMap(p -> local.medianSecondsTo(target).flatMap(l -> p.medianSecondsTo(target).map(t -> l / t)));
    }
}
