package org.sparkmnist.config;

import java.util.List;

/** The optimizer of one model, with the hyper-parameters its kind uses. */
public record UpdaterSpec(String name, double learningRate, double learningRateDecay, double rho, double beta1, double beta2,
                          double momentum, double epsilon) {

    public static final List<String> NAMES = List.of("adam", "rmsprop", "nesterovs", "sgd");

    static UpdaterSpec from(ConfigReader updater) {
        return new UpdaterSpec(
                updater.oneOf("name", NAMES),
                updater.positiveNumber("learning-rate"),
                updater.shrinkFactor("learning-rate-decay"),
                updater.fraction("rho"),
                updater.fraction("beta1"),
                updater.fraction("beta2"),
                updater.fraction("momentum"),
                updater.positiveNumber("epsilon"));
    }
}
