package org.sparkmnist.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Predicate;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.sparkmnist.model.layers.DenseLayer;
import org.sparkmnist.model.layers.OutputLayer;
import org.sparkmnist.model.updaters.FusedAdam;
import org.sparkmnist.model.updaters.FusedRmsProp;

/**
 * The one translation between the network the job trains and the stock DL4J network it saves, both
 * directions in one place. This project's layers ({@link org.sparkmnist.model.layers}) and fused
 * optimizers ({@link org.sparkmnist.model.updaters}) compute what DL4J's DenseLayer, OutputLayer, Adam
 * and RmsProp compute, from the same configuration fields, parameters and updater state; only their
 * classes differ. So what is saved names DL4J's classes, and any DL4J program opens it; what is loaded
 * gets the project's classes back wherever they compute the same, and trains and scores at their speed.
 *
 * <p>The translation works on the configuration's JSON, DL4J's own serialised form, where a layer or an
 * updater names its class in "@class". DL4J's dense layer has two fields the project's lacks, since it
 * always has a bias and never normalises: they are written as DL4J writes them, and a dense layer that
 * uses either stays DL4J's. Everything else (other layers and optimizers, the learning-rate schedules,
 * the epoch and iteration counts those follow) is DL4J's already and passes through as it is.
 */
public final class StockFormat {

    private static final String CLASS = "@class";
    private static final String PROJECT_PACKAGE = "org.sparkmnist.";

    private StockFormat() {
    }

    /** {@code configuration} with DL4J's classes in place of the project's: what a saved model.zip holds. */
    public static MultiLayerConfiguration toStock(MultiLayerConfiguration configuration) {
        JsonNode tree = tree(configuration);
        swap(tree, true);
        requireStock(tree, tree);
        return MultiLayerConfiguration.fromJson(tree.toString());
    }

    /**
     * {@code configuration} with the project's classes in place of DL4J's wherever they compute the same:
     * what the job trains and scores with. A configuration of earlier versions, which saved the project's
     * classes, comes back as it is.
     */
    public static MultiLayerConfiguration toFast(MultiLayerConfiguration configuration) {
        JsonNode tree = tree(configuration);
        swap(tree, false);
        return MultiLayerConfiguration.fromJson(tree.toString());
    }

    private static JsonNode tree(MultiLayerConfiguration configuration) {
        try {
            return mapper().readTree(configuration.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("DL4J cannot read back the JSON it wrote", e);
        }
    }

    private static ObjectMapper mapper() {
        return NeuralNetConfiguration.mapper();
    }

    /** Every layer and updater in {@code node}, swapped to its counterpart where it has one. */
    private static void swap(JsonNode node, boolean toStock) {
        if (node instanceof ObjectNode object && object.path(CLASS).isTextual()) {
            String type = object.get(CLASS).asText();
            for (Counterpart counterpart : Counterpart.values()) {
                if (toStock && counterpart.fast.getName().equals(type)) {
                    counterpart.toStock(object);
                } else if (!toStock && counterpart.stock.getName().equals(type) && counterpart.fitsFast.test(object)) {
                    counterpart.toFast(object);
                }
            }
        }
        node.forEach(child -> swap(child, toStock));
    }

    /** Fails on a class of the project left in a configuration about to be saved: no plain DL4J program could open it. */
    private static void requireStock(JsonNode node, JsonNode whole) {
        if (node.path(CLASS).asText().startsWith(PROJECT_PACKAGE)) {
            throw new IllegalStateException("bug: " + node.get(CLASS).asText() + " has no stock DL4J counterpart in "
                    + StockFormat.class.getSimpleName() + ", so a model.zip naming it would not open in plain DL4J: " + whole);
        }
        node.forEach(child -> requireStock(child, whole));
    }

    /** A class of the project and DL4J's class it computes the same as. */
    private enum Counterpart {
        DENSE_LAYER(org.deeplearning4j.nn.conf.layers.DenseLayer.class, DenseLayer.class,
                stock -> stock.path("hasBias").asBoolean(true) && !stock.path("hasLayerNorm").asBoolean(false)) {
            @Override
            void toStock(ObjectNode layer) {
                super.toStock(layer);
                layer.put("hasBias", true);
                layer.put("hasLayerNorm", false);
            }

            @Override
            void toFast(ObjectNode layer) {
                super.toFast(layer);
                layer.remove("hasBias");
                layer.remove("hasLayerNorm");
            }
        },
        OUTPUT_LAYER(org.deeplearning4j.nn.conf.layers.OutputLayer.class, OutputLayer.class, stock -> true),
        ADAM(Adam.class, FusedAdam.class, stock -> true),
        RMSPROP(RmsProp.class, FusedRmsProp.class, stock -> true);

        private final Class<?> stock;
        private final Class<?> fast;
        /** Whether a stock configuration uses only what the fast class computes. */
        private final Predicate<ObjectNode> fitsFast;

        Counterpart(Class<?> stock, Class<?> fast, Predicate<ObjectNode> fitsFast) {
            this.stock = stock;
            this.fast = fast;
            this.fitsFast = fitsFast;
        }

        void toStock(ObjectNode node) {
            node.put(CLASS, stock.getName());
        }

        void toFast(ObjectNode node) {
            node.put(CLASS, fast.getName());
        }
    }
}
