package org.sparkmnist.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The job on another dataset of MNIST's format: Fashion-MNIST as Debian's dataset-fashion-mnist
 * installs it (gzipped idx files, which submit/test.sh installs), through conf/fashion-mnist.conf
 * and nothing else, trains the default recipe to about the dataset's published baselines.
 */
class FashionMnistIT {

    private static final Path CONF = Path.of("conf", "fashion-mnist.conf");
    private static final Path OUTPUT = Path.of("target", "it-fashion").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDefaultRecipeLearnsFashionMnistFromTheDebianPackage() throws IOException {
        Path data = Path.of(ConfigFactory.parseFile(CONF.toFile()).getString("data.dir"));
        assertTrue(Files.isRegularFile(data.resolve("train-images-idx3-ubyte.gz")),
                data + " lacks Fashion-MNIST: install the Debian package dataset-fashion-mnist (submit/test.sh does)");

        List<String> args = List.of(CONF.toString(), "output.dir=" + OUTPUT, "run.id=fashion", "spark.master=local[2]");
        assertEquals(0, MnistTrainingJob.execute(args), "exit code of " + args);

        JsonNode summary = JSON.readTree(OUTPUT.resolve("fashion").resolve("summary.json").toFile());
        // Measured 84.2% and 89.0%; logistic regression and an MLP reach about 84% and 87-88% on it.
        double softmax = summary.at("/models/softmax/test_accuracy").asDouble();
        double mlp = summary.at("/models/mlp/test_accuracy").asDouble();
        assertTrue(softmax >= 0.83, "softmax test accuracy on Fashion-MNIST " + softmax);
        assertTrue(mlp >= 0.88, "mlp test accuracy on Fashion-MNIST " + mlp);
        assertEquals(data.toString(), summary.at("/config/data/dir").asText(), "the data the run records");
        // The Keras tutorial's numbers are MNIST's: they are not shown beside a Fashion-MNIST run.
        assertTrue(summary.at("/models/mlp/tutorial_test_accuracy").isMissingNode(), summary.at("/models/mlp").toString());

        // Its classes go by the names conf/fashion-mnist.conf gives them, in the tables and the report.
        List<String> classes = Files.readAllLines(OUTPUT.resolve("fashion/mlp/classes.csv"));
        assertTrue(classes.get(1).startsWith("0,") && classes.get(1).endsWith(",T-shirt/top"), classes.get(1));
        assertTrue(classes.get(10).startsWith("9,") && classes.get(10).endsWith(",Ankle boot"), classes.get(10));
        String report = Files.readString(OUTPUT.resolve("fashion/report.html"));
        assertTrue(report.contains("<th>true \\ predicted</th><th>T-shirt/top</th><th>Trouser</th>"), "the report's confusion matrices");
    }
}
