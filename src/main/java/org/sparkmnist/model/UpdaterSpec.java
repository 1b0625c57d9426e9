package org.sparkmnist.model;

/** The optimizer of one model, with the hyper-parameters its kind uses. */
public record UpdaterSpec(UpdaterKind kind, double learningRate, double learningRateDecay, double rho, double beta1, double beta2,
                          double momentum, double epsilon) {
}
