package org.sparkmnist.scoring;

/** How many inputs a scoring run saw and how many of them it rejected. */
record ScoringCounts(long inputs, long rejects) {

    long predictions() {
        return inputs - rejects;
    }

    /** Rejects over inputs. */
    double rejectShare() {
        return inputs == 0 ? 0 : (double) rejects / inputs;
    }
}
