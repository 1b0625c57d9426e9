package org.sparkmnist.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sparkmnist.testing.IsolatedCluster;
import org.sparkmnist.testing.MnistFiles;
import org.sparkmnist.testing.Scripts;

/**
 * The DAG in a real Airflow: the pinned Airflow and Spark provider of submit/python-env.sh airflow,
 * a throwaway AIRFLOW_HOME with its SQLite metadata database under target/, the Spark connection
 * (local[2], driver on the Airflow worker) and the spark_mnist Variable set with Airflow's own CLI,
 * and {@code airflow dags test spark_mnist <date>}, which runs the tasks in-process: each
 * SparkSubmitOperator runs a real spark-submit (pyspark's Spark) of the cluster jar. A short run:
 * train the softmax model (two epochs, a 20,000/2,000 split), then score the MNIST test set, with
 * its labels, with the model just trained.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AirflowIT {

    /** The optimizer's log line when its updates run on the JDK's Vector API (UpdateKernels). */
    private static final Pattern SIMD_UPDATES = Pattern.compile("optimizer updates: one \\d+-lane SIMD");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Scripts.REPO.resolve("target/it-airflow");
    private static final Path LOGS = Scripts.REPO.resolve("target/it-logs");
    private static final String DATE = "2026-03-01";
    /** run.id is the logical date, as the DAG formats it. */
    private static final String RUN_ID = "20260301T000000";
    /** The scoring run's id: the same logical date, its own run. */
    private static final String SCORE_ID = RUN_ID + "-score";
    private static final String RUN_CONF = "{\"epochs\": 2, \"models\": \"[softmax]\", \"score_model\": \"softmax\"}";
    /** Spark's part files are named with a random UUID per write. */
    private static final Pattern WRITE_UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Map<String, String> env = new HashMap<>();
    private final Map<String, Long> seconds = new LinkedHashMap<>();
    private Path output;
    private Path airflowCommand;
    private Map<String, Object> goodVariable;

    private DagRun first;
    private DagRun rerun;
    private DagRun badVariable;
    private DagRun badConfig;
    private DagRun skippedScore;
    private DagRun rescore;
    /** The files of the training run and of the scoring run after the first run. */
    private List<String> firstRunFiles;
    private List<String> firstScoreFiles;
    private java.time.Instant rerunStart;
    private java.time.Instant rescoreStart;

    /** One {@code airflow dags test}: the CLI's output, each task's state and log. */
    private record DagRun(Scripts.Result cli, Map<String, String> taskStates, Map<String, String> taskLogs) {

        String state(String task) {
            return taskStates.getOrDefault(task, "none");
        }

        String log(String task) {
            return taskLogs.getOrDefault(task, "");
        }

        String lastLogLine(String task) {
            List<String> lines = log(task).lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    @BeforeAll
    void runTheDag() throws IOException {
        Path jar = Path.of(System.getProperty("cluster.jar", "missing-cluster.jar"));
        assertTrue(Files.isRegularFile(jar), "the cluster jar " + jar + " is built by mvn package before the integration tests");
        IsolatedCluster.deleteRecursively(WORK);
        Path home = Files.createDirectories(WORK.resolve("airflow-home"));
        Path dags = Files.createDirectories(home.resolve("dags"));
        // Installed as the README says: the DAG file copied into the dags folder.
        Files.copy(Scripts.REPO.resolve("submit/airflow/spark_mnist_dag.py"), dags.resolve("spark_mnist_dag.py"));
        output = WORK.resolve("runs");

        long t0 = System.nanoTime();
        Path venv = Path.of(lastLine(run("python-env", List.of("submit/python-env.sh", "airflow"))));
        Path sparkHome = Path.of(lastLine(run("spark-home", List.of("submit/spark-home.sh"))));
        airflowCommand = venv.resolve("bin/airflow");
        seconds.put("install (or check) Airflow and Spark", (System.nanoTime() - t0) / 1_000_000_000);

        env.put("AIRFLOW_HOME", home.toString());
        env.put("AIRFLOW__CORE__DAGS_FOLDER", dags.toString());
        env.put("AIRFLOW__CORE__LOAD_EXAMPLES", "False");
        env.put("SPARK_HOME", sparkHome.toString());
        // The provider runs "spark-submit" from PATH.
        env.put("PATH", sparkHome.resolve("bin") + ":" + venv.resolve("bin") + ":" + System.getenv("PATH"));
        env.put("PYTHONDONTWRITEBYTECODE", "1");

        long t1 = System.nanoTime();
        assertOk(airflow("db-migrate", "db", "migrate"));
        assertOk(airflow("connection", "connections", "add", "spark_mnist_local", "--conn-type", "spark", "--conn-host", "local[2]",
                "--conn-extra", "{\"deploy-mode\": \"client\"}"));
        seconds.put("airflow db migrate + connection", (System.nanoTime() - t1) / 1_000_000_000);

        goodVariable = new LinkedHashMap<>();
        goodVariable.put("conn_id", "spark_mnist_local");
        goodVariable.put("deploy_mode", "client");
        goodVariable.put("jar", jar.toString());
        goodVariable.put("data_dir", MnistFiles.directory().toString());
        goodVariable.put("output_dir", output.toString());
        goodVariable.put("executor_memory", "1g");
        goodVariable.put("executor_cores", 1);
        goodVariable.put("num_executors", 1);
        goodVariable.put("driver_memory", "2g");
        // The driver (on this machine, in client mode) unpacks ND4J's native libraries into the build's cache and logs
        // through the project's log4j2 file, as every JVM of the project does.
        goodVariable.put("conf", Map.of("spark.driver.extraJavaOptions", "-Dorg.bytedeco.javacpp.cachedir=" + Scripts.REPO.resolve("target/javacpp-cache")
                + " -Dlog4j2.configurationFile=" + Scripts.REPO.resolve("src/main/resources/log4j2.properties")));
        goodVariable.put("overrides", Map.of("split.train", 20000, "split.validation", 2000));
        // The test set the training run evaluates on, with its labels: scoring must find the same accuracy.
        goodVariable.put("score_input", MnistFiles.files().get(2).toString());
        goodVariable.put("score_labels", MnistFiles.files().get(3).toString());

        setVariable(goodVariable);
        first = dagsTest("first");
        firstRunFiles = files(output.resolve(RUN_ID));
        firstScoreFiles = files(output.resolve(SCORE_ID));
        rerunStart = java.time.Instant.now();
        rerun = dagsTest("rerun");

        // The score task alone, as "Clear" on it runs it: in the date's DAG run, with that run's conf.
        rescoreStart = java.time.Instant.now();
        rescore = tasksTest("rescore");
        // Without a scoring input the score task skips; it needs no training (and no Spark) for that.
        Map<String, Object> noScoring = new LinkedHashMap<>(goodVariable);
        noScoring.remove("score_input");
        noScoring.remove("score_labels");
        setVariable(noScoring);
        skippedScore = tasksTest("skipped");

        Map<String, Object> unknownKey = new LinkedHashMap<>(goodVariable);
        unknownKey.put("executor_memroy", "1g");
        setVariable(unknownKey);
        badVariable = dagsTest("bad-variable");

        Map<String, Object> badJobConfig = new LinkedHashMap<>(goodVariable);
        badJobConfig.put("overrides", Map.of("train.epoch", 1));
        setVariable(badJobConfig);
        badConfig = dagsTest("bad-config");

        System.out.println("AirflowIT: " + seconds);
        System.out.println("AirflowIT: the first run's train task log ends with:\n" + tail(first.log("train"), 8));
        System.out.println("AirflowIT: the first run's score task log ends with:\n" + tail(first.log("score"), 8));
    }

    @Test
    void theTaskSucceedsAndCommitsTheRunUnderItsLogicalDate() throws IOException {
        JsonNode summary = summary(committedByTheFirstRun("train", RUN_ID));
        assertEquals(RUN_ID, summary.path("run_id").asText());
        assertEquals(2, summary.at("/models/softmax/epochs").asInt());
        double accuracy = summary.at("/models/softmax/test_accuracy").asDouble();
        // Two epochs on 20,000 examples (the whole training set for one epoch gives about 0.90).
        assertTrue(accuracy >= 0.85, "softmax test accuracy " + accuracy);
        assertEquals("local[2]", summary.at("/environment/spark_master").asText());
    }

    @Test
    void theDriverThatTrainsInLocalModeRunsTheOptimizerAsSimd() {
        // spark-submit starts the driver's JVM from the DAG's spark.driver.extraJavaOptions; without the Vector API
        // module there, local mode's Adam would fall back to the scalar loop.
        String log = first.log("train");
        List<String> lines = log.lines().filter(line -> line.contains("optimizer updates:")).toList();
        assertFalse(lines.isEmpty(), "the train task's log says nothing of the optimizer's updates:\n" + tail(log, 40));
        assertTrue(lines.stream().allMatch(line -> SIMD_UPDATES.matcher(line).find()), "optimizer updates: " + lines);
    }

    @Test
    void theScoreTaskScoresTheTestSetWithTheModelJustTrainedUnderItsOwnRunId() throws IOException {
        Path run = committedByTheFirstRun("score", SCORE_ID);
        JsonNode summary = summary(run);
        assertEquals("scoring", summary.path("job").asText());
        assertEquals(SCORE_ID, summary.path("run_id").asText());
        assertEquals(output.resolve(RUN_ID).resolve("softmax/model.zip").toUri().getPath(),
                URI.create(summary.at("/model/file").asText()).getPath(), "the model the train task just wrote");
        assertEquals(10_000, summary.path("inputs").asLong());
        assertEquals(0, summary.path("rejects").asLong());
        // The same model on the same test set, in the same normalisation: exactly the training run's test accuracy.
        assertScoredAsTrained(run, "the scoring run's accuracy against the training run's test accuracy");
        assertTrue(Files.isDirectory(run.resolve("predictions")) && Files.isRegularFile(run.resolve("predictions/_SUCCESS")),
                "predictions written by Spark's committer");
    }

    @Test
    void runningTheSameLogicalDateAgainReplacesThatRunWhole() throws IOException {
        assertEquals("success", rerun.state("train"), "train task of the rerun; dags test said:\n" + rerun.cli().tail(40));
        Path run = output.resolve(RUN_ID);
        assertTrue(Files.isRegularFile(run.resolve("_SUCCESS")));
        // Replaced whole: the same files, every one of them a new one written by the rerun.
        List<String> rerunFiles = files(run);
        assertEquals(firstRunFiles, rerunFiles, "the rerun's files");
        assertAllWrittenByTheRerun(run, rerunFiles);
        List<String> runs;
        try (Stream<Path> dirs = Files.list(output)) {
            runs = dirs.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of(RUN_ID, SCORE_ID), runs, "the training run and the scoring run, nothing else, under " + output);
    }

    @Test
    void rerunningTheSameLogicalDateReplacesTheScoringRunWhole() throws IOException {
        assertEquals("success", rerun.state("score"), "score task of the rerun; dags test said:\n" + rerun.cli().tail(40));
        Path run = output.resolve(SCORE_ID);
        List<String> rerunFiles = files(run);
        // The same layout (Spark names each write's part files anew), and nothing but what the rerun's manifest lists.
        assertEquals(withoutWriteIds(firstScoreFiles), withoutWriteIds(rerunFiles), "the scoring rerun's files");
        assertEquals(manifest(run), new TreeSet<>(rerunFiles), "the files of the committed scoring run against its manifest");
        assertAllWrittenByTheRerun(run, rerunFiles);
        // Scored again with the retrained model: the rerun's own test accuracy, exactly.
        assertScoredAsTrained(run, "the rescored run's accuracy against the rerun's test accuracy");
    }

    @Test
    void withoutAScoringInputTheScoreTaskIsSkipped() {
        String log = skippedScore.log("score");
        assertEquals("skipped", skippedScore.state("score"), "score task without score_input:\n" + skippedScore.cli().tail(40));
        assertTrue(log.contains("nothing to score: the spark_mnist Variable has no score_input"), skippedScore.cli().tail(40));
        assertFalse(log.toLowerCase(java.util.Locale.ROOT).contains("spark-submit"), "nothing submitted:\n" + skippedScore.cli().tail(40));
    }

    @Test
    void theScoreTaskAloneRescoresTheCommittedRunAndLeavesTheTrainingRunAlone() throws IOException {
        assertEquals("success", rescore.state("score"), "score task run alone:\n" + rescore.cli().tail(40));
        Path scoring = output.resolve(SCORE_ID);
        List<String> files = files(scoring);
        assertEquals(manifest(scoring), new TreeSet<>(files), "the files of the rescored run against its manifest");
        assertAllWrittenSince(scoring, files, rescoreStart, "the rescoring");
        // The training run it scored with is the one the rerun committed, untouched since.
        Path training = output.resolve(RUN_ID);
        for (String file : files(training)) {
            assertTrue(Files.getLastModifiedTime(training.resolve(file)).toInstant().isBefore(rescoreStart), file + " of the training run was rewritten");
        }
        assertScoredAsTrained(scoring, "the rescoring's accuracy against the training run's test accuracy");
    }

    @Test
    void aBadVariableFailsTheTaskAndTheLogSaysWhy() {
        assertEquals("failed", badVariable.state("train"), "train task with a bad Variable");
        String last = badVariable.lastLogLine("train");
        assertTrue(last.contains("spark_mnist Variable: unknown keys ['executor_memroy']"), "last line of the task log: " + last);
        assertEquals("upstream_failed", badVariable.state("score"), "score task after a failed train");
    }

    @Test
    void aBadConfigFailsTheTaskAndTheLogSaysWhy() {
        assertEquals("failed", badConfig.state("train"), "train task with a bad job config");
        String last = badConfig.lastLogLine("train");
        assertTrue(last.contains("unknown config key train.epoch") && last.contains("did you mean train.epochs?"),
                "last line of the task log: " + last);
        assertEquals("upstream_failed", badConfig.state("score"), "score task after a failed train");
    }

    private void assertAllWrittenByTheRerun(Path run, List<String> files) throws IOException {
        assertAllWrittenSince(run, files, rerunStart, "the rerun");
    }

    private static void assertAllWrittenSince(Path run, List<String> files, java.time.Instant since, String writer) throws IOException {
        for (String file : files) {
            assertFalse(Files.getLastModifiedTime(run.resolve(file)).toInstant().isBefore(since), file + " was not written by " + writer);
        }
    }

    private static List<String> withoutWriteIds(List<String> files) {
        return files.stream().map(f -> WRITE_UUID.matcher(f).replaceAll("<uuid>")).sorted().toList();
    }

    private static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()).sorted().toList();
        }
    }

    private void setVariable(Map<String, Object> value) throws IOException {
        assertOk(airflow("variable", "variables", "set", "spark_mnist", JSON.writeValueAsString(value)));
    }

    /** {@code airflow dags test} for the one logical date, then the task's state as Airflow recorded it, and its log. */
    private DagRun dagsTest(String name) throws IOException {
        long start = System.nanoTime();
        Scripts.Result cli = airflow("dags-test-" + name, "dags", "test", "spark_mnist", DATE, "--conf", RUN_CONF);
        seconds.put("dags test " + name, (System.nanoTime() - start) / 1_000_000_000);
        return new DagRun(cli, taskStates(), taskLogs(cli.output()));
    }

    /**
     * {@code airflow tasks test spark_mnist score <date>}: the score task alone, in the date's existing
     * DAG run, whose conf (the last {@code dags test}'s) overrides the DAG's default params, as when
     * "Clear" reruns it; Airflow records its state there. Its log is the CLI's output.
     */
    private DagRun tasksTest(String name) throws IOException {
        long start = System.nanoTime();
        Scripts.Result cli = airflow("tasks-test-score-" + name, "tasks", "test", "spark_mnist", "score", DATE);
        seconds.put("tasks test score " + name, (System.nanoTime() - start) / 1_000_000_000);
        return new DagRun(cli, taskStates(), Map.of("score", cli.output()));
    }

    private Map<String, String> taskStates() throws IOException {
        Scripts.Result runs = airflow("list-runs", "dags", "list-runs", "spark_mnist", "--output", "json");
        assertOk(runs);
        String runId = null;
        for (JsonNode run : JSON.readTree(jsonPart(runs.output()))) {
            if (run.path("logical_date").asText().startsWith(DATE)) {
                runId = run.path("run_id").asText();
            }
        }
        assertTrue(runId != null, "no dag run of " + DATE + ":\n" + runs.output());
        Scripts.Result states = airflow("task-states", "tasks", "states-for-dag-run", "spark_mnist", runId, "--output", "json");
        assertOk(states);
        Map<String, String> byTask = new TreeMap<>();
        for (JsonNode task : JSON.readTree(jsonPart(states.output()))) {
            byTask.put(task.path("task_id").asText(), task.path("state").asText());
        }
        return byTask;
    }

    /**
     * What each task logged: {@code airflow dags test} runs the tasks in-process, one after the
     * other, and prints each one's log between "[DAG TEST] running task &lt;TaskInstance: spark_mnist.TASK
     * ...&gt;" and "[DAG TEST] end task", interleaved with the lines of Airflow's own in-process
     * execution API (task state updates) and the log's "::group::" fold markers, which are left out
     * here: they are the log's frame, not what the task said.
     */
    private static Map<String, String> taskLogs(String cliOutput) {
        Map<String, String> logs = new TreeMap<>();
        List<String> lines = new ArrayList<>();
        String task = null;
        for (String line : cliOutput.lines().toList()) {
            if (line.contains("[DAG TEST] running task")) {
                Matcher name = Pattern.compile("spark_mnist\\.(\\w+)").matcher(line);
                task = name.find() ? name.group(1) : "unknown";
                lines = new ArrayList<>();
            } else if (line.contains("[DAG TEST] end task") && task != null) {
                logs.put(task, String.join("\n", lines));
                task = null;
            } else if (task != null && !line.contains("[airflow.api_fastapi.") && !line.contains("::group::") && !line.contains("::endgroup::")) {
                lines.add(line);
            }
        }
        return logs;
    }

    /** The JSON the CLI printed: its last line, after the warnings some commands print first. */
    private static String jsonPart(String output) {
        List<String> lines = output.lines().filter(l -> l.startsWith("[{") || l.equals("[]")).toList();
        return lines.isEmpty() ? "[]" : lines.get(lines.size() - 1);
    }

    private Scripts.Result airflow(String step, String... args) {
        List<String> command = new ArrayList<>(List.of(airflowCommand.toString()));
        command.addAll(List.of(args));
        return Scripts.run(command, env, LOGS.resolve("airflow-" + step + ".log"), Duration.ofMinutes(15));
    }

    private static Scripts.Result run(String step, List<String> command) {
        Scripts.Result result = Scripts.run(command, Map.of(), LOGS.resolve("airflow-" + step + ".log"), Duration.ofMinutes(20));
        assertOk(result);
        return result;
    }

    /** The run {@code task} of the first DAG run committed as {@code runId}: the task succeeded and the run is whole. */
    private Path committedByTheFirstRun(String task, String runId) {
        assertEquals("success", first.state(task), task + " task; dags test said:\n" + first.cli().tail(40));
        Path run = output.resolve(runId);
        assertTrue(Files.isRegularFile(run.resolve("_SUCCESS")), run + "/_SUCCESS");
        return run;
    }

    private static JsonNode summary(Path run) throws IOException {
        return JSON.readTree(run.resolve("summary.json").toFile());
    }

    /** The files a committed run's manifest (its _SUCCESS) lists, and the manifest itself. */
    private static Set<String> manifest(Path run) throws IOException {
        Set<String> listed = new TreeSet<>();
        JSON.readTree(run.resolve("_SUCCESS").toFile()).path("files").fieldNames().forEachRemaining(listed::add);
        listed.add("_SUCCESS");
        return listed;
    }

    /** The scoring run's accuracy is exactly the test accuracy of the training run whose model it scored with. */
    private void assertScoredAsTrained(Path scoring, String message) throws IOException {
        JsonNode trained = summary(output.resolve(RUN_ID));
        assertEquals(trained.at("/models/softmax/test_accuracy").asDouble(), summary(scoring).path("accuracy").asDouble(), 0.0, message);
    }

    private static void assertOk(Scripts.Result result) {
        assertEquals(0, result.exitCode(), result.tail(40));
    }

    private static String lastLine(Scripts.Result result) {
        return result.tail(1).strip();
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
