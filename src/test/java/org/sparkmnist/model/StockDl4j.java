package org.sparkmnist.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * The same network with DL4J's own dense and output layers and optimizers in place of this project's:
 * the reference they must match.
 */
final class StockDl4j {

    private StockDl4j() {
    }

    static MultiLayerConfiguration of(MultiLayerConfiguration configuration) {
        // Each pair shares every configuration field; DL4J's dense layer adds hasBias and hasLayerNorm, whose
        // defaults (true, false) are ours.
        String json = configuration.toJson()
                .replace("\"org.sparkmnist.model.layers.DenseLayer\"", "\"org.deeplearning4j.nn.conf.layers.DenseLayer\"")
                .replace("\"org.sparkmnist.model.layers.OutputLayer\"", "\"org.deeplearning4j.nn.conf.layers.OutputLayer\"")
                .replace("\"org.sparkmnist.model.updaters.FusedAdam\"", "\"org.nd4j.linalg.learning.config.Adam\"")
                .replace("\"org.sparkmnist.model.updaters.FusedRmsProp\"", "\"org.nd4j.linalg.learning.config.RmsProp\"");
        if (json.contains("org.sparkmnist.model.")) {
            throw new IllegalStateException("a layer or updater of this project's has no stock counterpart here: " + json);
        }
        return MultiLayerConfiguration.fromJson(json);
    }
}
