package org.sparkmnist.scoring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A partition scored a minibatch at a time: up to {@code size} inputs are taken, {@code score} turns
 * them into as many outputs, in order, and those are handed out before the next minibatch is taken.
 * Lazy, so a partition is never held whole ({@link ClassifierPartition}, which the batch job scores
 * through too). A minibatch may also be closed early by weight: once the inputs taken weigh
 * {@code maxWeight} or more, so that a run of large encoded files is not held {@code size} at a time.
 */
final class Minibatches<I, O> implements Iterator<O> {

    private final Iterator<I> inputs;
    private final int size;
    private final ToLongFunction<I> weight;
    private final long maxWeight;
    private final Function<List<I>, List<O>> score;
    private Iterator<O> batch = Collections.emptyIterator();

    Minibatches(Iterator<I> inputs, int size, Function<List<I>, List<O>> score) {
        this(inputs, size, input -> 0, Long.MAX_VALUE, score);
    }

    Minibatches(Iterator<I> inputs, int size, ToLongFunction<I> weight, long maxWeight, Function<List<I>, List<O>> score) {
        this.inputs = inputs;
        this.size = size;
        this.weight = weight;
        this.maxWeight = maxWeight;
        this.score = score;
    }

    @Override
    public boolean hasNext() {
        if (!batch.hasNext() && inputs.hasNext()) {
            List<I> taken = new ArrayList<>(size);
            long weighed = 0;
            while (taken.size() < size && weighed < maxWeight && inputs.hasNext()) {
                I input = inputs.next();
                taken.add(input);
                weighed += weight.applyAsLong(input);
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
