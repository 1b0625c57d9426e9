package org.sparkmnist.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.job.JobExit;

/**
 * The speed benchmark behind {@code submit/benchmark.sh}: the MLP trained (a) by plain DL4J in one JVM,
 * (b) by the Spark job in local mode and (c) by the Spark job on a two-worker standalone cluster, all
 * on this machine with the same config; then the averaging-frequency trade-off and, on request, the
 * cost at k times the data. It prints the tables, writes them into docs/BENCHMARKS.md with the machine,
 * date, commit and command, and ends with the distributed/single epoch-time ratio of (b) to (a).
 *
 * <p>Every configuration runs as its own process, so each one's memory is measured on its own and no
 * JIT or native state carries over from one to the next.
 */
public final class Benchmark {

    static final String MODEL = "mlp";
    private static final String MASTER = "spark://127.0.0.1:7077";

    private final BenchmarkOptions options;
    private final Path work = Path.of("target", "benchmark");
    private final int defaultFrequency;
    private final long trainExamples;
    private final String dataDir;

    private Benchmark(BenchmarkOptions options, JobSettings settings) {
        this.options = options;
        this.defaultFrequency = settings.train().averagingFrequency();
        this.trainExamples = settings.split().train();
        this.dataDir = settings.data().dir();
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(BenchmarkOptions.USAGE);
            return;
        }
        System.exit(JobExit.run(() -> {
            BenchmarkOptions options = BenchmarkOptions.parse(List.of(args));
            // The same config every run gets, checked once here so a typo fails in a second, not after (a).
            new Benchmark(options, SettingsLoader.load(options.jobArgs())).run();
        }));
    }

    private void run() throws Exception {
        Machine machine = Machine.describe();
        say("benchmark on " + machine.summary());
        List<Measurement> comparison = new ArrayList<>();
        comparison.add(baseline());
        comparison.add(local("(b) Spark local mode, 2 workers", "local", List.of()));
        if (options.cluster()) {
            try (StandaloneCluster cluster = StandaloneCluster.start(work.resolve("logs/cluster.log"))) {
                comparison.add(submitted("(c) Spark standalone cluster, 2 workers", "cluster", List.of()));
            }
        }
        String table = BenchmarkReport.comparison(comparison);
        System.out.print(table);

        String document = Files.exists(options.report()) ? Files.readString(options.report()) : "";
        String provenance = machine.provenance(options.commandLine());
        document = BenchmarkReport.replaceSection(document, "comparison", provenance + table);

        if (!options.frequencies().isEmpty()) {
            List<Measurement> rows = new ArrayList<>();
            for (int frequency : options.frequencies()) {
                rows.add(frequency == defaultFrequency ? comparison.get(1)
                        : local("averaging every " + frequency, "frequency-" + frequency, List.of("train.averaging-frequency=" + frequency)));
            }
            String frequencies = BenchmarkReport.frequencies(options.frequencies(), rows);
            System.out.print(frequencies);
            document = BenchmarkReport.replaceSection(document, "frequency", provenance + frequencies);
        }
        if (!options.scales().isEmpty()) {
            String scaling = BenchmarkReport.scaling(options.scales(), scaled());
            System.out.print(scaling);
            document = BenchmarkReport.replaceSection(document, "scaling", provenance + scaling);
        }
        Files.createDirectories(options.report().toAbsolutePath().getParent());
        Path temporary = options.report().resolveSibling(options.report().getFileName() + ".tmp");
        Files.writeString(temporary, document, StandardCharsets.UTF_8);
        Files.move(temporary, options.report(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        say("tables written to " + options.report());
        System.out.printf(Locale.ROOT, "distributed/single epoch-time ratio: %.2f%n",
                comparison.get(1).secondsPerEpoch() / comparison.get(0).secondsPerEpoch());
    }

    /** (a): plain DL4J in one JVM, with ND4J's own threading over both cores. */
    private Measurement baseline() throws Exception {
        Path result = work.resolve("baseline.json");
        Files.createDirectories(work);
        Files.deleteIfExists(result);
        List<String> command = new ArrayList<>(Jvm.command(SingleJvmBaseline.class));
        command.addAll(List.of("--result", result.toString(), "models=[" + MODEL + "]"));
        command.addAll(options.jobArgs());
        Map<String, String> environment = new HashMap<>(Jvm.environment());
        // The baseline is the single-machine alternative at its best: all cores for ND4J, unless told otherwise.
        environment.put("OMP_NUM_THREADS", System.getenv("BASELINE_OMP_NUM_THREADS"));
        MeasuredProcess.Outcome outcome = measure("(a) single JVM", command, environment, "baseline");
        JsonNode json = RunResults.baseline(result);
        List<Double> seconds = new ArrayList<>();
        json.path("epoch_seconds").forEach(s -> seconds.add(s.doubleValue()));
        return new Measurement("(a) single JVM, plain DL4J fit", trainExamples, seconds, json.path("test_accuracy").doubleValue(),
                outcome.driverPeakMb(), 0);
    }

    private Measurement local(String name, String runId, List<String> extra) throws Exception {
        return job(name, runId, false, extra, trainExamples);
    }

    private Measurement submitted(String name, String runId, List<String> extra) throws Exception {
        return job(name, runId, true, extra, trainExamples);
    }

    /** The job run through the user's own entry point: spark-submit.sh on the cluster, run-local.sh otherwise. */
    private Measurement job(String name, String runId, boolean onCluster, List<String> extra, long examples) throws Exception {
        List<String> command = new ArrayList<>(onCluster ? List.of("submit/spark-submit.sh", "--master", MASTER)
                : List.of("submit/run-local.sh"));
        Path runs = work.resolve("runs").toAbsolutePath();
        command.addAll(List.of("models=[" + MODEL + "]", "output.dir=" + runs, "run.id=" + runId, "output.mode=overwrite"));
        command.addAll(options.jobArgs());
        command.addAll(extra);
        MeasuredProcess.Outcome outcome = measure(name, command, Map.of("SPARK_MNIST_NO_FETCH", "1"), runId);
        Path run = runs.resolve(runId);
        return new Measurement(name, examples, RunResults.epochSeconds(run, MODEL), RunResults.testAccuracy(run, MODEL),
                outcome.driverPeakMb(), outcome.executorPeakMb());
    }

    private MeasuredProcess.Outcome measure(String name, List<String> command, Map<String, String> environment, String logName)
            throws IOException, InterruptedException {
        Path log = work.resolve("logs").resolve(logName + ".log");
        say(name + ": running (log: " + log + ")");
        MeasuredProcess.Outcome outcome = MeasuredProcess.run(command, environment, log);
        if (outcome.exitCode() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException(name + " exited with " + outcome.exitCode() + ": "
                    + (lines.isEmpty() ? "no output" : lines.get(lines.size() - 1)) + " (log: " + log + ")");
        }
        say(String.format(Locale.ROOT, "%s: done in %.0fs", name, outcome.seconds()));
        return outcome;
    }

    /**
     * The MLP on k x MNIST for each requested k, on the cluster when there is one (there the driver is
     * its own JVM, so its memory shows whether it grows with the data) and in local mode otherwise.
     * The validation set stays at 10,000 so that the epoch's growth is the training set's.
     */
    private List<Measurement> scaled() throws Exception {
        List<Measurement> rows = new ArrayList<>();
        try (StandaloneCluster cluster = options.cluster() ? StandaloneCluster.start(work.resolve("logs/cluster.log")) : null) {
            for (int copies : options.scales()) {
                Path data = work.resolve("mnist-" + copies + "x").toAbsolutePath();
                if (!Files.isDirectory(data)) {
                    say("writing " + copies + " x MNIST to " + data);
                    int exit = ScaledMnist.run("--copies", String.valueOf(copies), "--from", sourceData(), "--to", data.toString());
                    if (exit != 0) {
                        throw new IllegalStateException("ScaledMnist --copies " + copies + " exited with " + exit);
                    }
                }
                long examples = (long) copies * 60_000 - 10_000;
                List<String> extra = List.of("data.dir=" + data, "split.train=" + examples, "split.validation=10000",
                        "train.epochs=" + options.scaleEpochs());
                rows.add(job(copies + "x MNIST", "scale-" + copies + "x", cluster != null, extra, examples));
            }
        }
        return rows;
    }

    /** The job's data.dir as the config resolves it, for the generator to copy from. */
    private String sourceData() {
        return Path.of(dataDir).toAbsolutePath().toString();
    }

    static void say(String line) {
        System.err.println("benchmark: " + line);
    }
}
