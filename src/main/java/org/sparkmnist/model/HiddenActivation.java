package org.sparkmnist.model;

import org.sparkmnist.ConfigName;
import org.nd4j.linalg.activations.Activation;

/** The activations a hidden layer may have ({@code model.<name>.activation}). */
public enum HiddenActivation implements ConfigName {
    RELU("relu", Activation.RELU),
    TANH("tanh", Activation.TANH),
    SIGMOID("sigmoid", Activation.SIGMOID),
    ELU("elu", Activation.ELU),
    LEAKY_RELU("leakyrelu", Activation.LEAKYRELU),
    IDENTITY("identity", Activation.IDENTITY);

    private final String configName;
    private final Activation dl4j;

    HiddenActivation(String configName, Activation dl4j) {
        this.configName = configName;
        this.dl4j = dl4j;
    }

    @Override
    public String configName() {
        return configName;
    }

    Activation dl4j() {
        return dl4j;
    }
}
