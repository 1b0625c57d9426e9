package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
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

/**
 * The one-JVM scoring baseline predicts what the model predicts on the whole input at once, in the
 * run's own normalisation, from an idx file or from the same images as a directory of PNG files.
 */
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
        // A black margin, as MNIST's digits have: the job's decoder reads such a 28x28 grey image byte for byte.
        for (int i = 0; i < pixels.length; i++) {
            int row = i % 784 / 28;
            int col = i % 28;
            if (row < 4 || row >= 24 || col < 4 || col >= 24) {
                pixels[i] = 0;
            }
        }
        labels = new byte[IMAGES];
        // Labels are the model's own predictions on raw pixels for the first half, so accuracy is neither 0 nor 1 by chance.
        int[] predicted = network.output(new Encoding(10, false).features(pixels, IMAGES, 784), false).argMax(1).toIntVector();
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = (byte) (i < IMAGES / 2 ? predicted[i] : (predicted[i] + 1) % 10);
        }
    }

    private JsonNode score(boolean normalize, int batchSize) throws Exception {
        Path images = IdxFiles.write(dir.resolve("images"), IdxFiles.images(28, 28, pixels));
        Path labelFile = IdxFiles.write(dir.resolve("labels"), IdxFiles.labels(labels));
        return score(normalize, batchSize, images, labelFile);
    }

    private JsonNode score(boolean normalize, int batchSize, Path input, Path labelFile) throws Exception {
        Path run = TinyModels.run(dir.resolve("run-" + normalize), "softmax", network, normalize);
        String json = SingleJvmScoring.run(SettingsLoader.loadScoring(List.of("score.model.run=" + run, "score.model.name=softmax",
                "score.input.path=" + input, "score.input.labels=" + labelFile, "score.batch-size=" + batchSize, "run.id=x")));
        return new ObjectMapper().readTree(json);
    }

    /** The images as {@link PngDigits} writes them for the benchmark: the directory, and its labels CSV beside it. */
    private Path pngs() throws Exception {
        Path parent = Files.createDirectories(dir.resolve("pngs"));
        try (PngDigits out = PngDigits.create(parent, IMAGES, 28, 28)) {
            for (int i = 0; i < IMAGES; i++) {
                out.add(java.util.Arrays.copyOfRange(pixels, i * 784, (i + 1) * 784), labels[i]);
            }
        }
        return parent;
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
    void aDirectoryOfPngFilesScoresAsTheIdxFileOfTheSameImages() throws Exception {
        // 50 files in minibatches of 16, as the idx file is scored: the same predictions, so the same correct count.
        Path parent = pngs();
        JsonNode png = score(true, 16, parent.resolve(PngDigits.DIRECTORY), parent.resolve(PngDigits.LABELS));
        JsonNode idx = score(true, 16);
        assertEquals(IMAGES, png.path("inputs").asInt());
        assertEquals(0, png.path("rejects").asInt());
        assertEquals(IMAGES, png.path("labelled").asInt());
        assertEquals(idx.path("correct").asLong(), png.path("correct").asLong());
        assertEquals(expectedAccuracy(true), png.path("accuracy").asDouble(), 0.0);
    }

    @Test
    void aFileTheJobsDecoderRefusesIsARejectAndHiddenFilesAreNotInputs() throws Exception {
        Path parent = pngs();
        Files.writeString(parent.resolve(PngDigits.DIRECTORY).resolve("notes.png"), "remember to scan the rest\n");
        Files.writeString(parent.resolve(PngDigits.DIRECTORY).resolve(".notes.png.crc"), "a checksum, as Hadoop's local filesystem writes");
        JsonNode result = score(false, 256, parent.resolve(PngDigits.DIRECTORY), parent.resolve(PngDigits.LABELS));
        assertEquals(IMAGES + 1, result.path("inputs").asInt(), "the 50 images and notes.png, as the job counts its inputs");
        assertEquals(1, result.path("rejects").asInt());
        assertEquals(IMAGES, result.path("labelled").asInt());
        assertEquals(expectedAccuracy(false), result.path("accuracy").asDouble(), 0.0);
    }

    @Test
    void filesInSubdirectoriesAreInputsNamedByTheirRelativePathAndHiddenDirectoriesAreNot() throws Exception {
        Path parent = pngs();
        Path png = parent.resolve(PngDigits.DIRECTORY);
        Path first;
        try (java.util.stream.Stream<Path> files = Files.list(png)) {
            first = files.sorted().findFirst().orElseThrow();
        }
        Files.move(first, Files.createDirectories(png.resolve("batch-2")).resolve(first.getFileName()));
        Files.copy(png.resolve("batch-2").resolve(first.getFileName()), Files.createDirectories(png.resolve("_temporary")).resolve("x.png"));
        List<String> csv = new java.util.ArrayList<>(Files.readAllLines(parent.resolve(PngDigits.LABELS)));
        csv.set(1, "batch-2/" + csv.get(1));
        Files.write(parent.resolve(PngDigits.LABELS), csv);
        JsonNode result = score(true, 16, png, parent.resolve(PngDigits.LABELS));
        assertEquals(IMAGES, result.path("inputs").asInt(), "the moved file counts once, the one under _temporary not at all");
        assertEquals(IMAGES, result.path("labelled").asInt(), "batch-2/... is labelled by its path relative to the directory");
        assertEquals(expectedAccuracy(true), result.path("accuracy").asDouble(), 0.0);
    }

    @Test
    void anInputThatIsNeitherAnIdxFileNorADirectoryIsBadInput() throws Exception {
        Path run = TinyModels.run(dir.resolve("run"), "softmax", network, true);
        Path text = Files.writeString(dir.resolve("digits.txt"), "not an idx file\n");
        assertThrows(BadInputException.class, () -> SingleJvmScoring.run(SettingsLoader.loadScoring(List.of("score.model.run=" + run,
                "score.model.name=softmax", "score.input.path=" + text, "run.id=x"))));
    }
}
