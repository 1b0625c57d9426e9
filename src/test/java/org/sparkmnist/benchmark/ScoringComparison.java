package org.sparkmnist.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scoring-throughput table's rows for one input, of a size and a form ({@code input}: "idx",
 * "png directory"): one JVM's {@code model.output}, the scoring job in local mode and, when it ran,
 * on the standalone cluster.
 */
record ScoringComparison(int images, String input, ScoringMeasurement singleJvm, ScoringMeasurement local, Optional<ScoringMeasurement> cluster) {

    /** Table order: one JVM, local mode, cluster. */
    List<ScoringMeasurement> rows() {
        List<ScoringMeasurement> rows = new ArrayList<>(List.of(singleJvm, local));
        cluster.ifPresent(rows::add);
        return rows;
    }

    /** A row's images per second over one JVM's. */
    double relativeToSingleJvm(ScoringMeasurement row) {
        return row.imagesPerSecond() / singleJvm.imagesPerSecond();
    }
}
