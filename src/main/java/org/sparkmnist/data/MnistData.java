package org.sparkmnist.data;

/** The four idx files, read and checked against each other. */
public record MnistData(IdxImages trainImages, IdxLabels trainLabels, IdxImages testImages, IdxLabels testLabels) {

    /** The label counts per class of a label file, as a sanity check users can compare with the dataset's. */
    public static int[] classCounts(IdxLabels labels, int classes) {
        int[] counts = new int[classes];
        for (int i = 0; i < labels.count(); i++) {
            counts[labels.label(i)]++;
        }
        return counts;
    }
}
