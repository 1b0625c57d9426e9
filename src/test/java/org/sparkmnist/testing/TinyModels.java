package org.sparkmnist.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.model.NetworkFactory;

/**
 * Untrained models in the training job's file layout, for tests of what scoring does with a model
 * rather than how well it predicts: a model.zip, and a committed run directory holding one.
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

    /** {@code network} as the training job saves it, at {@code file}. */
    public static Path write(MultiLayerNetwork network, Path file) {
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                ModelSerializer.writeModel(network, out, true);
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
