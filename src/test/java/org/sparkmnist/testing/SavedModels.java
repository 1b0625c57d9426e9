package org.sparkmnist.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.data.MnistData;
import org.sparkmnist.data.MnistLoader;

/** What a user does with a finished run: reload a saved model and score it on the MNIST test set. */
public final class SavedModels {

    private SavedModels() {
    }

    /** A model.zip as the job wrote it, read the way users are told to read it. */
    public static MultiLayerNetwork load(InputStream modelZip) throws IOException {
        try (InputStream in = modelZip) {
            return ModelSerializer.restoreMultiLayerNetwork(in, true);
        }
    }

    /** The 10,000 test examples of {@code dataDir} (a path or any Hadoop URI), encoded as a run with {@code normalize} encoded them. */
    public static DataSet testSet(String dataDir, boolean normalize, Configuration hadoop) {
        MnistData data = MnistLoader.load(SettingsLoader.load(List.of("data.dir=" + dataDir)).data(), hadoop);
        return new Encoding(10, normalize).encodeAll(data.testImages(), data.testLabels());
    }

    /** Fraction of {@code test} whose most probable class is the labelled one. */
    public static double accuracy(MultiLayerNetwork network, DataSet test) {
        INDArray predicted = network.output(test.getFeatures(), false).argMax(1);
        INDArray actual = test.getLabels().argMax(1);
        long correct = 0;
        for (long i = 0; i < predicted.length(); i++) {
            if (predicted.getLong(i) == actual.getLong(i)) {
                correct++;
            }
        }
        return (double) correct / predicted.length();
    }
}
