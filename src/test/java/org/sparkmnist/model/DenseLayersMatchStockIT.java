package org.sparkmnist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkmnist.config.DataSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.testing.MnistFiles;

/**
 * On real MNIST minibatches (the first training images, encoded as the job encodes them), the
 * networks NetworkFactory builds compute what the same networks with DL4J's own layers and
 * optimizers compute: outputs, loss and gradients, and the parameters after a run of Adam steps.
 */
class DenseLayersMatchStockIT {

    private static final int BATCH = 128;
    private static final int BATCHES = 20;

    private static List<DataSet> minibatches;

    @BeforeAll
    static void readMnist() throws Exception {
        DataSettings data = SettingsLoader.load(List.of("data.dir=" + MnistFiles.directory())).data();
        IdxReader reader = new IdxReader(new Configuration());
        IdxImages images = reader.readImages(reader.locate(data.dir(), data.trainImages()), data.rows(), data.cols());
        IdxLabels labels = reader.readLabels(reader.locate(data.dir(), data.trainLabels()), data.classes());
        Encoding encoding = Encoding.of(data);
        int[] first = new int[BATCH * BATCHES];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        minibatches = new ArrayList<>();
        for (int from = 0; from < first.length; from += BATCH) {
            minibatches.add(encoding.encode(images.gather(first, from, from + BATCH), labels.gather(first, from, from + BATCH), BATCH,
                    images.pixelsPerImage()));
        }
    }

    @Test
    void outputsLossAndGradientsMatchStockOnRealMinibatches() {
        MultiLayerNetwork[] networks = DenseLayersMatchStockTest.oursAndStock(DenseLayersMatchStockTest.mlp());
        for (int i = 0; i < 3; i++) {
            DataSet batch = minibatches.get(i);
            DenseLayersMatchStockTest.assertClose(networks[1].output(batch.getFeatures(), false), networks[0].output(batch.getFeatures(), false),
                    "minibatch " + i + ": output");
            DenseLayersMatchStockTest.assertSameStep(networks[0], networks[1], batch, "minibatch " + i);
        }
    }

    @Test
    void adamStepsOnRealMinibatchesLeaveTheSameParameters() {
        MultiLayerNetwork[] networks = DenseLayersMatchStockTest.oursAndStock(DenseLayersMatchStockTest.mlp());
        MultiLayerNetwork start = DenseLayersMatchStockTest.oursAndStock(DenseLayersMatchStockTest.mlp())[1];
        for (int step = 0; step < minibatches.size(); step++) {
            networks[0].fit(minibatches.get(step));
            networks[1].fit(minibatches.get(step));
            assertEquals(networks[1].score(), networks[0].score(), Math.abs(networks[1].score()) * 1e-3, "loss after step " + step);
        }
        double drift = networks[0].params().sub(networks[1].params()).norm2Number().doubleValue();
        double travelled = networks[1].params().sub(start.params()).norm2Number().doubleValue();
        assertTrue(drift < 1e-3 * travelled, "ours and stock drifted " + drift + " apart over a path of length " + travelled);
    }
}
