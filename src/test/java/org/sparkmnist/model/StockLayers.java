package org.sparkmnist.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/** The same network with DL4J's own dense and output layers in place of this project's: the reference they must match. */
final class StockLayers {

    private StockLayers() {
    }

    static MultiLayerConfiguration of(MultiLayerConfiguration configuration) {
        // Both share every configuration field; DL4J's add hasBias and hasLayerNorm, whose defaults (true, false) are ours.
        String json = configuration.toJson()
                .replace("\"org.sparkmnist.model.layers.DenseLayer\"", "\"org.deeplearning4j.nn.conf.layers.DenseLayer\"")
                .replace("\"org.sparkmnist.model.layers.OutputLayer\"", "\"org.deeplearning4j.nn.conf.layers.OutputLayer\"");
        if (json.contains("org.sparkmnist.model.layers")) {
            throw new IllegalStateException("a layer of this project's has no stock counterpart here: " + json);
        }
        return MultiLayerConfiguration.fromJson(json);
    }
}
