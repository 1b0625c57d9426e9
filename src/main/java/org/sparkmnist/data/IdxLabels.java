package org.sparkmnist.data;

/** The labels of one idx1 file, each already checked to lie in 0 .. classes-1. */
public record IdxLabels(String source, byte[] labels) {

    public int count() {
        return labels.length;
    }

    /** The labels of examples {@code indices[from..to)}, in that order. */
    public byte[] gather(int[] indices, int from, int to) {
        byte[] gathered = new byte[to - from];
        for (int row = 0; row < gathered.length; row++) {
            gathered[row] = labels[indices[from + row]];
        }
        return gathered;
    }
}
