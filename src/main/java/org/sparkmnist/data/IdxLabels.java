package org.sparkmnist.data;

/** The labels of one idx1 file, each already checked to lie in 0 .. classes-1. */
public record IdxLabels(String source, byte[] labels) {

    public int count() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i] & 0xFF;
    }
}
