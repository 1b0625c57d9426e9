package org.sparkmnist.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The accuracy the README promises, from the job's entry point on the real MNIST, whole runs:
 * with nothing but data.dir the job trains the tuned default of reference.conf, which must beat the
 * tutorial clearly; conf/tutorial.conf alone must reproduce the tutorial's numbers within 1.5 points.
 */
class RecipeAccuracyIT {

    private static final String MNIST = System.getProperty("mnist.dir", "data/mnist");
    private static final Path OUTPUT = Path.of("target", "it-accuracy").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The Keras tutorial's reported test accuracies, as its recipe records them. */
    private static final Config TUTORIAL = ConfigFactory.parseFile(new File("conf/tutorial.conf")).getConfig("reported.test-accuracy");
    private static final double TUTORIAL_TOLERANCE = 0.015;

    private static JsonNode run(String runId, String... recipe) throws IOException {
        List<String> args = new ArrayList<>(List.of(recipe));
        args.addAll(List.of("data.dir=" + MNIST, "output.dir=" + OUTPUT, "run.id=" + runId, "spark.master=local[2]"));
        assertEquals(0, MnistTrainingJob.execute(args), "exit code of " + args);
        return JSON.readTree(OUTPUT.resolve(runId).resolve("summary.json").toFile());
    }

    private static double accuracy(JsonNode summary, String model) {
        return summary.at("/models/" + model + "/test_accuracy").asDouble();
    }

    @Test
    void theDefaultRecipeBeatsTheTutorial() throws IOException {
        JsonNode summary = run("default");
        int epochs = ConfigFactory.parseResources("reference.conf").getInt("train.epochs");
        assertEquals(epochs, summary.at("/models/mlp/epochs").asInt(), "reference.conf's train.epochs: nothing but data.dir was given");
        assertTrue(accuracy(summary, "softmax") >= 0.920, "softmax test accuracy " + accuracy(summary, "softmax"));
        assertTrue(accuracy(summary, "mlp") >= 0.980, "mlp test accuracy " + accuracy(summary, "mlp"));
        assertEquals(TUTORIAL.getDouble("mlp"), summary.at("/models/mlp/tutorial_test_accuracy").asDouble(), "read against the tutorial");
    }

    @Test
    void theTutorialRecipeReproducesTheTutorial() throws IOException {
        JsonNode summary = run("tutorial", "conf/tutorial.conf");
        assertEquals(50, summary.at("/models/mlp/epochs").asInt(), "the tutorial's 50 epochs");
        assertWithinTutorial("softmax", accuracy(summary, "softmax"), TUTORIAL.getDouble("softmax"));
        assertWithinTutorial("mlp", accuracy(summary, "mlp"), TUTORIAL.getDouble("mlp"));
    }

    private static void assertWithinTutorial(String model, double accuracy, double tutorial) {
        assertTrue(Math.abs(accuracy - tutorial) <= TUTORIAL_TOLERANCE, String.format(Locale.ROOT,
                "%s test accuracy %.4f is not within %.1f points of the tutorial's %.3f", model, accuracy, TUTORIAL_TOLERANCE * 100, tutorial));
    }
}
