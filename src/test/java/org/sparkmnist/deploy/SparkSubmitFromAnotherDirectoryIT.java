package org.sparkmnist.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sparkmnist.testing.IsolatedCluster;
import org.sparkmnist.testing.MnistFiles;
import org.sparkmnist.testing.Scripts;

/**
 * submit/spark-submit.sh run from a directory of the user's own, not the checkout, with the real
 * spark-submit (pyspark's Spark) in client mode: relative paths mean that directory, for spark-submit
 * (--properties-file) and for the job (data.dir, output.dir). A short run in local mode: the softmax
 * model for one epoch on 5,000 examples of real MNIST.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkSubmitFromAnotherDirectoryIT {

    private static final Path CALLER = Scripts.REPO.resolve("target/it-spark-submit-elsewhere");
    private static final String RUN = "from-elsewhere";

    private Scripts.Result submit;
    private JsonNode summary;

    @BeforeAll
    void submitFromAnotherDirectory() throws IOException {
        Path jar = Scripts.clusterJar();
        IsolatedCluster.deleteRecursively(CALLER);
        Files.createDirectories(CALLER);
        // A master no other source gives: the run shows whether spark-submit read this file.
        Files.writeString(CALLER.resolve("spark.properties"), "spark.master local[2]\n");
        Files.createSymbolicLink(CALLER.resolve("mnist"), MnistFiles.directory());

        submit = Scripts.runIn(CALLER, List.of(Scripts.REPO.resolve("submit/spark-submit.sh").toString(),
                        "--properties-file", "spark.properties",
                        "models=[softmax]", "train.epochs=1", "split.train=5000", "split.validation=1000",
                        "data.dir=mnist", "output.dir=runs", "run.id=" + RUN),
                Map.of("SPARK_MNIST_JAR", jar.toString()), Scripts.REPO.resolve("target/it-logs/spark-submit-elsewhere.log"),
                Duration.ofMinutes(10));
        Path summaryFile = CALLER.resolve("runs").resolve(RUN).resolve("summary.json");
        if (Files.isRegularFile(summaryFile)) {
            summary = new ObjectMapper().readTree(summaryFile.toFile());
        }
    }

    @Test
    void aRelativePropertiesFileIsReadFromTheCallersDirectory() {
        assertEquals(0, submit.exitCode(), "spark-submit.sh failed:\n" + submit.tail(40));
        assertEquals("local[2]", summary.at("/environment/spark_master").asText(), "the master spark.properties names");
    }

    @Test
    void relativeDataAndOutputDirectoriesAreTheCallersInClientMode() {
        assertEquals(0, submit.exitCode(), "spark-submit.sh failed:\n" + submit.tail(40));
        // The checkout has no mnist/ at its top: the data were read through the caller's link, real digits
        // that one short epoch already classifies far above chance (0.1).
        assertEquals("mnist", summary.at("/config/data/dir").asText());
        assertTrue(summary.at("/models/softmax/test_accuracy").asDouble() > 0.5, summary.at("/models/softmax").toString());
        assertTrue(Files.exists(CALLER.resolve("runs").resolve(RUN).resolve("_SUCCESS")), "the run in the caller's runs/");
        assertFalse(Files.exists(Scripts.REPO.resolve("runs").resolve(RUN)), "nothing in the checkout's runs/");
    }
}
