package org.sparkmnist.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.sparkmnist.config.DataSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.data.IdxReader;

/**
 * The benchmark's scoring-throughput table: a trained run's MLP applied to each input size by one
 * JVM's {@code MultiLayerNetwork.output} ({@link SingleJvmScoring}), by the scoring job in local mode
 * ({@code submit/score-local.sh}) and on the two-worker standalone cluster ({@code submit/spark-submit.sh
 * --class}), every one from the same arguments: the user's job config, then the model, the input and
 * its labels, so the minibatch size and the normalisation are the same everywhere.
 */
final class ScoringThroughput {

    private static final String SCORING_JOB = "org.sparkmnist.scoring.MnistScoringJob";

    /** Runs one measured command, as {@link Benchmark#measure} does. */
    @FunctionalInterface
    interface Measurer {
        MeasuredProcess.Outcome measure(String name, List<String> command, Map<String, String> environment, String logName)
                throws IOException, InterruptedException;
    }

    private final Path work;
    private final List<String> jobArgs;
    private final boolean cluster;
    private final Measurer measurer;

    ScoringThroughput(Path work, List<String> jobArgs, boolean cluster, Measurer measurer) {
        this.work = work;
        this.jobArgs = List.copyOf(jobArgs);
        this.cluster = cluster;
        this.measurer = measurer;
    }

    /** The input of each size, made from the test set of {@code dataDir} ({@link ScoringImages}), in ascending order. */
    static Map<Integer, Path> writeInputs(Path work, String dataDir, DataSettings data, List<Integer> sizes) throws IOException {
        Map<Integer, Path> inputs = new TreeMap<>();
        IdxReader reader = new IdxReader(new Configuration());
        for (int images : sizes) {
            Path dir = work.resolve("scoring-images").resolve(String.valueOf(images)).toAbsolutePath();
            inputs.put(images, ScoringImages.write(reader.locate(dataDir, data.testImages()), reader.locate(dataDir, data.testLabels()), images,
                    dir));
        }
        return inputs;
    }

    /**
     * Measures every configuration on every input with model {@value Benchmark#MODEL} of the run
     * {@code model} ({@code origin} says where it came from) and returns the table with its notes.
     * The cluster is started once, for all sizes.
     */
    String table(Path model, String origin, Map<Integer, Path> inputs) throws Exception {
        Map<Integer, ScoringMeasurement> single = new TreeMap<>();
        Map<Integer, ScoringMeasurement> local = new TreeMap<>();
        Map<Integer, ScoringMeasurement> clustered = new TreeMap<>();
        for (Map.Entry<Integer, Path> input : inputs.entrySet()) {
            single.put(input.getKey(), singleJvm(input.getKey(), arguments(model, input.getValue())));
            local.put(input.getKey(), job("Spark local mode, " + Benchmark.CORES + " task slots", "scoring-local-" + input.getKey(), false,
                    arguments(model, input.getValue())));
        }
        if (cluster) {
            try (StandaloneCluster ignored = StandaloneCluster.start(work.resolve("logs/cluster.log"))) {
                for (Map.Entry<Integer, Path> input : inputs.entrySet()) {
                    clustered.put(input.getKey(), job("Spark standalone cluster, 2 workers", "scoring-cluster-" + input.getKey(), true,
                            arguments(model, input.getValue())));
                }
            }
        }
        List<ScoringComparison> sizes = new ArrayList<>();
        for (int images : inputs.keySet()) {
            sizes.add(new ScoringComparison(images, single.get(images), local.get(images), Optional.ofNullable(clustered.get(images))));
        }
        return BenchmarkReport.scoring(sizes, notes(model, origin, arguments(model, inputs.values().iterator().next())));
    }

    /** The user's job config, then the model, the input and its labels: what every configuration is given. */
    private List<String> arguments(Path model, Path input) {
        List<String> args = new ArrayList<>(jobArgs);
        args.addAll(List.of("score.model.run=" + model, "score.model.name=" + Benchmark.MODEL,
                "score.input.path=" + input.resolve(ScoringImages.IMAGES), "score.input.labels=" + input.resolve(ScoringImages.LABELS)));
        return args;
    }

    /** One JVM applying the model with {@code model.output}: no Spark anywhere. */
    private ScoringMeasurement singleJvm(int images, List<String> arguments) throws Exception {
        Path result = work.resolve("scoring-single-" + images + ".json");
        Files.deleteIfExists(result);
        List<String> command = new ArrayList<>(Jvm.command(SingleJvmScoring.class));
        command.addAll(List.of("--result", result.toString()));
        command.addAll(arguments);
        Map<String, String> environment = new HashMap<>(Jvm.environment());
        // ND4J's own threads on every core, as the plain-fit baseline: the single-machine alternative at its best.
        environment.put("OMP_NUM_THREADS", System.getenv("BASELINE_OMP_NUM_THREADS"));
        String name = "one JVM, DL4J model.output";
        return ScoringMeasurement.read(name, result, measurer.measure(name + ", " + images + " images", command, environment,
                "scoring-single-" + images));
    }

    /** The scoring job through the user's own entry points: score-local.sh, or spark-submit.sh --class on the cluster. */
    private ScoringMeasurement job(String name, String runId, boolean onCluster, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(onCluster ? List.of("submit/spark-submit.sh", "--class", SCORING_JOB, "--master", Benchmark.MASTER)
                : List.of("submit/score-local.sh"));
        Path scores = work.resolve("scores").toAbsolutePath();
        command.addAll(arguments);
        command.addAll(List.of("output.dir=" + scores, "run.id=" + runId, "output.mode=overwrite"));
        return ScoringMeasurement.read(name, scores.resolve(runId).resolve("summary.json"),
                measurer.measure(name + ", " + runId, command, Map.of(), runId));
    }

    private List<String> notes(Path model, String origin, List<String> arguments) throws IOException {
        int batchSize = SettingsLoader.loadScoring(arguments).batchSize();
        boolean normalize = new ObjectMapper().readTree(model.resolve("summary.json").toFile()).at("/config/data/normalize").asBoolean();
        return List.of(
                "Model: " + origin + " (`" + work.resolve("runs").resolve(model.getFileName()).resolve(Benchmark.MODEL) + "`), applied in "
                        + "minibatches of " + batchSize + " (score.batch-size) to pixels " + (normalize ? "scaled to 0..1" : "raw 0..255")
                        + " as its run's data.normalize says, by every configuration.",
                "Input: plain idx with labels (`ScoringImages`): MNIST's 10,000 test images, followed for larger sizes by shifted "
                        + "copies of them (one pixel right, left, down, up, then the diagonals), cut at the size: 100,000 is the test "
                        + "set and its first nine shifts.",
                "images/s is images over the scoring itself. For the job: the Spark action that reads the idx file in chunks, scores "
                        + "every image and caches the rows, with Spark already started (`scoring_seconds` in its summary.json). For one "
                        + "JVM: reading the file, encoding and `MultiLayerNetwork.output`, with the model already loaded "
                        + "(`SingleJvmScoring`). The command wall time is the whole process: JVM and Spark start-up, the model and input "
                        + "checks, scoring, writing the predictions with Spark's committer, and the metrics.",
                "Threads: one JVM runs ND4J's own threads on all " + Benchmark.CORES + " cores; local mode " + Benchmark.CORES
                        + " task slots with one BLAS thread each (`submit/score-local.sh`); the cluster two one-core workers "
                        + "(`submit/spark-submit.sh`).");
    }
}
