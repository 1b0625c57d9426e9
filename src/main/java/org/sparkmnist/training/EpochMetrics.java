package org.sparkmnist.training;

/** One row of the tutorial's history: how an epoch went on the training and validation sets. */
public record EpochMetrics(int epoch, double seconds, double loss, double accuracy, double valLoss, double valAccuracy) {
}
