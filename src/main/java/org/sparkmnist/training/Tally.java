package org.sparkmnist.training;

import java.io.Serializable;

/** Summed cross-entropy and correct predictions over some examples; tallies from partitions add up. */
public record Tally(double lossSum, long correct, long count) implements Serializable {

    public static final Tally EMPTY = new Tally(0, 0, 0);

    public Tally plus(Tally other) {
        return new Tally(lossSum + other.lossSum, correct + other.correct, count + other.count);
    }

    public double loss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    public double accuracy() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }
}
