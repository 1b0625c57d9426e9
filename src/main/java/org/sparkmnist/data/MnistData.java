package org.sparkmnist.data;

/**
 * The four idx files, checked against each other. The training images are only checked, not held:
 * their size grows with the data, and executors read them when the split is staged. Their labels
 * (a byte per image) and the 10,000 test images, which the driver evaluates on, are held.
 */
public record MnistData(IdxImageFile trainImages, IdxLabels trainLabels, IdxImages testImages, IdxLabels testLabels) {
}
