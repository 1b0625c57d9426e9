package org.sparkmnist.benchmark;

/**
 * How the benchmark runs DL4J's ParallelWrapper: {@code workers} threads, each training its own copy
 * of the network, averaged every {@code averagingFrequency} rounds (a round is one minibatch per worker).
 */
record ParallelWrapperSettings(int workers, int averagingFrequency) {

    ParallelWrapperSettings {
        if (workers < 2 || averagingFrequency < 1) {
            // ParallelWrapper itself refuses fewer than two workers.
            throw new IllegalArgumentException("ParallelWrapper needs >= 2 workers and an averaging frequency >= 1, got "
                    + workers + " and " + averagingFrequency);
        }
    }

    String describe() {
        return workers + " workers, averaging every " + averagingFrequency + (averagingFrequency == 1 ? " round" : " rounds");
    }
}
