package org.sparkmnist.model;

import org.sparkmnist.ConfigName;
import org.deeplearning4j.nn.weights.WeightInit;

/** How a model's weights start ({@code model.<name>.weight-init}). */
public enum WeightInitScheme implements ConfigName {
    /** Keras' glorot_uniform, the default of its Dense layer. */
    XAVIER_UNIFORM("xavier-uniform", WeightInit.XAVIER_UNIFORM),
    XAVIER("xavier", WeightInit.XAVIER),
    RELU("relu", WeightInit.RELU),
    RELU_UNIFORM("relu-uniform", WeightInit.RELU_UNIFORM),
    NORMAL("normal", WeightInit.NORMAL);

    private final String configName;
    private final WeightInit dl4j;

    WeightInitScheme(String configName, WeightInit dl4j) {
        this.configName = configName;
        this.dl4j = dl4j;
    }

    @Override
    public String configName() {
        return configName;
    }

    WeightInit dl4j() {
        return dl4j;
    }
}
