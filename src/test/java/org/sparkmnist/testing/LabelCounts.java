package org.sparkmnist.testing;

import org.sparkmnist.data.IdxLabels;

/** Examples per class of a label file, to compare with the counts MNIST publishes. */
public final class LabelCounts {

    private LabelCounts() {
    }

    public static int[] of(IdxLabels labels, int classes) {
        int[] counts = new int[classes];
        for (byte label : labels.labels()) {
            counts[label & 0xFF]++;
        }
        return counts;
    }
}
