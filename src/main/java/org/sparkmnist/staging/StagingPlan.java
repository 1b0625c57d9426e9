package org.sparkmnist.staging;

import java.util.Arrays;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.MnistSplit;

/**
 * Where every example of the training file goes when the split is staged: its position in the
 * split (see {@link BatchLayout}) or nowhere, and its label. It is the inverse of the split's
 * permutation, which lets an executor reading the image file in file order key each image by its
 * minibatch. Five bytes per example, broadcast once as two plain arrays (which every Spark
 * serializer ships); the pixels never pass through the driver.
 */
public final class StagingPlan {

    /** Examples the split does not use. */
    public static final int UNUSED = -1;

    private final BatchLayout layout;
    private final int[] positions;
    private final byte[] labels;

    private StagingPlan(BatchLayout layout, int[] positions, byte[] labels) {
        this.layout = layout;
        this.positions = positions;
        this.labels = labels;
    }

    public static StagingPlan of(MnistSplit split, IdxLabels labels, int batchSize) {
        int[] positions = new int[labels.count()];
        Arrays.fill(positions, UNUSED);
        int position = 0;
        for (int example : split.train()) {
            positions[example] = position++;
        }
        for (int example : split.validation()) {
            positions[example] = position++;
        }
        return new StagingPlan(new BatchLayout(split.train().length, split.validation().length, batchSize), positions,
                labels.labels());
    }

    public BatchLayout layout() {
        return layout;
    }

    public int examples() {
        return positions.length;
    }

    /** Split position per example of the file, {@link #UNUSED} for the rest. */
    int[] positions() {
        return positions;
    }

    byte[] labels() {
        return labels;
    }
}
