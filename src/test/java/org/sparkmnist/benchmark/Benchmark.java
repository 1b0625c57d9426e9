package org.sparkmnist.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.AveragingSchedule;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.runtime.JobExit;

/**
 * The speed benchmark behind {@code submit/benchmark.sh}: the MLP trained, on this machine with the same
 * config, split and minibatch size, by (a) DL4J in one JVM, with plain {@code fit} and with
 * {@code ParallelWrapper}, (b) the Spark job in local mode, (c) the Spark job on a two-worker standalone
 * cluster and (d) a PyTorch script; then the averaging-frequency trade-off, on request the cost at
 * k times the data, and the scoring job's throughput against one JVM's {@code model.output}. It prints
 * the tables, writes them into docs/BENCHMARKS.md with the machine, date, commit and command, and
 * ends with three ratio lines of medians over the comparison's rounds: local mode's epoch time against
 * the best single-JVM DL4J and against PyTorch, and its time to 98% validation accuracy against PyTorch.
 *
 * <p>Every configuration runs as its own process, so each one's memory is measured on its own and no
 * JIT or native state carries over from one to the next; the comparison runs each once per round,
 * interleaved ({@link Rounds}), so that the shared machine's load falls on all of them alike. Each
 * table is one method, published by {@link #publish}; a new table is one more method and one more
 * call in {@link #run}.
 */
public final class Benchmark {

    static final String MODEL = "mlp";
    static final String MASTER = "spark://127.0.0.1:7077";
    static final int CORES = Runtime.getRuntime().availableProcessors();
    private final BenchmarkOptions options;
    private final JobSettings settings;
    /**
     * ParallelWrapper set up for this machine: a worker per core, each on one BLAS thread (with ND4J's
     * default threads, the workers oversubscribe the cores), averaging parameters and updater state as
     * often as the job does, on train.averaging-frequency's schedule (in rounds of one minibatch per
     * worker). docs/BENCHMARKS.md ("How the alternatives were set up") has what the other settings measured.
     */
    private final ParallelWrapperSettings wrapper;
    private final Path work = Path.of("target", "benchmark");
    /** The run id of (b), whose MLP the scoring table applies. */
    private static final String LOCAL_RUN = "local";
    private String document;
    private String provenance;

