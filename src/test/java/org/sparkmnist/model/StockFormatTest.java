package org.sparkmnist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.model.updaters.FusedAdam;

/**
 * What a model.zip's configuration names: DL4J's own classes for every network the job builds, the very
 * configuration DL4J builds from its own classes for the same recipe; and, read back, the project's
 * classes again, wherever they compute what DL4J's do.
 */
class StockFormatTest {

    /** Every kind of network the job builds: both models, every optimizer, with and without dropout and L2. */
    static Stream<ModelSpec> everyKindOfNetwork() {
        List<ModelSpec> specs = new ArrayList<>();
        for (UpdaterKind updater : UpdaterKind.values()) {
            for (String dropoutAndL2 : List.of("0 0", "0.2 1e-4")) {
                String[] values = dropoutAndL2.split(" ");
                specs.addAll(SettingsLoader.load(List.of("model.defaults.updater.name=" + updater.configName(),
                        "model.defaults.dropout=" + values[0], "model.defaults.l2=" + values[1])).models());
            }
        }
        return specs.stream();
    }

    private static MultiLayerConfiguration built(ModelSpec spec) {
        return NetworkFactory.configuration(spec, 784, 10);
    }

    /** The "@class" of every layer, updater, schedule, activation ... in a configuration. */
    private static List<String> classesNamedIn(MultiLayerConfiguration configuration) throws Exception {
        List<String> classes = new ArrayList<>();
        collectClasses(NeuralNetConfiguration.mapper().readTree(configuration.toJson()), classes);
        return classes;
    }

    private static void collectClasses(JsonNode node, List<String> classes) {
        if (node.path("@class").isTextual()) {
            classes.add(node.get("@class").asText());
        }
        node.forEach(child -> collectClasses(child, classes));
    }

    @ParameterizedTest
    @MethodSource("everyKindOfNetwork")
    void theSavedConfigurationNamesOnlyDl4jsClasses(ModelSpec spec) throws Exception {
        List<String> classes = classesNamedIn(StockFormat.toStock(built(spec)));
        assertTrue(classes.size() > 3, classes.toString());
        for (String type : classes) {
            assertTrue(type.startsWith("org.deeplearning4j.") || type.startsWith("org.nd4j."), spec + ": " + type);
        }
    }

    @Test
    void theSavedMlpIsWhatDl4jBuildsFromItsOwnClassesForTheSameRecipe() {
        ModelSpec mlp = DenseLayersMatchStockTest.mlp();
        // The fused optimizers keep no fixed rate beside their schedule; DL4J's JSON records that as NaN.
        Adam adam = Adam.builder().learningRate(Double.NaN).learningRateSchedule(new ExponentialSchedule(ScheduleType.EPOCH, 2e-3, 0.8))
                .beta1(0.9).beta2(0.999).epsilon(1e-7).build();
        MultiLayerConfiguration dl4j = new NeuralNetConfiguration.Builder().seed(mlp.seed()).dataType(DataType.FLOAT).updater(adam)
                .weightInit(WeightInit.XAVIER_UNIFORM).l2(0).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(500).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(500).nOut(500).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(500).nOut(10).activation(Activation.SOFTMAX).build())
                .build();
        assertEquals(dl4j.toJson(), StockFormat.toStock(built(mlp)).toJson());
    }

    @ParameterizedTest
    @MethodSource("everyKindOfNetwork")
    void readBackItIsTheConfigurationTheJobTrains(ModelSpec spec) {
        assertEquals(built(spec), StockFormat.toFast(StockFormat.toStock(built(spec))));
    }

    @Test
    void aConfigurationOfEarlierVersionsReadsBackAsItWas() {
        MultiLayerConfiguration earlier = built(DenseLayersMatchStockTest.mlp());
        assertTrue(earlier.toJson().contains("\"org.sparkmnist.model.layers.DenseLayer\""), "the project's classes, as earlier versions saved");
        assertEquals(earlier, StockFormat.toFast(earlier));
    }

    @Test
    void theEpochAndIterationCountsTheScheduleFollowsAreSaved() {
        MultiLayerConfiguration trained = built(DenseLayersMatchStockTest.mlp());
        trained.setEpochCount(3);
        trained.setIterationCount(1170);
        MultiLayerConfiguration saved = StockFormat.toStock(trained);
        assertEquals(List.of(3, 1170), List.of(saved.getEpochCount(), saved.getIterationCount()));
        MultiLayerConfiguration read = StockFormat.toFast(saved);
        assertEquals(List.of(3, 1170), List.of(read.getEpochCount(), read.getIterationCount()));
    }

    @Test
    void aDl4jDenseLayerTheProjectsCannotComputeStaysDl4jsAndStillGetsTheFusedOptimizer() {
        for (DenseLayer.Builder unusual : List.of(new DenseLayer.Builder().hasLayerNorm(true), new DenseLayer.Builder().hasBias(false))) {
            MultiLayerConfiguration read = StockFormat.toFast(dl4jWith(unusual));
            BaseLayer dense = (BaseLayer) read.getConf(0).getLayer();
            assertEquals(DenseLayer.class, dense.getClass());
            assertInstanceOf(FusedAdam.class, dense.getIUpdater());
            assertEquals(org.sparkmnist.model.layers.OutputLayer.class, read.getConf(1).getLayer().getClass());
        }
    }

    @Test
    void aNetworkWithADl4jDenseLayerLeftInComputesWhatDl4jComputes() {
        MultiLayerConfiguration dl4j = dl4jWith(new DenseLayer.Builder().hasBias(false));
        MultiLayerNetwork stock = new MultiLayerNetwork(dl4j);
        stock.init();
        MultiLayerNetwork read = new MultiLayerNetwork(StockFormat.toFast(dl4j));
        read.init();
        INDArray input = Nd4j.rand(DataType.FLOAT, 4, 6);
        DenseLayersMatchStockTest.assertClose(stock.output(input), read.output(input), "outputs");
    }

    /** A DL4J network of 6 inputs, 3 classes and {@code dense} of 5 units in between, with Adam. */
    private static MultiLayerConfiguration dl4jWith(DenseLayer.Builder dense) {
        return new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(Adam.builder().learningRate(1e-3).build()).list()
                .layer(dense.nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3).activation(Activation.SOFTMAX).build())
                .build();
    }
}
