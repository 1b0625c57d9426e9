package org.sparkmnist.model;

import org.deeplearning4j.nn.weights.WeightInit;
import org.sparkmnist.ConfigName;

/** How a model's weights start ({@code model.<name>.weight-init}), each named as DL4J names it. */
public enum WeightInitScheme implements ConfigName {
    /** Keras' glorot_uniform, the default of its Dense layer. */
    XAVIER_UNIFORM,
    XAVIER,
    RELU,
    RELU_UNIFORM,
    NORMAL;

    WeightInit dl4j() {
        return WeightInit.valueOf(name());
    }
}
