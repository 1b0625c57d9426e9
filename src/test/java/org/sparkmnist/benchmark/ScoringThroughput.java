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
import java.util.TreeSet;
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

    /** One input of the table: how many images, in which form, in the directory {@link ScoringImages} wrote. */
    record Input(int images, ScoringInputForm form, Path dir) {
    }

    /**
     * The inputs of the table, made from the test and training sets of {@code dataDir} ({@link ScoringImages}):
     * the idx file at each of {@code idxSizes}, the PNG directory at each of {@code pngSizes}; a size
     * in both gets one directory, the same images in both forms. Ordered by size, idx first.
     */
    static List<Input> writeInputs(Path work, String dataDir, DataSettings data, List<Integer> idxSizes, List<Integer> pngSizes)
            throws IOException {
        IdxReader reader = new IdxReader(new Configuration());
        List<ScoringImages.Source> sources = List.of(
                new ScoringImages.Source(reader.locate(dataDir, data.testImages()), reader.locate(dataDir, data.testLabels())),
                new ScoringImages.Source(reader.locate(dataDir, data.trainImages()), reader.locate(dataDir, data.trainLabels())));
        TreeSet<Integer> sizes = new TreeSet<>(idxSizes);
        sizes.addAll(pngSizes);
        List<Input> inputs = new ArrayList<>();
        for (int images : sizes) {
            Path dir = work.resolve("scoring-images").resolve(String.valueOf(images)).toAbsolutePath();
            ScoringImages.write(sources, images, pngSizes.contains(images), dir);
            if (idxSizes.contains(images)) {
                inputs.add(new Input(images, ScoringInputForm.IDX, dir));
            }
            if (pngSizes.contains(images)) {
                inputs.add(new Input(images, ScoringInputForm.PNG_DIRECTORY, dir));
            }
        }
        return inputs;
    }

    /**
     * Measures every configuration on every input with model {@value Benchmark#MODEL} of the run
     * {@code model} ({@code origin} says where it came from) and returns the table with its notes.
     * The cluster is started once, for all inputs.
     */
    String table(Path model, String origin, List<Input> inputs) throws Exception {
        Map<Input, ScoringMeasurement> single = new HashMap<>();
        Map<Input, ScoringMeasurement> local = new HashMap<>();
        Map<Input, ScoringMeasurement> clustered = new HashMap<>();
        for (Input input : inputs) {
            single.put(input, singleJvm(input, arguments(model, input)));
            local.put(input, job("Spark local mode, " + Benchmark.CORES + " task slots", input.form().name("local", input.images()), false,
                    arguments(model, input)));
        }
        if (cluster) {
            try (StandaloneCluster ignored = StandaloneCluster.start(work.resolve("logs/cluster.log"))) {
                for (Input input : inputs) {
                    clustered.put(input, job("Spark standalone cluster, 2 workers", input.form().name("cluster", input.images()), true,
                            arguments(model, input)));
                }
            }
        }
        List<ScoringComparison> rows = new ArrayList<>();
        for (Input input : inputs) {
            rows.add(new ScoringComparison(input.images(), input.form().label(), single.get(input), local.get(input),
                    Optional.ofNullable(clustered.get(input))));
        }
        return BenchmarkReport.scoring(rows, notes(model, origin, arguments(model, inputs.get(0))));
    }

    /** The user's job config, then the model, the input and its labels: what every configuration is given. */
    private List<String> arguments(Path model, Input input) {
        List<String> args = new ArrayList<>(jobArgs);
        args.addAll(List.of("score.model.run=" + model, "score.model.name=" + Benchmark.MODEL,
                "score.input.path=" + input.form().path(input.dir()), "score.input.labels=" + input.form().labels(input.dir())));
        return args;
    }

    /** One JVM applying the model with {@code model.output}: no Spark anywhere. */
    private ScoringMeasurement singleJvm(Input input, List<String> arguments) throws Exception {
        String runName = input.form().name("single", input.images());
        Path result = work.resolve(runName + ".json");
        Files.deleteIfExists(result);
        List<String> command = new ArrayList<>(Jvm.command(SingleJvmScoring.class));
        command.addAll(List.of("--result", result.toString()));
        command.addAll(arguments);
        Map<String, String> environment = new HashMap<>(Jvm.environment());
        // ND4J's own threads on every core, as the plain-fit baseline: the single-machine alternative at its best.
        environment.put("OMP_NUM_THREADS", System.getenv("BASELINE_OMP_NUM_THREADS"));
        String name = "one JVM, DL4J model.output";
        return ScoringMeasurement.read(name, result, measurer.measure(name + ", " + input.images() + " images, " + input.form().label(),
                command, environment, runName));
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
                "Input (`ScoringImages`): MNIST's 10,000 test images, followed for larger sizes by copies of them shifted by "
                        + "whole pixels (one pixel right, left, down, up, then the diagonals, then by two and three pixels: "
                        + PixelShift.WITHIN_THREE.size() + " shifts), then its 60,000 training images shifted the same way, cut at the "
                        + "size: 100,000 is the test set and its first nine shifts, 1,000,000 the test set's "
                        + PixelShift.WITHIN_THREE.size() + " and 510,000 shifted training images. idx: one plain idx file with its "
                        + "idx labels. png directory: the same images as 28x28 8-bit grey PNG files, one per image, with a labels CSV "
                        + "(`file,label`) beside the directory; one JVM decodes them with the job's own decoder (`DigitImage`).",
                "images/s is images over the scoring itself. For the job: the Spark action that reads the idx file in chunks (or "
                        + "the PNG files, each decoded), scores every image and caches the rows, with Spark already started "
                        + "(`scoring_seconds` in its summary.json). For one JVM: reading the idx file a minibatch at a time (or each PNG "
                        + "file, decoded as the job decodes it), encoding and `MultiLayerNetwork.output`, with the model already loaded "
                        + "and the directory listed (`SingleJvmScoring`). The command wall time is the whole process: JVM and Spark start-up, the model and input "
                        + "checks, scoring, writing the predictions with Spark's committer, and the metrics.",
                "Threads: one JVM runs ND4J's own threads on all " + Benchmark.CORES + " cores; local mode " + Benchmark.CORES
                        + " task slots with one BLAS thread each (`submit/score-local.sh`); the cluster two one-core workers "
                        + "(`submit/spark-submit.sh`).");
    }
}
