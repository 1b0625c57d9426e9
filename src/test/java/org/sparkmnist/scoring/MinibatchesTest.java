package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MinibatchesTest {

    @Test
    void inputsAreTakenInMinibatchesOfTheSizeTheLastOneShorter() {
        List<Integer> sizes = new ArrayList<>();
        List<Integer> out = new ArrayList<>();
        new Minibatches<>(IntStream.range(0, 7).boxed().iterator(), 3, batch -> {
            sizes.add(batch.size());
            return batch.stream().map(i -> i * 10).toList();
        }).forEachRemaining(out::add);
        assertEquals(List.of(3, 3, 1), sizes);
        assertEquals(List.of(0, 10, 20, 30, 40, 50, 60), out);
    }

    @Test
    void theNextMinibatchIsTakenOnlyWhenTheLastOneIsHandedOut() {
        List<Integer> taken = new ArrayList<>();
        Iterator<Integer> source = IntStream.range(0, 6).boxed().peek(taken::add).iterator();
        Iterator<Integer> scored = new Minibatches<>(source, 2, batch -> batch);
        scored.next();
        assertEquals(List.of(0, 1), taken);
        scored.next();
        scored.next();
        assertEquals(List.of(0, 1, 2, 3), taken);
    }

    @Test
    void anEmptyPartitionScoresNothing() {
        Iterator<Integer> scored = new Minibatches<Integer, Integer>(List.<Integer>of().iterator(), 4, batch -> {
            throw new AssertionError("scored an empty minibatch");
        });
        assertFalse(scored.hasNext());
        assertThrows(NoSuchElementException.class, scored::next);
    }

    @Test
    void aMinibatchIsClosedOnceItsInputsReachTheirWeightLimit() {
        List<List<Integer>> batches = new ArrayList<>();
        new Minibatches<>(List.of(5, 1, 9, 2, 2, 2, 2).iterator(), 4, weight -> weight, 10, batch -> {
            batches.add(batch);
            return batch;
        }).forEachRemaining(weight -> { });
        assertEquals(List.of(List.of(5, 1, 9), List.of(2, 2, 2, 2)), batches);
    }
}
