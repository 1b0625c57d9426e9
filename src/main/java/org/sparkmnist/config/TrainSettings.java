package org.sparkmnist.config;

/** The distributed training loop: epochs, minibatches and parameter averaging. */
public record TrainSettings(int epochs, int batchSize, int workers, AveragingSchedule averaging, int prefetch, long seed,
                            int warmUpMinibatches) {

    static TrainSettings from(ConfigReader train) {
        return new TrainSettings(
                train.positiveInt("epochs"),
                train.positiveInt("batch-size"),
                train.nonNegativeInt("workers"),
                new AveragingSchedule(train.positiveIntOrList("averaging-frequency", "[20, 20, 80]")),
                train.nonNegativeInt("prefetch"),
                train.longInteger("seed"),
                train.nonNegativeInt("warm-up-minibatches"));
    }
}
