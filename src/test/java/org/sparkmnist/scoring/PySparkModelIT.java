package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.testing.Images;
import org.sparkmnist.testing.IsolatedCluster;
import org.sparkmnist.testing.Scripts;
import org.sparkmnist.testing.TinyModels;

/**
 * The PySpark wrapper (src/main/python/spark_mnist.py) as a user's PySpark program meets it, with the
 * pinned pyspark and the cluster jar: src/test/python/score_with_wrapper.py scores generated digits
 * through it, evaluates with MLlib, saves and loads the model, and reports what it saw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PySparkModelIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DIGITS = 30;
    private static final Path DIR = Scripts.REPO.resolve("target/it-pyspark-model");

    /** The network's probabilities for each digit, by its id. */
    private final Map<String, float[]> expected = new HashMap<>();
    private int correct;
    private JsonNode result;

    @BeforeAll
    void scoreThroughTheWrapper() throws IOException {
        IsolatedCluster.deleteRecursively(DIR);
        Files.createDirectories(DIR);
        MultiLayerNetwork network = TinyModels.softmax();
        Path run = TinyModels.run(DIR.resolve("run"), "mlp", network, true);
        Random random = new Random(11);
        ArrayNode digits = JSON.createArrayNode();
        for (int i = 0; i < DIGITS; i++) {
            byte[] digit = Images.mnistLikeDigit(random);
            float[] probabilities = network.output(new Encoding(10, true).features(digit, 1, 784), false).toFloatVector();
            int predicted = 0;
            for (int c = 1; c < probabilities.length; c++) {
                predicted = probabilities[c] > probabilities[predicted] ? c : predicted;
            }
            // Labels the network gets right two times in three: a row scored against another row's label would show.
            int label = i % 3 == 0 ? (predicted + 1) % 10 : predicted;
            correct += label == predicted ? 1 : 0;
            expected.put("d" + i, probabilities);
            ObjectNode node = digits.addObject().put("id", "d" + i).put("label", label);
            ArrayNode pixels = node.putArray("pixels");
            for (byte b : digit) {
                pixels.add(b & 0xFF);
            }
        }
        Path digitsFile = Files.writeString(DIR.resolve("digits.json"), JSON.writeValueAsString(digits));

        Scripts.Result venv = Scripts.run(List.of("submit/python-env.sh", "spark"), Map.of(), DIR.resolve("python-env.log"), Duration.ofMinutes(15));
        assertEquals(0, venv.exitCode(), "submit/python-env.sh spark failed:\n" + venv.tail(20));
        Path python = Path.of(venv.output().lines().reduce((a, b) -> b).orElseThrow().strip(), "bin", "python");
        Path resultFile = DIR.resolve("result.json");
        Scripts.Result scored = Scripts.run(List.of(python.toString(), "src/test/python/score_with_wrapper.py", Scripts.clusterJar().toString(),
                        run.toString(), digitsFile.toString(), resultFile.toString(), DIR.resolve("saved").toString()),
                Map.of("PYTHONPATH", Scripts.REPO.resolve("src/main/python").toString(), "PYSPARK_PYTHON", python.toString(),
                        // The driver JVM as submit/spark-submit.sh starts it: the project's JVM flags and JavaCPP cache.
                        "SPARK_SUBMIT_OPTS", "@" + Scripts.REPO.resolve("submit/java17.args") + " -Dorg.bytedeco.javacpp.cachedir="
                                + Scripts.REPO.resolve("target/javacpp-cache")),
                DIR.resolve("pyspark.log"), Duration.ofMinutes(10));
        assertEquals(0, scored.exitCode(), "the PySpark program failed:\n" + scored.tail(40));
        result = JSON.readTree(resultFile.toFile());
    }

    private void assertScoredByTheNetwork(JsonNode probabilities) {
        assertEquals(DIGITS, probabilities.size());
        expected.forEach((id, p) -> {
            for (int c = 0; c < p.length; c++) {
                assertEquals(p[c], probabilities.get(id).get(c).asDouble(), 1e-6, id + ", class " + c);
            }
        });
    }

    @Test
    void theWrapperScoresEachDigitAsTheNetworkDoes() {
        assertScoredByTheNetwork(result.get("probabilities"));
    }

    @Test
    void mllibsEvaluatorInPythonReadsTheWrappersOutput() {
        assertEquals((double) correct / DIGITS, result.get("accuracy").asDouble());
    }

    @Test
    void theJvmModelsDefaultsAreThePythonParamsDefaults() {
        assertEquals("{\"predictionCol\":\"prediction\",\"rejectionCol\":\"rejection\",\"invert\":\"auto\",\"maxPixels\":50000000}",
                result.get("defaults").toString());
    }

    @Test
    void aModelSavedFromPythonLoadsBackWithItsParamsAndScoresTheSame() {
        assertEquals(3, result.get("loaded_batch_size").asInt());
        assertScoredByTheNetwork(result.get("loaded_probabilities"));
    }
}
