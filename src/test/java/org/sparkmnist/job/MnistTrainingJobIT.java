package org.sparkmnist.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.data.MnistData;
import org.sparkmnist.data.MnistLoader;
import org.sparkmnist.data.MnistSplit;
import org.sparkmnist.output.ModelOutputs;
import org.sparkmnist.store.RunStore;
import org.sparkmnist.testing.LabelCounts;
import org.sparkmnist.testing.SavedModels;
import org.sparkmnist.testing.SummaryAccuracy;

/**
 * The whole job, in local mode, on the real MNIST files: a short run of both models must reach
 * the accuracy a few epochs give, write every output, and its saved models must score the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MnistTrainingJobIT {

    private static final String MNIST = System.getProperty("mnist.dir", "data/mnist");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Kept after the build: submit/test.sh executes the results notebook against this run. */
    private final Path output = Path.of("target", "it-runs").toAbsolutePath();

    private Path run;
    private JsonNode summary;
    private MnistData data;

    @BeforeAll
    void trainBothModelsForThreeEpochs() throws IOException {
        if (Files.exists(output)) {
            try (var files = Files.walk(output)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        int exit = MnistTrainingJob.execute(List.of("data.dir=" + MNIST, "output.dir=" + output,
                "run.id=it", "train.epochs=3", "spark.master=local[2]"));
        assertEquals(0, exit, "exit code");
        run = output.resolve("it");
        summary = JSON.readTree(run.resolve("summary.json").toFile());
        data = MnistLoader.load(SettingsLoader.load(List.of("data.dir=" + MNIST)).data(), new Configuration());
    }

    @Test
    void runIsCompleteAndLeavesNoScratch() {
        assertTrue(Files.exists(run.resolve("_SUCCESS")));
        assertTrue(Files.isRegularFile(run.resolve("report.html")));
        for (String model : List.of("softmax", "mlp")) {
            for (String file : List.of("model.zip", "metrics.csv", "accuracy.png", "loss.png", "confusion.csv", "classes.csv",
                    "misclassified.csv", "misclassified-images-idx3-ubyte")) {
                assertTrue(Files.isRegularFile(run.resolve(model).resolve(file)), model + "/" + file);
            }
        }
        assertFalse(Files.exists(output.resolve(RunStore.DIRECTORY)), "the attempt's scratch must be removed");
    }

    @Test
    void accuracyReachesWhatThreeEpochsShouldGive() {
        SummaryAccuracy.assertAtLeast(summary, 0.89, 0.96);
        assertEquals(7850, summary.at("/models/softmax/params").asLong());
        assertEquals(648010, summary.at("/models/mlp/params").asLong());
        assertEquals(3, summary.at("/models/mlp/epochs").asInt());
    }

    @Test
    void reloadedModelsScoreExactlyAsReported() throws IOException {
        DataSet test = SavedModels.testSet(MNIST, true, new Configuration());
        for (String model : List.of("softmax", "mlp")) {
            MultiLayerNetwork network = SavedModels.load(Files.newInputStream(run.resolve(model).resolve(ModelOutputs.MODEL_FILE)));
            assertEquals(summary.at("/models/" + model + "/test_accuracy").asDouble(), SavedModels.accuracy(network, test), 1e-9, model);
        }
    }

    @Test
    void metricsHaveOneRowPerEpochWithTheTutorialsColumns() throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("mlp/metrics.csv"));
        assertEquals("epoch,seconds,loss,accuracy,val_loss,val_accuracy", lines.get(0));
        assertEquals(4, lines.size());
        double lastValAccuracy = Double.parseDouble(lines.get(3).split(",")[5]);
        assertTrue(lastValAccuracy > 0.95, lines.get(3));
    }

    @Test
    void confusionMatrixCoversTheWholeTestSet() throws IOException {
        List<String> rows = Files.readAllLines(run.resolve("mlp/confusion.csv"));
        long total = rows.stream().skip(1).flatMap(r -> Arrays.stream(r.split(",")).skip(1)).mapToLong(Long::parseLong).sum();
        assertEquals(10000, total);
        assertEquals(11, rows.size());
    }

    @Test
    void accuracyPlotIsARealImage() throws IOException {
        BufferedImage image = ImageIO.read(run.resolve("mlp/accuracy.png").toFile());
        assertEquals(640, image.getWidth());
        assertEquals(420, image.getHeight());
    }

    @Test
    void summaryRecordsTheEffectiveConfig() {
        assertEquals("it", summary.at("/config/run/id").asText());
        assertEquals(3, summary.at("/config/train/epochs").asInt());
        assertTrue(summary.at("/config/data/normalize").asBoolean());
    }

    @Test
    void realSplitIsFiftyAndTenThousandAndDisjoint() {
        MnistSplit split = MnistSplit.of(data.trainImages().count(), SettingsLoader.load(List.of()).split());
        assertEquals(50000, split.train().length);
        assertEquals(10000, split.validation().length);
        Set<Integer> seen = new HashSet<>();
        Arrays.stream(split.train()).forEach(seen::add);
        assertTrue(Arrays.stream(split.validation()).noneMatch(seen::contains));
    }

    @Test
    void labelCountsAreMnists() {
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
                LabelCounts.of(data.trainLabels(), 10));
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009},
                LabelCounts.of(data.testLabels(), 10));
    }

    @Test
    void badDataFailsWithExitTwoAndKeepsTheEarlierRun() throws IOException {
        byte[] before = Files.readAllBytes(run.resolve("summary.json"));
        int exit = MnistTrainingJob.execute(List.of("data.dir=" + output.resolve("no-such-dir"), "output.dir=" + output, "run.id=it"));
        assertEquals(2, exit);
        assertArrayEquals(before, Files.readAllBytes(run.resolve("summary.json")));
    }
}
