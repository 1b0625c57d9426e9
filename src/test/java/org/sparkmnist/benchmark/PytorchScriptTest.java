package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.data.MnistSplit;
import org.sparkmnist.testing.Scripts;

/**
 * submit/benchmark/pytorch_mlp.py on a tiny generated dataset: it must train on exactly the examples
 * Java's split chose, in Java's order, and report what the benchmark reads. Needs Debian's
 * python3-torch and python3-threadpoolctl (submit/test.sh installs them); skipped where they are not installed.
 */
class PytorchScriptTest {

    @BeforeAll
    static void pytorchIsInstalled() {
        Scripts.Result probe = Scripts.run(List.of(PytorchReference.PYTHON, "-c", "import torch, threadpoolctl"), Map.of(),
                Path.of("target", "pytorch-probe.log").toAbsolutePath(), Duration.ofMinutes(1));
        assumeTrue(probe.exitCode() == 0, "PyTorch or threadpoolctl is not installed for " + PytorchReference.PYTHON + ": " + probe.tail(1));
    }

    @TempDir
    static Path trained;
    private static JobSettings settings;
    private static Path result;
    private static JsonNode json;

    /** One two-epoch run of the script on gzipped data, which the tests below each read one thing of. */
    private static synchronized JsonNode trainedOnce() throws Exception {
        if (json == null) {
            PytorchReferenceTest.writeDataset(trained, true);
            settings = PytorchReferenceTest.settings(trained, "split.train=60", "split.validation=20", "split.seed=11",
                    "train.epochs=2", "train.batch-size=16", "model.mlp.hidden-layers=[32, 16]");
            Path recipe = trained.resolve("recipe.json");
            PytorchReference.write(settings, PytorchReferenceTest.mlp(settings), recipe);
            result = trained.resolve("result.json");
            Scripts.Result run = Scripts.run(PytorchReference.command(recipe, result, 1), PytorchReference.environment(1),
                    trained.resolve("pytorch.log"), Duration.ofMinutes(3));
            assertEquals(0, run.exitCode(), run.output());
            json = new ObjectMapper().readTree(result.toFile());
        }
        return json;
    }

    @Test
    void trainsAndValidatesOnTheExamplesOfJavasSplitInItsOrder() throws Exception {
        JsonNode json = trainedOnce();
        MnistSplit split = MnistSplit.of(PytorchReferenceTest.TRAIN_FILE, settings.split());
        IdxReader reader = new IdxReader(new Configuration());
        IdxImages images = reader.readImages(reader.locate(trained.toString(), "train-images-idx3-ubyte"), 28, 28);
        IdxLabels labels = reader.readLabels(reader.locate(trained.toString(), "train-labels-idx1-ubyte"), 10);
        assertEquals(digest(images, labels, split.train()), json.path("train_digest").asText());
        assertEquals(digest(images, labels, split.validation()), json.path("validation_digest").asText());
    }

    @Test
    void reportsEachEpochAsTheBenchmarkReadsIt() throws Exception {
        JsonNode json = trainedOnce();
        assertEquals(2, json.path("val_accuracy").size(), json.toString());
        assertEquals(2, RunResults.ofResultFile(result).epochSeconds().size());
    }

    @Test
    void runsOnDebiansOpenMpOpenBlasInTheBenchmarksEnvironment() throws Exception {
        // As threadpoolctl found it loaded under PyTorch.
        JsonNode json = trainedOnce();
        assertTrue(json.path("blas").asText().contains("/openblas-openmp/"), "PyTorch's BLAS: " + json.path("blas").asText());
        assertEquals("openmp", json.path("blas_threading").asText(), "OpenBLAS's threading layer: " + json);
    }

    @Test
    void theBenchmarkDescribesHowItRan() throws Exception {
        trainedOnce();
        assertTrue(PytorchReference.describe(result).contains("threads"), PytorchReference.describe(result));
    }

    @Test
    void aRecipeNamingAMissingFileFailsWithExitCode2(@TempDir Path dir) throws Exception {
        PytorchReferenceTest.writeDataset(dir, false);
        JobSettings settings = PytorchReferenceTest.settings(dir, "split.train=60", "split.validation=20");
        Path recipe = dir.resolve("recipe.json");
        PytorchReference.write(settings, PytorchReferenceTest.mlp(settings), recipe);
        Files.delete(dir.resolve("test-pixels"));

        Scripts.Result run = Scripts.run(PytorchReference.command(recipe, dir.resolve("result.json"), 1), Map.of(),
                dir.resolve("pytorch.log"), Duration.ofMinutes(3));
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.tail(1).contains("test-pixels") && run.tail(1).contains("cannot be read"), run.output());
        assertTrue(Files.notExists(dir.resolve("result.json")));
    }

    /** What the script hashes: the split's pixels in order, then its labels in order. */
    private static String digest(IdxImages images, IdxLabels labels, int[] indices) throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(images.gather(indices, 0, indices.length));
        sha.update(labels.gather(indices, 0, indices.length));
        return HexFormat.of().formatHex(sha.digest());
    }
}
