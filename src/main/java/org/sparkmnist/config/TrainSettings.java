package org.sparkmnist.config;

/** The distributed training loop: epochs, minibatches and parameter averaging. */
public record TrainSettings(int epochs, int batchSize, int workers, int averagingFrequency, int prefetch, long seed) {

    static TrainSettings from(ConfigReader train) {
        return new TrainSettings(
                train.positiveInt("epochs"),
                train.positiveInt("batch-size"),
                train.nonNegativeInt("workers"),
                train.positiveInt("averaging-frequency"),
                train.nonNegativeInt("prefetch"),
                train.longInteger("seed"));
    }
}
