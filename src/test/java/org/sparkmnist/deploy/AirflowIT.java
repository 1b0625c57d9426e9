package org.sparkmnist.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.MiniYarn;
import org.sparkmnist.testing.MnistFiles;
import org.sparkmnist.testing.Scripts;

/**
 * The DAG in a real Airflow on the production path: the pinned Airflow and Spark provider of
 * submit/python-env.sh airflow, a throwaway AIRFLOW_HOME with its SQLite metadata database under
 * target/, a Spark connection to YARN in cluster mode and the spark_mnist Variable set with
 * Airflow's own CLI, and {@code airflow dags test spark_mnist <date>}, which runs the tasks
 * in-process. Each task runs a real spark-submit (pyspark's Spark) that hands the job to a real
 * YARN (MiniYarn: a ResourceManager, a NodeManager, HDFS); the task then follows the application
 * through the ResourceManager's REST API. The jar, MNIST and the runs are on HDFS. A short run:
 * train the softmax model (one epoch, a 5,000/500 split), then score that day's folder of new
 * images, 2,000 of MNIST's test digits with their labels.
 *
 * <p>Then, in cluster mode: the same date again, whose train is killed with its worker (the
 * {@code airflow} process) while YARN runs its application, and retried, which must re-attach to
 * that application rather than submit another; a bad job config, which must fail train without a
 * retry, the job's reason last in its log; a bad Variable. Last, the cheap client-mode checks: a
 * {@code local[2]} connection, the driver on the Airflow worker, and no scoring input; then a bad
 * job config there too; and a Kubernetes connection, which the pinned set cannot submit to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AirflowIT {

    /** The optimizer's log line when its updates run on the JDK's Vector API (UpdateKernels). */
    private static final Pattern SIMD_UPDATES = Pattern.compile("optimizer updates: one \\d+-lane SIMD");
    /** What the provider logs once spark-submit has handed the application to YARN and its id is kept. */
    private static final Pattern TRACKING = Pattern.compile("Tracking YARN application (application_\\d+_\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LOGS = Scripts.REPO.resolve("target/it-logs");
    private static final String DATE = "2026-03-01";
    /** run.id is the logical date, as the DAG formats it. */
    private static final String RUN_ID = "20260301T000000";
    /** The scoring run's id: the same logical date, its own run. */
    private static final String SCORE_ID = RUN_ID + "-score";
    private static final String BAD_CONFIG_DATE = "2026-03-02";
    private static final String BAD_CONFIG_RUN_ID = "20260302T000000";
    private static final String BAD_VARIABLE_DATE = "2026-03-03";
    private static final String CLIENT_DATE = "2026-03-04";
    private static final String CLIENT_RUN_ID = "20260304T000000";
    private static final String CLIENT_BAD_CONFIG_DATE = "2026-03-05";
    private static final String KUBERNETES_DATE = "2026-03-06";
    private static final String RUN_CONF = "{\"epochs\": 1, \"models\": \"[softmax]\", \"score_model\": \"softmax\"}";
    private static final int SCORED_IMAGES = 2000;

    private final Map<String, String> env = new HashMap<>();
    private final Map<String, Long> seconds = new LinkedHashMap<>();
    private MiniYarn cluster;
    private String root;
    private Path airflowHome;
    private Path airflowCommand;
    private Path localRuns;

    private DagRun first;
    /** What the Rendered Template view showed of the first run's train and score (a rerun clears them). */
    private JsonNode firstTrainRendered;
    private JsonNode firstScoreRendered;
    /** The same date again, killed with its worker while YARN ran train's application. */
    private DagRun killed;
    private ApplicationId killedApplication;
    private Instant rerunStart;
    /** train alone, in that DAG run, as the retry after the lost worker runs it. */
    private DagRun retry;
    private Map<ApplicationId, ApplicationReport> applicationsBeforeRetry;
    private Map<ApplicationId, ApplicationReport> applicationsAfterRetry;
    private DagRun badConfig;
    private DagRun badVariable;
    private Map<ApplicationId, ApplicationReport> applicationsBeforeBadVariable;
    private Map<ApplicationId, ApplicationReport> applicationsAfterBadVariable;
    private DagRun client;
    private DagRun clientBadConfig;
    private DagRun kubernetes;

    /** One {@code airflow dags test} (or {@code tasks test}): the CLI's output, each task's state and log. */
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

        /** How many times the DAG test ran {@code task}: more than once would be a retry. */
        long attempts(String task) {
            return cli.output().lines().filter(l -> l.contains("[DAG TEST] running task <TaskInstance: spark_mnist." + task + " ")).count();
        }
    }

    @BeforeAll
    void runTheDag() throws Exception {
        Path jar = Scripts.clusterJar();
        long t0 = System.nanoTime();
        cluster = MiniYarn.start("airflow");
        root = cluster.root();
        // The jar, MNIST and the day's new images on HDFS, as production keeps them.
        cluster.fs().copyFromLocalFile(new org.apache.hadoop.fs.Path(jar.toUri()), new org.apache.hadoop.fs.Path(root + "/apps/spark-mnist-cluster.jar"));
        writeTheDaysImages(root + "/incoming/" + DATE);
        seconds.put("HDFS and YARN up, jar and images on HDFS", (System.nanoTime() - t0) / 1_000_000_000);
        installAirflow();

        first = dagsTest("first", DATE, yarnVariable());
        firstTrainRendered = renderedFields("train");
        firstScoreRendered = renderedFields("score");
        killTheRerunWhileYarnRunsTrain();
        applicationsBeforeRetry = cluster.applications();
        retry = tasksTest("retry", "train", DATE);
        applicationsAfterRetry = cluster.applications();

        badConfig = dagsTest("bad-config", BAD_CONFIG_DATE, with(yarnVariable(), "overrides", Map.of("train.epoch", 1)));

        applicationsBeforeBadVariable = cluster.applications();
        badVariable = dagsTest("bad-variable", BAD_VARIABLE_DATE, with(yarnVariable(), "executor_memroy", "1g"));
        applicationsAfterBadVariable = cluster.applications();

        client = dagsTest("client", CLIENT_DATE, clientVariable());
        clientBadConfig = dagsTest("client-bad-config", CLIENT_BAD_CONFIG_DATE, with(clientVariable(), "overrides", Map.of("train.epoch", 1)));

        kubernetes = dagsTest("kubernetes", KUBERNETES_DATE, with(yarnVariable(), "conn_id", "spark_k8s"));

        System.out.println("AirflowIT: " + seconds + "; whole test " + (System.nanoTime() - t0) / 1_000_000_000 + " s");
        System.out.println("AirflowIT: the first run's train task log (cluster mode) ends with:\n" + tail(first.log("train"), 4));
        System.out.println("AirflowIT: the first run's score task log (cluster mode) ends with:\n" + tail(first.log("score"), 4));
        System.out.println("AirflowIT: the bad config's train task log (cluster mode) ends with:\n" + badConfig.lastLogLine("train"));
        System.out.printf("AirflowIT: the ResourceManager's applications before the retry %d (%d for %s), after it %d (%d for %s)%n",
                applicationsBeforeRetry.size(), named(applicationsBeforeRetry, RUN_ID), RUN_ID,
                applicationsAfterRetry.size(), named(applicationsAfterRetry, RUN_ID), RUN_ID);
    }

    @AfterAll
    void stopYarn() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** MNIST's first 2,000 test digits and their labels in the day's folder, which score_input names with {{ ds }}. */
    private void writeTheDaysImages(String folder) throws IOException {
        List<Path> mnist = MnistFiles.files();
        IdxImages images = IdxFiles.readImages(mnist.get(2), 28, 28);
        IdxLabels labels = IdxFiles.readLabels(mnist.get(3));
        int[] firstOnes = IntStream.range(0, SCORED_IMAGES).toArray();
        writeToHdfs(folder + "/t10k-images-idx3-ubyte", IdxFiles.images(28, 28, images.gather(firstOnes, 0, SCORED_IMAGES)));
        writeToHdfs(folder + "/t10k-labels-idx1-ubyte", IdxFiles.labels(labels.gather(firstOnes, 0, SCORED_IMAGES)));
    }

    private void writeToHdfs(String file, byte[] content) throws IOException {
        try (OutputStream out = cluster.fs().create(new org.apache.hadoop.fs.Path(file))) {
            out.write(content);
        }
    }

    /** The pinned Airflow, an AIRFLOW_HOME with the DAG file copied in as the README says, its database and connections. */
    private void installAirflow() throws IOException {
        long t0 = System.nanoTime();
        airflowHome = Files.createDirectories(cluster.work().resolve("airflow-home"));
        Path dags = Files.createDirectories(airflowHome.resolve("dags"));
        Files.copy(Scripts.REPO.resolve("submit/airflow/spark_mnist_dag.py"), dags.resolve("spark_mnist_dag.py"));
        localRuns = Files.createDirectories(cluster.work().resolve("local-runs"));
        Path venv = Path.of(lastLine(run("python-env", List.of("submit/python-env.sh", "airflow"))));
        Path sparkHome = Path.of(lastLine(run("spark-home", List.of("submit/spark-home.sh"))));
        airflowCommand = venv.resolve("bin/airflow");
        env.put("AIRFLOW_HOME", airflowHome.toString());
        env.put("AIRFLOW__CORE__DAGS_FOLDER", dags.toString());
        env.put("AIRFLOW__CORE__LOAD_EXAMPLES", "False");
        env.put("SPARK_HOME", sparkHome.toString());
        // The provider runs "spark-submit" from PATH; spark-submit finds YARN and HDFS through HADOOP_CONF_DIR.
        env.put("PATH", sparkHome.resolve("bin") + ":" + venv.resolve("bin") + ":" + System.getenv("PATH"));
        env.put("HADOOP_CONF_DIR", cluster.hadoopConf().toString());
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        assertOk(airflow("db-migrate", "db", "migrate"));
        // The README's production connection: YARN, driver in the cluster, and where the ResourceManager's REST API is.
        assertOk(airflow("connection-yarn", "connections", "add", "spark_yarn", "--conn-type", "spark", "--conn-host", "yarn",
                "--conn-extra", JSON.writeValueAsString(Map.of("deploy-mode", "cluster",
                        "yarn_resourcemanager_webapp_address", cluster.resourceManagerWebapp()))));
        assertOk(airflow("connection-local", "connections", "add", "spark_mnist_local", "--conn-type", "spark", "--conn-host", "local[2]",
                "--conn-extra", "{\"deploy-mode\": \"client\"}"));
        // The README's Kubernetes connection, which the pinned set (no cncf-kubernetes provider) cannot submit to.
        assertOk(airflow("connection-k8s", "connections", "add", "spark_k8s", "--conn-type", "spark", "--conn-host",
                "k8s://https://kubernetes.default.svc", "--conn-extra", "{\"deploy-mode\": \"cluster\", \"namespace\": \"spark\"}"));
        seconds.put("install (or check) Airflow, airflow db migrate, connections", (System.nanoTime() - t0) / 1_000_000_000);
    }

    /**
     * The Variable of the production path: YARN in cluster mode (the default deploy_mode), the jar
     * and the data on HDFS, one one-core executor of 1g; the driver's container sized as the README
     * says (memory + overhead); score_input and score_labels in the logical date's folder.
     */
    private Map<String, Object> yarnVariable() {
        Map<String, Object> variable = new LinkedHashMap<>();
        variable.put("conn_id", "spark_yarn");
        variable.put("jar", root + "/apps/spark-mnist-cluster.jar");
        variable.put("data_dir", root + "/mnist");
        variable.put("output_dir", root + "/runs");
        variable.put("executor_memory", "1g");
        variable.put("executor_cores", 1);
        variable.put("num_executors", 1);
        variable.put("driver_memory", "1g");
        Map<String, String> conf = new LinkedHashMap<>(cluster.sparkConf());
        conf.put("spark.driver.memoryOverhead", "2g");
        variable.put("conf", conf);
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("split.train", 5000);
        overrides.put("split.validation", 500);
        variable.put("overrides", overrides);
        variable.put("score_input", root + "/incoming/{{ ds }}/t10k-images-idx3-ubyte");
        variable.put("score_labels", root + "/incoming/{{ ds }}/t10k-labels-idx1-ubyte");
        return variable;
    }

    /**
     * Client mode, cheaply: a local[2] master, the driver (which trains) on the Airflow worker with
     * the project's JavaCPP cache and log4j2 file, MNIST and the run on this machine, nothing to score.
     */
    private Map<String, Object> clientVariable() {
        Map<String, Object> variable = yarnVariable();
        variable.put("conn_id", "spark_mnist_local");
        variable.put("deploy_mode", "client");
        variable.put("jar", System.getProperty("cluster.jar"));
        variable.put("data_dir", MnistFiles.directory().toUri().toString());
        variable.put("output_dir", localRuns.toUri().toString());
        variable.put("driver_memory", "2g");
        variable.put("conf", Map.of("spark.driver.extraJavaOptions", "-Dorg.bytedeco.javacpp.cachedir=" + Scripts.REPO.resolve("target/javacpp-cache")
                + " -Dlog4j2.configurationFile=" + Scripts.REPO.resolve("src/main/resources/log4j2.properties")));
        variable.remove("score_input");
        variable.remove("score_labels");
        return variable;
    }

    /**
     * Runs the first date again (as "Clear" on it would) with {@code airflow dags test} in the
     * background, and SIGKILLs that Airflow process, the worker, as soon as YARN runs the new
     * application of train and the provider keeps its id, while the application goes on.
     */
    private void killTheRerunWhileYarnRunsTrain() throws Exception {
        Path log = LOGS.resolve("airflow-dags-test-killed.log");
        List<String> command = List.of(airflowCommand.toString(), "dags", "test", "spark_mnist", DATE, "--conf", RUN_CONF);
        rerunStart = Instant.now();
        long start = System.nanoTime();
        Process process = Scripts.start(command, env, log);
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (killedApplication == null || cluster.client().getApplicationReport(killedApplication).getYarnApplicationState()
                    != YarnApplicationState.RUNNING) {
                assertTrue(process.isAlive(), () -> "dags test ended before YARN ran train's application:\n" + Scripts.tail(log, 40));
                assertTrue(System.nanoTime() < deadline, () -> "YARN did not run train's application within 5 minutes:\n" + Scripts.tail(log, 40));
                Matcher tracking = TRACKING.matcher(Files.readString(log));
                if (tracking.find()) {
                    killedApplication = ApplicationId.fromString(tracking.group(1));
                }
                Thread.sleep(500);
            }
        } finally {
            Scripts.killTree(process.toHandle());
        }
        process.waitFor();
        seconds.put("dags test killed", (System.nanoTime() - start) / 1_000_000_000);
        Scripts.Result cli = new Scripts.Result(process.exitValue(), Files.readString(log));
        killed = new DagRun(cli, Map.of(), taskLogs(cli.output()));
    }

    @Test
    void trainRunsInClusterModeOnYarnAndCommitsTheRunOnHdfs() throws IOException {
        assertEquals("success", first.state("train"), "train task; dags test said:\n" + first.cli().tail(40));
        assertTrue(first.log("train").contains("--deploy-mode cluster"), "spark-submit in cluster mode:\n" + tail(first.log("train"), 40));
        JsonNode summary = committedSummary(RUN_ID);
        assertEquals(RUN_ID, summary.path("run_id").asText());
        assertEquals(1, summary.at("/models/softmax/epochs").asInt());
        assertEquals("yarn", summary.at("/environment/spark_master").asText());
        // One epoch on 5,000 examples: far from the tutorial's accuracy, far above chance.
        double accuracy = summary.at("/models/softmax/test_accuracy").asDouble();
        assertTrue(accuracy > 0.5, "softmax test accuracy " + accuracy);
    }

    @Test
    void trainsLogEndsWithTheDriversLastLineFromYarn() {
        // In cluster mode the driver runs in YARN's application master; the task says what it did from YARN's logs.
        String last = first.lastLogLine("train");
        assertTrue(last.contains("succeeded; its driver's last line:") && last.contains("run written to " + root + "/runs/" + RUN_ID),
                "last line of the train task's log: " + last);
    }

    @Test
    void scoreScoresTheDaysFolderWithTheModelJustTrained() throws IOException {
        assertEquals("success", first.state("score"), "score task; dags test said:\n" + first.cli().tail(40));
        JsonNode summary = committedSummary(SCORE_ID);
        assertEquals("scoring", summary.path("job").asText());
        assertEquals(root + "/runs/" + RUN_ID + "/softmax/model.zip", summary.at("/model/file").asText(), "the model train just wrote");
        assertEquals(SCORED_IMAGES, summary.path("inputs").asLong(), "the images in incoming/" + DATE);
        assertTrue(cluster.fs().isFile(new org.apache.hadoop.fs.Path(root + "/runs/" + SCORE_ID + "/predictions/_SUCCESS")),
                "predictions written by Spark's committer");
        String last = first.lastLogLine("score");
        assertTrue(last.contains("run written to " + root + "/runs/" + SCORE_ID), "last line of the score task's log: " + last);
    }

    /** What the Rendered Template view shows: the fields as the task rendered them, from Airflow's database. */
    @Test
    void theRenderedTemplatesAreTheRealApplicationArguments() {
        JsonNode train = firstTrainRendered;
        assertEquals(List.of("data.dir=" + root + "/mnist", "output.dir=" + root + "/runs", "run.id=" + RUN_ID, "train.epochs=1",
                "models=[softmax]", "split.train=5000", "split.validation=500"), strings(train.path("application_args")));
        assertEquals(root + "/apps/spark-mnist-cluster.jar", train.path("application").asText());
        assertEquals("1g", train.at("/conf/spark.executor.memory").asText());
        JsonNode score = firstScoreRendered;
        // score_input's {{ ds }}, rendered: the logical date's folder.
        assertTrue(strings(score.path("application_args")).contains("score.input.path=" + root + "/incoming/" + DATE + "/t10k-images-idx3-ubyte"),
                "score's arguments: " + score.path("application_args"));
    }

    @Test
    void eachCommittedRunIsAnAssetEventCarryingItsUri() throws IOException {
        List<List<String>> events = assetEvents();
        assertTrue(events.size() >= 2, "asset events: " + events);
        assertEquals(List.of("spark_mnist_training_run", "train", root + "/runs/" + RUN_ID), events.get(0));
        assertEquals(List.of("spark_mnist_scoring_run", "score", root + "/runs/" + SCORE_ID), events.get(1));
    }

    /** "Clear" on a date whose train succeeded submits it again: the kept application id is done with once it succeeded. */
    @Test
    void runningTheSameDateAgainSubmitsANewApplication() {
        assertNotNull(killedApplication, "the rerun submitted nothing:\n" + killed.cli().tail(40));
        assertEquals(2, named(applicationsBeforeRetry, RUN_ID), "train's applications, the first run's and the rerun's: "
                + applicationsBeforeRetry.keySet());
    }

    @Test
    void aRetryWhileTheApplicationRunsReattachesToItInsteadOfSubmittingAgain() throws Exception {
        assertEquals(applicationsBeforeRetry.keySet(), applicationsAfterRetry.keySet(), "the ResourceManager's applications");
        String log = retry.log("train");
        assertTrue(log.contains("Reconnecting to existing job") && log.contains("external_id=" + killedApplication)
                && log.contains("status=RUNNING"), "the retry's log:\n" + tail(log, 30));
        assertFalse(log.contains("Spark-Submit cmd"), "the retry ran spark-submit:\n" + tail(log, 30));
        assertEquals("success", retry.state("train"), "the retry of train:\n" + tail(log, 30));
        ApplicationReport report = cluster.client().getApplicationReport(killedApplication);
        assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus());
        // The run the re-attached application committed replaced the first one.
        long committed = cluster.fs().getFileStatus(new org.apache.hadoop.fs.Path(root + "/runs/" + RUN_ID + "/_SUCCESS")).getModificationTime();
        assertTrue(committed >= rerunStart.toEpochMilli(), "_SUCCESS of " + RUN_ID + " was written before the rerun started");
    }

    @Test
    void aBadConfigFailsTrainWithoutARetryAndTheLogsLastLineSaysWhy() {
        assertEquals("failed", badConfig.state("train"), "train task with a bad job config:\n" + badConfig.cli().tail(40));
        String last = badConfig.lastLogLine("train");
        assertTrue(last.contains("unknown config key train.epoch") && last.contains("did you mean train.epochs?"),
                "last line of the task log: " + last);
        assertEquals(1, badConfig.attempts("train"), "train's attempts");
        assertEquals(1, named(applicationsBeforeBadVariable, BAD_CONFIG_RUN_ID), "YARN applications of " + BAD_CONFIG_RUN_ID);
        assertEquals("upstream_failed", badConfig.state("score"), "score task after a failed train");
    }

    @Test
    void aBadVariableFailsBeforeAnythingIsSubmittedAndTheLogSaysWhy() {
        assertEquals("failed", badVariable.state("spark_target"), "spark_target task with a bad Variable");
        String last = badVariable.lastLogLine("spark_target");
        assertTrue(last.contains("spark_mnist Variable: unknown keys ['executor_memroy']"), "last line of the task log: " + last);
        assertEquals("upstream_failed", badVariable.state("train"), "train task after a bad Variable");
        assertEquals(applicationsBeforeBadVariable.keySet(), applicationsAfterBadVariable.keySet(), "YARN applications");
    }

    @Test
    void clientModeTrainsOnTheAirflowWorkerWithTheOptimizerAsSimd() throws IOException {
        assertEquals("success", client.state("train"), "train in client mode; dags test said:\n" + client.cli().tail(40));
        JsonNode summary = JSON.readTree(localRuns.resolve(CLIENT_RUN_ID).resolve("summary.json").toFile());
        assertEquals("local[2]", summary.at("/environment/spark_master").asText());
        assertTrue(Files.isRegularFile(localRuns.resolve(CLIENT_RUN_ID).resolve("_SUCCESS")));
        // spark-submit starts the driver's JVM with the DAG's spark.driver.extraJavaOptions; without the Vector API
        // module there, local mode's optimizer would fall back to the scalar loop.
        List<String> lines = client.log("train").lines().filter(line -> line.contains("optimizer updates:")).toList();
        assertFalse(lines.isEmpty(), "the train task's log says nothing of the optimizer's updates:\n" + tail(client.log("train"), 40));
        assertTrue(lines.stream().allMatch(line -> SIMD_UPDATES.matcher(line).find()), "optimizer updates: " + lines);
    }

    /** In client mode the reason comes from what spark-submit printed, the job's own line last. */
    @Test
    void clientModeABadConfigFailsTrainWithoutARetryAndTheLogsLastLineSaysWhy() {
        assertEquals("failed", clientBadConfig.state("train"), "train in client mode with a bad job config:\n" + clientBadConfig.cli().tail(40));
        String last = clientBadConfig.lastLogLine("train");
        assertTrue(last.contains("failed: spark-mnist: error: unknown config key train.epoch"), "last line of the task log: " + last);
        assertEquals(1, clientBadConfig.attempts("train"), "train's attempts");
    }

    /** The pinned set has no cncf-kubernetes provider: a k8s:// connection is refused, saying what to install. */
    @Test
    void aKubernetesConnectionFailsBeforeAnythingIsSubmittedSayingWhatToInstall() {
        assertEquals("failed", kubernetes.state("spark_target"), "spark_target with a Kubernetes connection:\n" + kubernetes.cli().tail(40));
        String last = kubernetes.lastLogLine("spark_target");
        assertTrue(last.contains("connection 'spark_k8s' submits to Kubernetes (k8s://https://kubernetes.default.svc)")
                && last.contains("pip install apache-airflow-providers-cncf-kubernetes"), "last line of the task log: " + last);
        assertEquals("upstream_failed", kubernetes.state("train"), "train task after a refused connection");
    }

    @Test
    void withoutAScoringInputTheScoreTaskIsSkipped() {
        String log = client.log("score");
        assertEquals("skipped", client.state("score"), "score task without score_input:\n" + client.cli().tail(40));
        assertTrue(log.contains("nothing to score: the spark_mnist Variable has no score_input"), tail(log, 20));
        assertFalse(log.contains("Spark-Submit cmd"), "nothing submitted:\n" + tail(log, 20));
    }

    private JsonNode committedSummary(String runId) throws IOException {
        assertTrue(cluster.fs().isFile(new org.apache.hadoop.fs.Path(root + "/runs/" + runId + "/_SUCCESS")), runId + "/_SUCCESS on HDFS");
        try (InputStream in = cluster.fs().open(new org.apache.hadoop.fs.Path(root + "/runs/" + runId + "/summary.json"))) {
            return JSON.readTree(in);
        }
    }

    private static long named(Map<ApplicationId, ApplicationReport> applications, String runId) {
        return applications.values().stream().filter(report -> report.getName().equals("spark-mnist-" + runId)).count();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** The fields {@code task} of the first date's DAG run rendered, as Airflow stored them for the Rendered Template view. */
    private JsonNode renderedFields(String task) throws IOException {
        String query = "select f.rendered_fields from rendered_task_instance_fields f join dag_run r on r.run_id = f.run_id and r.dag_id = f.dag_id"
                + " where f.task_id = '" + task + "' and r.logical_date like '" + DATE + "%'";
        List<String> rows = sqlite(query);
        assertEquals(1, rows.size(), "rendered fields of " + task + ": " + rows);
        return JSON.readTree(rows.get(0));
    }

    /** Every asset event, oldest first: the asset's name, the task that emitted it, the extra's "run". */
    private List<List<String>> assetEvents() throws IOException {
        List<List<String>> events = new ArrayList<>();
        for (String row : sqlite("select a.name, e.source_task_id, e.extra from asset_event e join asset a on a.id = e.asset_id order by e.id")) {
            String[] columns = row.split("\t", 3);
            events.add(List.of(columns[0], columns[1], JSON.readTree(columns[2]).path("run").asText()));
        }
        return events;
    }

    /** A query of Airflow's SQLite database, one tab-separated line per row, with the venv's Python. */
    private List<String> sqlite(String query) {
        String script = "import sqlite3, sys\n"
                + "for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print('\\t'.join(str(c) for c in row))\n";
        Scripts.Result result = Scripts.run(List.of(airflowCommand.resolveSibling("python").toString(), "-c", script,
                airflowHome.resolve("airflow.db").toString(), query), Map.of(), LOGS.resolve("airflow-sqlite.log"), Duration.ofMinutes(1));
        assertOk(result);
        return result.output().lines().filter(l -> !l.isBlank()).toList();
    }

    private void setVariable(Map<String, Object> value) throws IOException {
        assertOk(airflow("variable", "variables", "set", "spark_mnist", JSON.writeValueAsString(value)));
    }

    private static Map<String, Object> with(Map<String, Object> variable, String key, Object value) {
        variable.put(key, value);
        return variable;
    }

    /** {@link #dagsTest(String, String)} with the DAG's Airflow Variable set to {@code variable} first. */
    private DagRun dagsTest(String name, String date, Map<String, Object> variable) throws IOException {
        setVariable(variable);
        return dagsTest(name, date);
    }

    /** {@code airflow dags test} for one logical date, then each task's state as Airflow recorded it, and its log. */
    private DagRun dagsTest(String name, String date) throws IOException {
        long start = System.nanoTime();
        Scripts.Result cli = airflow("dags-test-" + name, "dags", "test", "spark_mnist", date, "--conf", RUN_CONF);
        seconds.put("dags test " + name, (System.nanoTime() - start) / 1_000_000_000);
        return new DagRun(cli, taskStates(date), taskLogs(cli.output()));
    }

    /**
     * {@code airflow tasks test spark_mnist TASK <date> --map-index 0}: the task alone, in the date's
     * existing DAG run, as a retry of it runs (its state store, its expanded arguments). Its log is the CLI's output.
     */
    private DagRun tasksTest(String name, String task, String date) throws IOException {
        long start = System.nanoTime();
        Scripts.Result cli = airflow("tasks-test-" + name, "tasks", "test", "spark_mnist", task, date, "--map-index", "0");
        seconds.put("tasks test " + name, (System.nanoTime() - start) / 1_000_000_000);
        return new DagRun(cli, taskStates(date), Map.of(task, cli.output()));
    }

    private Map<String, String> taskStates(String date) throws IOException {
        Scripts.Result runs = airflow("list-runs", "dags", "list-runs", "spark_mnist", "--output", "json");
        assertOk(runs);
        String runId = null;
        for (JsonNode run : JSON.readTree(jsonPart(runs.output()))) {
            if (run.path("logical_date").asText().startsWith(date)) {
                runId = run.path("run_id").asText();
            }
        }
        assertNotNull(runId, "no dag run of " + date + ":\n" + runs.output());
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
