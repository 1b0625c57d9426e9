package org.sparkmnist.benchmark;

import org.sparkmnist.config.AveragingSchedule;

/**
 * How the benchmark runs DL4J's ParallelWrapper: {@code workers} threads, each training its own copy
 * of the network, averaged as the job's schedule says (in rounds, a round being one minibatch per
 * worker), so that it does what the Spark job does in one JVM.
 */
record ParallelWrapperSettings(int workers, AveragingSchedule averaging) {

    ParallelWrapperSettings {
        if (workers < 2) {
            // ParallelWrapper itself refuses fewer than two workers.
            throw new IllegalArgumentException("ParallelWrapper needs >= 2 workers, got " + workers);
        }
    }

    String describe() {
        return workers + " workers, averaging " + averaging.describe("rounds");
    }
}
