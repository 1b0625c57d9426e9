package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.TinyModels;

/** The one-JVM scoring baseline predicts what the model predicts on the whole input at once, in the run's own normalisation. */
class SingleJvmScoringTest {

    private static final int IMAGES = 50;
    private static MultiLayerNetwork network;
    private static byte[] pixels;
    private static byte[] labels;

    @TempDir
    Path dir;

    @BeforeAll
    static void aModelAndImages() {
        network = TinyModels.softmax();
        // Random biases too: with the initial zero biases, scaling the pixels would not change any prediction.
        float[] params = new float[(int) network.numParams()];
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * 0.1);
        }
        network.setParams(Nd4j.create(params, new long[] {1, params.length}));
        pixels = new byte[IMAGES * 784];
        new java.util.Random(11).nextBytes(pixels);
        labels = new byte[IMAGES];
        // Labels are the model's own predictions on raw pixels for the first half, so accuracy is neither 0 nor 1 by chance.
        int[] predicted = network.output(new Encoding(10, false).features(pixels, IMAGES, 784), false).argMax(1).toIntVector();
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = (byte) (i < IMAGES / 2 ? predicted[i] : (predicted[i] + 1) % 10);
        }
    }

    private JsonNode score(boolean normalize, int batchSize) throws Exception {
        Path run = TinyModels.run(dir.resolve("run-" + normalize), "softmax", network, normalize);
        Path images = IdxFiles.write(dir.resolve("images"), IdxFiles.images(28, 28, pixels));
        Path labelFile = IdxFiles.write(dir.resolve("labels"), IdxFiles.labels(labels));
        String json = SingleJvmScoring.run(SettingsLoader.loadScoring(List.of("score.model.run=" + run, "score.model.name=softmax",
                "score.input.path=" + images, "score.input.labels=" + labelFile, "score.batch-size=" + batchSize, "run.id=x")));
        return new ObjectMapper().readTree(json);
    }

    private static double expectedAccuracy(boolean normalize) {
        INDArray out = network.output(new Encoding(10, normalize).features(pixels, IMAGES, 784), false);
        int[] predicted = out.argMax(1).toIntVector();
        long correct = 0;
        for (int i = 0; i < IMAGES; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / IMAGES;
    }

    @Test
    void minibatchesOfTheConfiguredSizeGiveTheAccuracyOfTheWholeSetAtOnce() throws Exception {
        // 50 images in minibatches of 16: three full ones and a short one.
        JsonNode result = score(false, 16);
        assertEquals(IMAGES, result.path("inputs").asInt());
        assertEquals(16, result.path("batch_size").asInt());
        assertEquals(expectedAccuracy(false), result.path("accuracy").asDouble(), 0.0);
        assertEquals(0.5, result.path("accuracy").asDouble(), 0.0);
        assertTrue(result.path("scoring_seconds").asDouble() > 0);
        assertEquals(IMAGES / result.path("scoring_seconds").asDouble(), result.path("images_per_second").asDouble(), 1e-6);
    }

    @Test
    void pixelsAreEncodedAsTheRunWasTrained() throws Exception {
        assertNotEquals(expectedAccuracy(false), expectedAccuracy(true), "the model tells the two encodings apart");
        JsonNode result = score(true, 256);
        assertTrue(result.path("normalize").asBoolean());
        assertEquals(expectedAccuracy(true), result.path("accuracy").asDouble(), 0.0);
    }

    @Test
    void anInputThatIsNotAnIdxFileIsBadInput() {
        Path run = TinyModels.run(dir.resolve("run"), "softmax", network, true);
        assertThrows(BadInputException.class, () -> SingleJvmScoring.run(SettingsLoader.loadScoring(List.of("score.model.run=" + run,
                "score.model.name=softmax", "score.input.path=" + dir, "run.id=x"))));
    }
}
