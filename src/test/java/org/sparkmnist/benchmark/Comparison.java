package org.sparkmnist.benchmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The main table's rows, measured in one run on the same split and minibatch size: the single-machine
 * DL4J alternatives, the Spark job in local mode and on a standalone cluster, and the PyTorch
 * reference; with the lines that say how the alternatives were set up.
 */
record Comparison(List<Measurement> singleJvm, Measurement local, Optional<Measurement> cluster, Optional<Measurement> pytorch,
                  List<String> notes) {

    Comparison {
        if (singleJvm.isEmpty()) {
            throw new IllegalArgumentException("no single-JVM DL4J measurement");
        }
        singleJvm = List.copyOf(singleJvm);
        notes = List.copyOf(notes);
    }

    /** Table order: single JVM, local mode, cluster, PyTorch. */
    List<Measurement> rows() {
        List<Measurement> rows = new ArrayList<>(singleJvm);
        rows.add(local);
        cluster.ifPresent(rows::add);
        pytorch.ifPresent(rows::add);
        return rows;
    }

    /** What distribution is measured against: the faster single-JVM DL4J configuration. */
    Measurement bestSingleJvm() {
        return singleJvm.stream().min(Comparator.comparingDouble(Measurement::secondsPerEpoch)).orElseThrow();
    }

    /** Local mode's epoch time over the best single-JVM DL4J's. */
    double distributedSingleRatio() {
        return local.secondsPerEpoch() / bestSingleJvm().secondsPerEpoch();
    }

    /** Local mode's epoch time over PyTorch's, when PyTorch ran. */
    Optional<Double> distributedPytorchRatio() {
        return pytorch.map(p -> local.secondsPerEpoch() / p.secondsPerEpoch());
    }
}
