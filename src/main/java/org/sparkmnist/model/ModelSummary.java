package org.sparkmnist.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** A Keras-style model.summary(): one row per layer with its output width and parameter count. */
public final class ModelSummary {

    private ModelSummary() {
    }

    public static String of(String name, MultiLayerNetwork network) {
        StringBuilder table = new StringBuilder();
        String rule = "_".repeat(62) + "\n";
        table.append("Model: \"").append(name).append("\"\n").append(rule);
        table.append(String.format("%-28s %-18s %14s%n", "Layer (type)", "Output Shape", "Param #"));
        table.append("=".repeat(62)).append('\n');
        for (Layer layer : network.getLayers()) {
            FeedForwardLayer conf = (FeedForwardLayer) layer.conf().getLayer();
            String type = conf.getClass().getSimpleName().replace("Layer", "").replace("Output", "Dense (softmax)");
            table.append(String.format("%-28s %-18s %,14d%n", "layer_" + layer.getIndex() + " (" + type + ")",
                    "(None, " + conf.getNOut() + ")", layer.numParams()));
        }
        table.append("=".repeat(62)).append('\n');
        table.append(String.format("Total params: %,d%n", network.numParams()));
        return table.toString();
    }
}
