package org.sparkmnist.config;

/** How the training file is divided into training and validation examples. */
public record SplitSettings(long seed, int train, int validation) {

    static SplitSettings from(ConfigReader split) {
        return new SplitSettings(split.longInteger("seed"), split.positiveInt("train"), split.positiveInt("validation"));
    }
}
