package org.sparkmnist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.model.layers.DenseLayerImpl;
import org.sparkmnist.model.layers.OutputLayerImpl;
import org.sparkmnist.model.updaters.FusedAdam;
import org.sparkmnist.model.updaters.FusedRmsProp;

/**
 * The job's model.zip of a network it trained reloads in the job with this project's layers and fused
 * optimizers, as it trained (so a resumed or scored model runs at the same speed), and carries on
 * training exactly as if it had never been saved.
 */
class SavedModelReloadTest {

    private static DataSet minibatch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 32, 10);
        for (int i = 0; i < 32; i++) {
            labels.putScalar(i, i % 10, 1f);
        }
        return new DataSet(Nd4j.rand(DataType.FLOAT, 32, 784), labels);
    }

    private static MultiLayerNetwork reload(MultiLayerNetwork network) throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelZip.write(network, zip, true);
        return ModelZip.read(new ByteArrayInputStream(zip.toByteArray()), true);
    }

    @Test
    void reloadedNetworkHasTheSameLayersParametersAndOptimizerState() throws Exception {
        for (String updater : List.of("adam", "rmsprop")) {
            ModelSpec spec = SettingsLoader.load(List.of("model.defaults.updater.name=" + updater)).models().stream()
                    .filter(m -> m.name().equals("mlp")).findFirst().orElseThrow();
            MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.configuration(spec, 784, 10));
            network.init();
            network.fit(minibatch(1));
            network.fit(minibatch(2));

            MultiLayerNetwork reloaded = reload(network);

            assertInstanceOf(DenseLayerImpl.class, reloaded.getLayer(0), updater);
            assertInstanceOf(OutputLayerImpl.class, reloaded.getOutputLayer(), updater);
            Class<?> fused = updater.equals("adam") ? FusedAdam.class : FusedRmsProp.class;
            for (UpdaterBlock block : ((BaseMultiLayerUpdater<?>) reloaded.getUpdater()).getUpdaterBlocks()) {
                assertEquals(fused, block.getGradientUpdater().getConfig().getClass(), updater);
            }
            assertEquals(network.getLayerWiseConfigurations(), reloaded.getLayerWiseConfigurations(), updater);
            assertEquals(network.params(), reloaded.params(), updater);
            assertEquals(network.getUpdater().getStateViewArray(), reloaded.getUpdater().getStateViewArray(), updater);
            // The optimizer carries on from its saved state: one more step lands both on the same weights.
            network.fit(minibatch(3));
            reloaded.fit(minibatch(3));
            assertEquals(network.params(), reloaded.params(), updater);
        }
    }
}
