package org.sparkmnist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.junit.jupiter.api.Test;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.model.updaters.FusedAdam;

class NetworkFactoryTest {

    private static MultiLayerNetwork build(ModelSpec spec) {
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.configuration(spec, 784, 10));
        network.init();
        return network;
    }

    private static ModelSpec model(String name, String... overrides) {
        List<String> args = new java.util.ArrayList<>(List.of(overrides));
        JobSettings settings = SettingsLoader.load(args);
        return settings.models().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void hiddenLayersComeFromConfig() {
        MultiLayerNetwork network = build(model("mlp", "model.mlp.hidden-layers=[64]"));
        assertEquals(784 * 64 + 64 + 64 * 10 + 10, network.numParams());
    }

    @Test
    void learningRateDecaysOncePerEpoch() {
        ModelSpec spec = model("mlp", "model.defaults.updater.learning-rate=0.002", "model.defaults.updater.learning-rate-decay=0.5");
        BaseLayer layer = (BaseLayer) build(spec).getLayer(1).conf().getLayer();
        assertEquals(0.002, layer.getIUpdater().getLearningRate(0, 0), 1e-12);
        assertEquals(0.002, layer.getIUpdater().getLearningRate(390, 0), 1e-12);
        assertEquals(0.0005, layer.getIUpdater().getLearningRate(800, 2), 1e-12);
    }

    @Test
    void sameSeedGivesTheSameInitialWeights() {
        assertEquals(build(model("mlp")).params(), build(model("mlp")).params());
    }

    @Test
    void summaryListsLayersAndTotal() {
        String summary = ModelSummary.of("mlp", build(model("mlp")));
        assertTrue(summary.contains("392,500") && summary.contains("250,500") && summary.contains("5,010"), summary);
        assertTrue(summary.contains("Total params: 648,010"), summary);
    }

    @Test
    void adamTakesItsHyperParameters() {
        ModelSpec spec = model("mlp", "model.defaults.updater.beta1=0.8", "model.defaults.updater.beta2=0.99",
                "model.defaults.updater.epsilon=1e-6");
        FusedAdam updater = (FusedAdam) ((BaseLayer) build(spec).getLayer(0).conf().getLayer()).getIUpdater();
        assertEquals(List.of(0.8, 0.99, 1e-6), List.of(updater.beta1(), updater.beta2(), updater.epsilon()));
        assertEquals(0.002, updater.getLearningRate(0, 0), 1e-12);
    }

    @Test
    void everyLayerSharesOneUpdaterBlockSoEachStepIsOnePass() {
        MultiLayerNetwork network = build(model("mlp"));
        assertEquals(1, ((MultiLayerUpdater) network.getUpdater()).getUpdaterBlocks().size());
    }

    @Test
    void configurationSurvivesJson() {
        MultiLayerConfiguration configuration = NetworkFactory.configuration(model("mlp"), 784, 10);
        assertEquals(configuration, MultiLayerConfiguration.fromJson(configuration.toJson()));
        MultiLayerConfiguration rmsprop = NetworkFactory.configuration(
                model("mlp", "model.defaults.updater.name=rmsprop"), 784, 10);
        assertEquals(rmsprop, MultiLayerConfiguration.fromJson(rmsprop.toJson()));
    }
}
