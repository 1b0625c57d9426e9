package org.sparkmnist.model;

import org.nd4j.linalg.activations.Activation;
import org.sparkmnist.ConfigName;

/** The activations a hidden layer may have ({@code model.<name>.activation}), each named as DL4J names it. */
public enum HiddenActivation implements ConfigName {
    RELU,
    TANH,
    SIGMOID,
    ELU,
    LEAKYRELU,
    IDENTITY;

    Activation dl4j() {
        return Activation.valueOf(name());
    }
}
