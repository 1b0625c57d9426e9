package org.sparkmnist.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.model.NetworkFactory;
import org.sparkmnist.model.updaters.FusedRmsProp;

/**
 * conf/tutorial.conf must mean the Keras tutorial's script (mnist_mlp.py and its softmax twin): the same
 * networks, Keras' RMSprop, and the raw pixels the tutorial feeds, whatever reference.conf's tuned defaults
 * it is laid over.
 */
class TutorialRecipeTest {

    private static final JobSettings TUTORIAL = SettingsLoader.load(List.of("conf/tutorial.conf"));

    private static MultiLayerNetwork network(String name) {
        ModelSpec spec = TUTORIAL.models().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.configuration(spec, TUTORIAL.data().pixels(), TUTORIAL.data().classes()));
        network.init();
        return network;
    }

    private static FusedRmsProp firstLayerUpdater(String model) {
        return (FusedRmsProp) ((BaseLayer) network(model).getLayer(0).conf().getLayer()).getIUpdater();
    }

    @Test
    void softmaxHasThe7850ParametersKerasPrints() {
        assertEquals(7_850, network("softmax").numParams());
    }

    @Test
    void mlpHasThe648010ParametersKerasPrints() {
        assertEquals(648_010, network("mlp").numParams());
    }

    @Test
    void kerasRmspropDefaultsRhoAndEpsilonReachDl4j() {
        for (String model : List.of("softmax", "mlp")) {
            FusedRmsProp updater = firstLayerUpdater(model);
            assertEquals(0.9, updater.rmsDecay(), 1e-12, model + ": Keras' rho, not DL4J's 0.95");
            assertEquals(1e-7, updater.epsilon(), 1e-15, model + ": Keras' epsilon, not DL4J's 1e-8");
        }
    }

    @Test
    void theLearningRateStays1e4FromFirstToLastEpoch() {
        FusedRmsProp updater = firstLayerUpdater("mlp");
        assertEquals(1e-4, updater.getLearningRate(0, 0), 1e-12);
        assertEquals(1e-4, updater.getLearningRate(19_500, TUTORIAL.train().epochs() - 1), 1e-12);
    }

    @Test
    void rawPixelsReachTheNetwork() {
        INDArray features = Encoding.of(TUTORIAL.data()).features(new byte[] {0, (byte) 128, (byte) 255}, 1, 3);
        assertEquals(List.of(0f, 128f, 255f), List.of(features.getFloat(0), features.getFloat(1), features.getFloat(2)));
    }
}
