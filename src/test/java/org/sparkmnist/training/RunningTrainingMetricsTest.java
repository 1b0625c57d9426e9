package org.sparkmnist.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.model.NetworkFactory;

/**
 * The running training metrics must be exactly what scoring each minibatch with the parameters it
 * was trained from would give: the output layer they re-apply has to be the one the forward pass used.
 */
class RunningTrainingMetricsTest {

    private static final int PIXELS = 12;
    private static final int CLASSES = 3;

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[8]", "[8, 5]"})
    void tallyEqualsScoringEachMinibatchBeforeItsUpdate(String hiddenLayers) {
        ModelSpec spec = SettingsLoader.load(List.of("model.mlp.hidden-layers=" + hiddenLayers, "model.defaults.updater.learning-rate=0.05"))
                .models().stream().filter(m -> m.name().equals("mlp")).findFirst().orElseThrow();
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.configuration(spec, PIXELS, CLASSES));
        network.init();
        TallyAccumulator running = new TallyAccumulator();
        network.setListeners(new RunningTrainingMetrics(running));

        Random random = new Random(3);
        Tally expected = Tally.EMPTY;
        for (int step = 0; step < 5; step++) {
            DataSet batch = minibatch(random, 16);
            expected = expected.plus(CrossEntropy.tally(network.output(batch.getFeatures(), false), batch.getLabels()));
            network.fit(batch);
        }

        Tally actual = running.value();
        assertEquals(expected.count(), actual.count());
        assertEquals(expected.correct(), actual.correct());
        assertEquals(expected.lossSum(), actual.lossSum(), 1e-4 * expected.count());
    }

    @org.junit.jupiter.api.Test
    void accumulatorAddsMergesAndResets() {
        TallyAccumulator a = new TallyAccumulator();
        a.add(new Tally(1.5, 2, 4));
        TallyAccumulator b = a.copy();
        b.add(new Tally(0.5, 1, 4));
        a.merge(b);
        assertEquals(new Tally(3.5, 5, 12), a.value());
        a.reset();
        assertEquals(Tally.EMPTY, a.value());
        assertEquals(true, a.isZero());
    }

    private static DataSet minibatch(Random random, int n) {
        float[] features = new float[n * PIXELS];
        float[] labels = new float[n * CLASSES];
        for (int row = 0; row < n; row++) {
            int label = random.nextInt(CLASSES);
            labels[row * CLASSES + label] = 1;
            for (int p = 0; p < PIXELS; p++) {
                // Pixels that carry the label, so the network learns and its predictions change between steps.
                features[row * PIXELS + p] = (p % CLASSES == label ? 0.8f : 0.1f) + 0.2f * random.nextFloat();
            }
        }
        return new DataSet(Nd4j.create(features, new long[] {n, PIXELS}, DataType.FLOAT),
                Nd4j.create(labels, new long[] {n, CLASSES}, DataType.FLOAT));
    }
}
