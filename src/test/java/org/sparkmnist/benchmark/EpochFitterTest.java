package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkmnist.config.AveragingSchedule;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.model.NetworkFactory;
import org.sparkmnist.training.RunningTrainingMetrics;
import org.sparkmnist.training.TallyAccumulator;

/** Both single-JVM fitters train the network they were given on every minibatch, and the running metrics see each one. */
class EpochFitterTest {

    private static final int PIXELS = 12;
    private static final int CLASSES = 3;

    @Test
    void plainFitTrainsOnEveryMinibatch() throws Exception {
        assertTrainsOnEveryMinibatch(network -> EpochFitter.plain(network));
    }

    @Test
    void parallelWrapperTrainsTheGivenNetworkOnEveryMinibatchAcrossItsWorkers() throws Exception {
        assertTrainsOnEveryMinibatch(network -> EpochFitter.parallelWrapper(network, new ParallelWrapperSettings(2, AveragingSchedule.every(2))));
    }

    private static void assertTrainsOnEveryMinibatch(java.util.function.Function<MultiLayerNetwork, EpochFitter> fitterFor)
            throws Exception {
        ModelSpec spec = SettingsLoader.load(List.of("models=[mlp]", "model.mlp.hidden-layers=[8]")).models().get(0);
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.configuration(spec, PIXELS, CLASSES));
        network.init();
        TallyAccumulator tally = new TallyAccumulator();
        network.setListeners(new RunningTrainingMetrics(tally));
        INDArray before = network.params().dup();
        List<DataSet> minibatches = minibatches(12, 16);

        try (EpochFitter fitter = fitterFor.apply(network)) {
            for (int epoch = 0; epoch < 2; epoch++) {
                fitter.fitEpoch(epoch + 1, minibatches);
            }
        }
        // Every example of both epochs was tallied once, however many threads reported them.
        assertEquals(2 * 12 * 16, tally.value().count());
        assertNotEquals(before, network.params());
    }

    private static List<DataSet> minibatches(int count, int size) {
        Random random = new Random(5);
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            float[] features = new float[size * PIXELS];
            float[] labels = new float[size * CLASSES];
            for (int row = 0; row < size; row++) {
                int label = random.nextInt(CLASSES);
                labels[row * CLASSES + label] = 1;
                for (int p = 0; p < PIXELS; p++) {
                    features[row * PIXELS + p] = (p % CLASSES == label ? 0.8f : 0.1f) + 0.2f * random.nextFloat();
                }
            }
            batches.add(new DataSet(Nd4j.create(features, new long[] {size, PIXELS}, DataType.FLOAT),
                    Nd4j.create(labels, new long[] {size, CLASSES}, DataType.FLOAT)));
        }
        return batches;
    }
}
