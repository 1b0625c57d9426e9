package org.sparkmnist.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.model.ModelZip;
import org.sparkmnist.model.NetworkFactory;
import org.sparkmnist.store.StreamWriter;

/**
 * Small models in the training job's file layout, for tests of what scoring does with a model rather
 * than how well it predicts: a model.zip, and a committed run directory holding one; and a model as a
 * DL4J user builds it, from DL4J's own classes.
 */
public final class TinyModels {

    private TinyModels() {
    }

    /** The default recipe's softmax model (784 pixels, 10 classes, 7,850 parameters), freshly initialised. */
    public static MultiLayerNetwork softmax() {
        ModelSpec spec = SettingsLoader.load(List.of("models=[softmax]")).models().get(0);
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.configuration(spec, 784, 10));
        network.init();
        return network;
    }

    /**
     * A classifier of 784 pixels into 10 classes through 32 hidden units, built as a DL4J user builds it:
     * DL4J's own DenseLayer, OutputLayer and Adam. It has taken a few steps on random pixels, so that its
     * outputs and its optimizer's state are not those of a fresh network.
     */
    public static MultiLayerNetwork stockDl4j() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(10).activation(Activation.SOFTMAX).build())
                .build());
        network.init();
        Nd4j.getRandom().setSeed(5);
        for (int step = 0; step < 3; step++) {
            INDArray labels = Nd4j.zeros(DataType.FLOAT, 32, 10);
            for (int i = 0; i < 32; i++) {
                labels.putScalar(i, (i * 3 + step) % 10, 1f);
            }
            network.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 32, 784), labels));
        }
        return network;
    }

    /** {@code network} as the training job saves it, at {@code file}. */
    public static Path write(MultiLayerNetwork network, Path file) {
        return save(file, out -> ModelZip.write(network, out, true));
    }

    /** {@code network} as DL4J's ModelSerializer saves it, at {@code file}: a DL4J user's model, or one of earlier versions of the job. */
    public static Path writeWithModelSerializer(MultiLayerNetwork network, Path file) {
        return save(file, out -> ModelSerializer.writeModel(network, out, true));
    }

    private static Path save(Path file, StreamWriter writer) {
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                writer.writeTo(out);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A committed training run at {@code run} holding {@code network} as model {@code name}, whose
     * summary.json records {@code data.normalize}.
     */
    public static Path run(Path run, String name, MultiLayerNetwork network, boolean normalize) {
        write(network, run.resolve(name).resolve("model.zip"));
        try {
            Files.writeString(run.resolve("summary.json"), "{\"run_id\": \"" + run.getFileName() + "\", \"models\": {}, "
                    + "\"config\": {\"data\": {\"normalize\": " + normalize + "}}}\n");
            Files.writeString(run.resolve("_SUCCESS"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run;
    }
}
