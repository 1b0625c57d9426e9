package org.sparkmnist.scoring;

/** How many inputs a scoring run saw, how many of them it rejected, and how many had a label. */
record ScoringCounts(long inputs, long rejects, long withLabel) {

    long predictions() {
        return inputs - rejects;
    }

    /** Rejects over inputs. */
    double rejectShare() {
        return inputs == 0 ? 0 : (double) rejects / inputs;
    }
}
