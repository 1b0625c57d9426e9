package org.sparkmnist.training;

import org.apache.spark.util.AccumulatorV2;

/**
 * A Spark accumulator of {@link Tally}s: each task adds what its minibatches scored, and the driver
 * reads the sum once the job is done, without an extra pass over the data.
 */
public final class TallyAccumulator extends AccumulatorV2<Tally, Tally> {

    private static final long serialVersionUID = 1L;

    private Tally sum = Tally.EMPTY;

    @Override
    public boolean isZero() {
        return sum.count() == 0 && sum.correct() == 0 && sum.lossSum() == 0;
    }

    @Override
    public TallyAccumulator copy() {
        TallyAccumulator copy = new TallyAccumulator();
        copy.sum = sum;
        return copy;
    }

    @Override
    public void reset() {
        sum = Tally.EMPTY;
    }

    @Override
    public void add(Tally tally) {
        sum = sum.plus(tally);
    }

    @Override
    public void merge(AccumulatorV2<Tally, Tally> other) {
        sum = sum.plus(other.value());
    }

    @Override
    public Tally value() {
        return sum;
    }
}
