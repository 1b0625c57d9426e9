package org.sparkmnist.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.MnistFiles;
import org.sparkmnist.testing.PlainDl4j;
import org.sparkmnist.testing.Scripts;
import org.sparkmnist.testing.StoreLayout;

/**
 * Every model the training job saves is a stock DL4J model: a program with nothing but DL4J on its
 * class path ({@link PlainDl4j}) opens each one with ModelSerializer, with and without its updater
 * state, and predicts every digit of the MNIST test set as the job did, with the run's exact
 * test_accuracy. One run of one epoch trains every kind of model the job builds: the softmax model and
 * the MLP, each with Adam and with RMSprop, and a softmax model with SGD, whose optimizer keeps no
 * state. A checkpoint is a saved model too: the MLP's, of its last epoch, is copied while the run
 * trains the models after it (the run removes its checkpoints when it commits).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlainDl4jScoresEverySavedModelIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = "plain";
    private static final List<String> MODELS = List.of("mlp", "softmax", "mlp-rmsprop", "softmax-rmsprop", "softmax-sgd");
    /** Each model's optimizer, by the name of its DL4J class. */
    private static final Map<String, String> UPDATERS = Map.of("mlp", "Adam", "softmax", "Adam", "mlp-rmsprop", "RmsProp",
            "softmax-rmsprop", "RmsProp", "softmax-sgd", "Sgd");
    /** The updater state each optimizer keeps per parameter. */
    private static final Map<String, Integer> STATE_PER_PARAMETER = Map.of("Adam", 2, "RmsProp", 1, "Sgd", 0);
    private static final String CHECKPOINT = "checkpoint of mlp";

    /** Kept after the build, with the job's run and the plain program's log. */
    private final Path work = Scripts.REPO.resolve("target/it-plain-dl4j");
    private final Path output = work.resolve("runs");
    private final Path checkpointCopy = work.resolve("mlp-epoch-0001.zip");

    private JsonNode summary;
    private byte[] labels;
    /** What the plain DL4J program made of each model (by name, and the checkpoint). */
    private final Map<String, Scored> scored = new LinkedHashMap<>();

    /** One "scored" line of ScoreWithPlainDl4j's output, for the model file {@code path}. */
    private record Scored(String path, List<String> layers, List<String> updaters, long stateLength, double accuracy, double loss,
                          List<Integer> predictions) {

        static Scored parse(String line) {
            String[] fields = line.split("\t");
            return new Scored(fields[1], List.of(fields[2].split(",")), List.of(fields[3].split(",")), Long.parseLong(fields[4]),
                    Double.parseDouble(fields[5]), Double.parseDouble(fields[6]), Stream.of(fields[7].split(",")).map(Integer::valueOf).toList());
        }
    }

    @BeforeAll
    void trainEveryKindOfModelThenScoreEachWithPlainDl4j() throws Exception {
        deleteRecursively(work);
        Thread copier = copyWhenWritten(() -> StoreLayout.checkpoint(output, RUN, "mlp/epoch-0001").map(dir -> dir.resolve("model.zip")),
                checkpointCopy);
        JobRuns.Result trained;
        try {
            trained = JobRuns.inProcess(List.of("data.dir=" + MnistFiles.directory(), "output.dir=" + output, "run.id=" + RUN,
                    "train.epochs=1", "spark.master=local[2]", "output.misclassified=10000",
                    "models=" + MODELS,
                    "model.mlp-rmsprop.hidden-layers=[500, 500]", "model.mlp-rmsprop.updater.name=rmsprop",
                    "model.softmax-rmsprop.updater.name=rmsprop",
                    "model.softmax-sgd.updater.name=sgd", "model.softmax-sgd.updater.learning-rate=0.1"));
        } finally {
            copier.interrupt();
            copier.join();
        }
        assertEquals(0, trained.exitCode(), trained.lastLine());
        assertTrue(Files.isRegularFile(checkpointCopy), "the MLP's checkpoint was not seen before the run removed it");
        Path run = output.resolve(RUN);
        summary = JSON.readTree(run.resolve("summary.json").toFile());
        Path testImages = MnistFiles.files().get(2);
        Path testLabels = MnistFiles.files().get(3);
        labels = new IdxReader(new Configuration()).readLabels(new org.apache.hadoop.fs.Path(testLabels.toUri()), 10).labels();

        List<String> args = new ArrayList<>(List.of(testImages.toString(), testLabels.toString(),
                Boolean.toString(summary.at("/config/data/normalize").asBoolean())));
        Map<String, String> names = new LinkedHashMap<>();
        for (String model : MODELS) {
            String file = run.resolve(model).resolve("model.zip").toString();
            args.add(file);
            names.put(file, model);
        }
        args.add(checkpointCopy.toString());
        names.put(checkpointCopy.toString(), CHECKPOINT);
        Scripts.Result plain = PlainDl4j.run(PlainDl4j.SCORER, args, work.resolve("plain-dl4j.log"), Duration.ofMinutes(10));
        assertEquals(0, plain.exitCode(), "the plain DL4J program failed:\n" + String.join("\n", plain.output().lines()
                .filter(line -> line.contains("Exception") || line.startsWith("Caused by") || line.contains("error:")).limit(8).toList()));
        plain.output().lines().filter(line -> line.startsWith("scored\t")).map(Scored::parse)
                .forEach(result -> scored.put(names.get(result.path()), result));
        assertEquals(names.size(), scored.size(), "one result per model file:\n" + plain.tail(30));
    }

    /** Copies the file {@code find} finds once it exists, on a thread of its own, until interrupted. */
    private static Thread copyWhenWritten(Supplier<Optional<Path>> find, Path copy) {
        Thread copier = new Thread(() -> {
            try {
                // The checkpoint's directory is renamed into place complete, so a model.zip there is whole.
                Optional<Path> file = find.get();
                while (file.isEmpty() || !Files.isRegularFile(file.get())) {
                    Thread.sleep(20);
                    file = find.get();
                }
                Files.copy(file.get(), copy, StandardCopyOption.REPLACE_EXISTING);
            } catch (InterruptedException | IOException | UncheckedIOException stopped) {
                // Interrupted: the run ended first; the test says so.
            }
        }, "checkpoint copier");
        copier.setDaemon(true);
        copier.start();
        return copier;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
    }

    private String modelOf(String name) {
        return name.equals(CHECKPOINT) ? "mlp" : name;
    }

    @Test
    void everyModelLoadsAsDl4jsOwnLayersAndOptimizer() {
        scored.forEach((name, result) -> {
            for (String layer : result.layers()) {
                assertTrue(layer.matches("org\\.deeplearning4j\\.nn\\.conf\\.layers\\.(DenseLayer|OutputLayer)/org\\.deeplearning4j\\..*"),
                        name + ": " + layer);
            }
            String updater = UPDATERS.get(modelOf(name));
            assertEquals(List.of("org.nd4j.linalg.learning.config." + updater + "/org.nd4j.linalg.learning." + updater + "Updater"),
                    result.updaters(), name);
        });
    }

    @Test
    void everyModelBringsItsOptimizerStateToPlainDl4j() {
        scored.forEach((name, result) -> {
            long params = summary.at("/models/" + modelOf(name) + "/params").asLong();
            assertEquals(STATE_PER_PARAMETER.get(UPDATERS.get(modelOf(name))) * params, result.stateLength(), name);
        });
    }

    @Test
    void everyModelScoresTheRunsExactTestAccuracyAndItsLoss() {
        scored.forEach((name, result) -> {
            JsonNode reported = summary.at("/models/" + modelOf(name));
            assertEquals(reported.get("test_accuracy").asDouble(), result.accuracy(), 0.0, name);
            assertEquals(reported.get("test_loss").asDouble(), result.loss(), 1e-5 * reported.get("test_loss").asDouble(), name);
        });
    }

    @Test
    void everyModelPredictsEachTestDigitAsTheJobDid() throws IOException {
        for (Map.Entry<String, Scored> entry : scored.entrySet()) {
            List<Integer> job = jobPredictions(modelOf(entry.getKey()));
            List<Integer> plain = entry.getValue().predictions();
            assertEquals(labels.length, plain.size(), entry.getKey());
            List<Integer> differing = new ArrayList<>();
            for (int i = 0; i < plain.size(); i++) {
                if (!plain.get(i).equals(job.get(i))) {
                    differing.add(i);
                }
            }
            assertEquals(List.of(), differing, entry.getKey() + ": test digits predicted otherwise than by the job");
        }
    }

    /** The job's prediction of every test digit: its label, unless misclassified.csv (all of them, here) says otherwise. */
    private List<Integer> jobPredictions(String model) throws IOException {
        List<Integer> predictions = new ArrayList<>();
        for (byte label : labels) {
            predictions.add(label & 0xFF);
        }
        List<String> rows = Files.readAllLines(output.resolve(RUN).resolve(model).resolve("misclassified.csv"));
        for (String row : rows.subList(1, rows.size())) {
            String[] fields = row.split(",");
            predictions.set(Integer.parseInt(fields[0]), Integer.valueOf(fields[2]));
        }
        return predictions;
    }
}
