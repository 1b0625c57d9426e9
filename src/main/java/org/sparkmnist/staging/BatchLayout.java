package org.sparkmnist.staging;

import java.io.Serializable;

/**
 * The minibatches of a staged split, numbered across both parts: the training part's examples in
 * split order take positions 0 .. train-1 and are cut into batches 0 .. trainBatches-1, then the
 * validation part's take positions train .. train+validation-1 and the batches after those. Every
 * batch is full except the last of each part, as the driver-side staging cut them.
 */
public record BatchLayout(int train, int validation, int batchSize) implements Serializable {

    public BatchLayout {
        if (train <= 0 || validation < 0 || batchSize <= 0) {
            throw new IllegalArgumentException("layout of " + train + " + " + validation + " examples in batches of " + batchSize);
        }
    }

    public int trainBatches() {
        return ceilDiv(train, batchSize);
    }

    public int batches() {
        return trainBatches() + ceilDiv(validation, batchSize);
    }

    public int positions() {
        return train + validation;
    }

    /** The batch that holds split position {@code position}. */
    public int batchOf(int position) {
        return position < train ? position / batchSize : trainBatches() + (position - train) / batchSize;
    }

    /** The split position of the first example of {@code batch}. */
    public int firstPosition(int batch) {
        return batch < trainBatches() ? batch * batchSize : train + (batch - trainBatches()) * batchSize;
    }

    public int size(int batch) {
        int partEnd = batch < trainBatches() ? train : train + validation;
        return Math.min(batchSize, partEnd - firstPosition(batch));
    }

    public boolean isTrain(int batch) {
        return batch < trainBatches();
    }

    /** The batch's file name in its part's directory, numbered from 0 in each part. */
    public String fileName(int batch) {
        return String.format("batch-%06d.bin", isTrain(batch) ? batch : batch - trainBatches());
    }

    private static int ceilDiv(int a, int b) {
        return (int) (((long) a + b - 1) / b);
    }
}
