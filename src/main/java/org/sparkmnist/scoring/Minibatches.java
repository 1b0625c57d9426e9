package org.sparkmnist.scoring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A partition scored a minibatch at a time: up to {@code size} inputs are taken, {@code score} turns
 * them into as many outputs, in order, and those are handed out before the next minibatch is taken.
 * Lazy, so a partition is never held whole ({@link ClassifierPartition}, which the batch job scores
 * through too).
 */
final class Minibatches<I, O> implements Iterator<O> {

    private final Iterator<I> inputs;
    private final int size;
    private final Function<List<I>, List<O>> score;
    private Iterator<O> batch = Collections.emptyIterator();

    Minibatches(Iterator<I> inputs, int size, Function<List<I>, List<O>> score) {
        this.inputs = inputs;
        this.size = size;
        this.score = score;
    }

    @Override
    public boolean hasNext() {
        if (!batch.hasNext() && inputs.hasNext()) {
            List<I> taken = new ArrayList<>(size);
            while (taken.size() < size && inputs.hasNext()) {
                taken.add(inputs.next());
            }
            batch = score.apply(taken).iterator();
        }
        return batch.hasNext();
    }

    @Override
    public O next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return batch.next();
    }
}