    private Benchmark(BenchmarkOptions options, JobSettings settings) {
        this.options = options;
        this.settings = settings;
        this.wrapper = new ParallelWrapperSettings(Math.max(2, CORES), settings.train().averaging());
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(BenchmarkOptions.USAGE);
            return;
        }
        System.exit(JobExit.run(() -> {
            BenchmarkOptions options = BenchmarkOptions.parse(List.of(args));
            // The config every run gets, checked once here so a typo fails in a second, not after (a) or an install.
            JobSettings settings = SettingsLoader.load(modelArgs(options.jobArgs()));
            Prerequisites.install(Prerequisites.of(options));
            new Benchmark(options, settings).run();
        }));
    }

    private void run() throws Exception {
        Machine machine = Machine.describe();
        say("benchmark on " + machine.summary());
        // Before anything runs: a config the PyTorch reference cannot train should fail in a second.
        Path recipe = options.runsPytorch() ? pytorchRecipe() : null;
        // Likewise the scoring table's inputs: a size the test set cannot make fails here, not after the training tables.
        List<ScoringThroughput.Input> scoringInputs = ScoringThroughput.writeInputs(work, sourceData(), settings.data(),
                options.scoringImages(), options.scoringPngImages());
        document = Files.exists(options.report()) ? Files.readString(options.report()) : "";
        provenance = machine.provenance(options.commandLine());

        Optional<Comparison> comparison = Optional.empty();
        if (!options.scoringOnly()) {
            comparison = Optional.of(comparison(recipe));
            publish("comparison", BenchmarkReport.comparison(comparison.get()));
        }
        if (!options.frequencies().isEmpty()) {
            publish("frequency", frequencyTable(comparison.orElseThrow().local().medianRun()));
        }
        if (!options.scales().isEmpty()) {
            publish("scaling", BenchmarkReport.scaling(options.scales(), scaled()));
        }
        if (!scoringInputs.isEmpty()) {
            publish("scoring", scoringTable(comparison.isPresent(), scoringInputs));
        }

        Files.createDirectories(options.report().toAbsolutePath().getParent());
        Path temporary = options.report().resolveSibling(options.report().getFileName() + ".tmp");
        Files.writeString(temporary, document, StandardCharsets.UTF_8);
        Files.move(temporary, options.report(), StandardCopyOption.REPLACE_EXISTING);
        say("tables written to " + options.report());
        comparison.ifPresent(c -> System.out.print(BenchmarkReport.ratioLines(c)));
    }

    /** Prints a table and puts it, under the run's provenance, between its markers in the report. */
    private void publish(String section, String table) {
        System.out.print(table);
        document = BenchmarkReport.replaceSection(document, section, provenance + table);
    }

    /** One configuration of the comparison: its table name, and how to run it once as round {@code round} (1-based). */
    private record Configuration(String name, Run run) {
    }

    @FunctionalInterface
    private interface Run {
        Measurement at(int round) throws Exception;
    }

    /**
     * (a), (b), (c) and (d), each alone on the machine, over --rounds rounds: every round runs each
     * configuration once, in the order of {@link Rounds#order}, and the table gives the medians.
     */
    private Comparison comparison(Path recipe) throws Exception {
        List<Configuration> configurations = new ArrayList<>();
        String plain = "(a) single JVM, DL4J plain fit";
        configurations.add(new Configuration(plain, round -> singleJvm(plain, "baseline", round, Optional.empty())));
        String parallel = "(a) single JVM, DL4J ParallelWrapper, " + wrapper.workers() + " workers";
        configurations.add(new Configuration(parallel, round -> singleJvm(parallel, "parallel-wrapper", round, Optional.of(wrapper))));
        String local = "(b) Spark local mode, 2 workers";
        configurations.add(new Configuration(local, round -> job(local, LOCAL_RUN, round, false)));
        String cluster = "(c) Spark standalone cluster, 2 workers";
        if (options.cluster()) {
            // Up only while (c) runs, so that its idle daemons share the machine with no other configuration.
            configurations.add(new Configuration(cluster, round -> {
                try (StandaloneCluster ignored = StandaloneCluster.start(work.resolve("logs/cluster.log"))) {
                    return job(cluster, "cluster", round, true);
                }
            }));
        }
        Path result = work.resolve("pytorch.json");
        String pytorch = "(d) PyTorch";
        if (recipe != null) {
            configurations.add(new Configuration(pytorch, round -> pytorch(recipe, result, round)));
        }

        Map<String, List<Measurement>> runs = new HashMap<>();
        for (int round = 0; round < options.rounds(); round++) {
            List<Configuration> order = Rounds.order(configurations, round);
            say(String.format(Locale.ROOT, "round %d of %d: %s", round + 1, options.rounds(),
                    String.join(", ", order.stream().map(Configuration::name).toList())));
            for (Configuration configuration : order) {
                runs.computeIfAbsent(configuration.name(), name -> new ArrayList<>()).add(configuration.run().at(round + 1));
            }
        }

        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "Each configuration ran %d %s, interleaved: every round ran each once, in the table's order "
                + "rotated by one configuration per round. A round's s/epoch is the median of its epochs 2..N; each cell is the median over "
                + "the rounds, min-max in brackets; peak RSS is the largest of the rounds; every ratio is of medians.",
                options.rounds(), options.rounds() == 1 ? "round" : "rounds"));
        notes.add("(a) ParallelWrapper: " + wrapper.describe() + " (parameters and updater state), one BLAS thread per worker, "
                + "no prefetching (the minibatches are in memory).");
        Optional<Repeated> pytorchRows = Optional.empty();
        if (recipe != null) {
            List<Measurement> pytorchRuns = runs.get(pytorch);
            // The script names its row after the torch it ran and the threads it used, which its result file tells.
            pytorchRows = Optional.of(new Repeated(pytorchRuns.get(0).name(), pytorchRuns));
            notes.add(PytorchReference.describe(result));
        }
        String coretype = System.getenv("OPENBLAS_CORETYPE");
        if (coretype != null && !coretype.isBlank()) {
            notes.add("OPENBLAS_CORETYPE=" + coretype + " was set for every configuration: ND4J's OpenBLAS and Debian's both use "
                    + "that kernel.");
        }
        return new Comparison(List.of(new Repeated(plain, runs.get(plain)), new Repeated(parallel, runs.get(parallel))),
                new Repeated(local, runs.get(local)),
                options.cluster() ? Optional.of(new Repeated(cluster, runs.get(cluster))) : Optional.empty(),
                pytorchRows, notes);
    }

    /**
     * Averaging frequency against speed and accuracy in local mode: each constant frequency asked for, and the
     * default's schedule, whose row is (b)'s round with the median epoch time (as is a constant frequency's equal to it). The
     * other rows run once each, after the comparison.
     */
    private String frequencyTable(Measurement atDefault) throws Exception {
        AveragingSchedule schedule = settings.train().averaging();
        List<String> labels = new ArrayList<>();
        List<Measurement> rows = new ArrayList<>();
        for (int frequency : options.frequencies()) {
            labels.add(String.valueOf(frequency));
            rows.add(schedule.equals(AveragingSchedule.every(frequency)) ? atDefault
                    : local("averaging every " + frequency, "frequency-" + frequency, List.of("train.averaging-frequency=" + frequency)));
        }
        if (!schedule.isConstant()) {
            labels.add(scheduleLabel(schedule) + " (the default, (b))");
            rows.add(atDefault);
        }
        return BenchmarkReport.frequencies(labels, rows);
    }

    /** "20, 20, then 80" for [20, 20, 80]. */
    private static String scheduleLabel(AveragingSchedule schedule) {
        List<Integer> perEpoch = schedule.perEpoch();
        List<String> head = perEpoch.subList(0, perEpoch.size() - 1).stream().map(String::valueOf).toList();
        return String.join(", ", head) + ", then " + perEpoch.get(perEpoch.size() - 1);
    }

    /** (a): DL4J in one JVM, by plain fit or by ParallelWrapper; no Spark anywhere. */
    private Measurement singleJvm(String name, String logName, int round, Optional<ParallelWrapperSettings> parallel) throws Exception {
        Path result = work.resolve(logName + ".json");
        Files.createDirectories(work);
        Files.deleteIfExists(result);
        List<String> command = new ArrayList<>(Jvm.command(SingleJvmBaseline.class));
        command.addAll(List.of("--result", result.toString()));
        parallel.ifPresent(w -> command.addAll(List.of("--parallel-wrapper", String.valueOf(w.workers()))));
        command.addAll(modelArgs(options.jobArgs()));
        Map<String, String> environment = new HashMap<>(Jvm.environment());
        // Plain fit is the single-machine alternative at its best with all cores for ND4J's operations, unless
        // told otherwise; ParallelWrapper's workers are the parallelism, so each gets one BLAS thread, as
        // Spark's local workers do.
        environment.put("OMP_NUM_THREADS", parallel.isPresent() ? "1" : System.getenv("BASELINE_OMP_NUM_THREADS"));
        MeasuredProcess.Outcome outcome = measure(roundName(name, round), command, environment, roundLog(logName, round));
        return RunResults.ofResultFile(result).measurement(name, settings.split().train(), outcome);
    }

    /** (d): the PyTorch script on the recipe, with as many threads as the machine has cores. */
    private Measurement pytorch(Path recipe, Path result, int round) throws Exception {
        Files.deleteIfExists(result);
        MeasuredProcess.Outcome outcome = measure(roundName("(d) PyTorch", round), PytorchReference.command(recipe, result, CORES),
                PytorchReference.environment(CORES), roundLog("pytorch", round));
        return RunResults.ofResultFile(result).measurement(PytorchReference.rowName(result), settings.split().train(), outcome);
    }

    /** The PyTorch script's recipe for the benchmarked model, split included, written before anything is measured. */
    private Path pytorchRecipe() throws IOException {
        ModelSpec spec = settings.models().stream().filter(m -> m.name().equals(MODEL)).findFirst()
                .orElseThrow(() -> new BadInputException("the benchmark trains model " + MODEL + "; models must include it"));
        Path recipe = work.resolve("pytorch-recipe.json");
        Files.createDirectories(work);
        PytorchReference.write(settings, spec, recipe);
        return recipe;
    }

    /** The job's arguments with the benchmarked model first, so the user's own files and overrides still win. */
    private static List<String> modelArgs(List<String> jobArgs) {
        List<String> args = new ArrayList<>(List.of("models=[" + MODEL + "]"));
        args.addAll(jobArgs);
        return args;
    }

    private Measurement local(String name, String runId, List<String> extra) throws Exception {
        return job(name, runId, runId, false, extra, settings.split().train());
    }

    /**
     * A round of (b) or (c). Every round of a configuration writes the same run directory, so (b)'s
     * last round leaves the MLP the scoring table applies; each keeps its own log.
     */
    private Measurement job(String name, String runId, int round, boolean onCluster) throws Exception {
        return job(roundName(name, round), runId, roundLog(runId, round), onCluster, List.of(), settings.split().train()).named(name);
    }

    private Measurement job(String name, String runId, boolean onCluster, List<String> extra, long examples) throws Exception {
        return job(name, runId, runId, onCluster, extra, examples);
    }

    /** The job run through the user's own entry point: spark-submit.sh on the cluster, run-local.sh otherwise. */
    private Measurement job(String name, String runId, String logName, boolean onCluster, List<String> extra, long examples)
            throws Exception {
        List<String> command = new ArrayList<>(onCluster ? List.of("submit/spark-submit.sh", "--master", MASTER)
                : List.of("submit/run-local.sh"));
        Path runs = runs();
        command.addAll(List.of("models=[" + MODEL + "]", "output.dir=" + runs, "run.id=" + runId, "output.mode=overwrite"));
        command.addAll(options.jobArgs());
        command.addAll(extra);
        MeasuredProcess.Outcome outcome = measure(name, command, Map.of("SPARK_MNIST_NO_FETCH", "1"), logName);
        return RunResults.ofRun(runs.resolve(runId), MODEL).measurement(name, examples, outcome);
    }

    /** "(b) Spark local mode, 2 workers, round 2", as the progress lines name a round. */
    private String roundName(String name, int round) {
        return name + ", round " + round + " of " + options.rounds();
    }

    /** Each round's log of its own: target/benchmark/logs/local-round-2.log. */
    private static String roundLog(String logName, int round) {
        return logName + "-round-" + round;
    }

    MeasuredProcess.Outcome measure(String name, List<String> command, Map<String, String> environment, String logName)
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

    private Path runs() {
        return work.resolve("runs").toAbsolutePath();
    }

    /** With --scoring alone: an MLP to score with, trained for one epoch (a forward pass costs the same however well it was trained). */
    private Path scoringModel() throws Exception {
        String runId = "scoring-model";
        job("MLP for the scoring table, 1 epoch", runId, false, List.of("train.epochs=1"), settings.split().train());
        return runs().resolve(runId);
    }

    /** Scoring throughput with the MLP (b) trained when the comparison ran, else with one trained for the table. */
    private String scoringTable(boolean comparisonRan, List<ScoringThroughput.Input> inputs) throws Exception {
        Path model = comparisonRan ? runs().resolve(LOCAL_RUN) : scoringModel();
        String origin = comparisonRan ? "the MLP (b) trained above (" + settings.train().epochs() + " epochs)"
                : "an MLP trained for one epoch for this table (a forward pass costs the same however well it was trained)";
        return new ScoringThroughput(work, options.jobArgs(), options.cluster(), this::measure).table(model, origin, inputs);
    }

    /** The job's data.dir as the config resolves it, for the generator to copy from. */
    private String sourceData() {
        return Path.of(settings.data().dir()).toAbsolutePath().toString();
    }

    static void say(String line) {
        System.err.println("benchmark: " + line);
    }
}
