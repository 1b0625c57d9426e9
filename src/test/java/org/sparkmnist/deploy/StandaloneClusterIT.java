package org.sparkmnist.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkmnist.store.RunStore;
import org.sparkmnist.testing.MnistFiles;
import org.sparkmnist.testing.SavedModels;
import org.sparkmnist.testing.Scripts;
import org.sparkmnist.testing.IsolatedCluster;

/**
 * The job as users run it on a cluster: submit/standalone-cluster.sh starts a Master and two
 * one-core Workers (separate JVMs, 127.0.0.1 only, with spark.authenticate on, from pyspark's Spark), and
 * submit/spark-submit.sh submits the cluster jar to them in client mode. The cluster runs on
 * ports of its own and from a state directory of its own, so a cluster the developer runs is not
 * touched, and it is stopped even when the test fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MODELS = List.of("softmax", "mlp");
    private static final Path LOGS = Scripts.REPO.resolve("target/it-logs");

    /** The run and Spark's event log; kept after the build for a look at what happened. */
    private static final Path WORK = Scripts.REPO.resolve("target/it-standalone-cluster-run");

    private IsolatedCluster cluster;
    private final String secret = randomSecret();
    private String masterUrl;
    private Scripts.Result submit;
    private Path run;
    private Path events;
    private JsonNode summary;

    @BeforeAll
    void startClusterAndSubmit() throws IOException {
        Path mnist = MnistFiles.directory();
        Path jar = Scripts.clusterJar();

        // Daemons and executors take the shared secret from the environment, as Spark documents.
        cluster = new IsolatedCluster("standalone-cluster", 2, Map.of(
                "SPARK_DAEMON_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dspark.authenticate=true",
                "_SPARK_AUTH_SECRET", secret));
        IsolatedCluster.deleteRecursively(WORK);
        cluster.start();
        masterUrl = cluster.masterUrl();

        events = Files.createDirectories(WORK.resolve("events"));
        Path output = WORK.resolve("runs");
        // The driver reads the secret as Spark documents: from spark-defaults.conf in a SPARK_CONF_DIR only its user can read.
        Path sparkConf = Files.createDirectories(WORK.resolve("spark-conf"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.writeString(sparkConf.resolve("spark-defaults.conf"), "spark.authenticate true\nspark.authenticate.secret " + secret + "\n");
        Map<String, String> submitEnv = Map.of("SPARK_MNIST_JAR", jar.toString(), "SPARK_CONF_DIR", sparkConf.toString());
        submit = Scripts.run(List.of("submit/spark-submit.sh", "--master", masterUrl,
                        "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.dir=" + events.toUri(),
                        "train.epochs=2", "data.dir=" + mnist, "output.dir=" + output, "run.id=c1"),
                submitEnv, LOGS.resolve("standalone-cluster-submit.log"), Duration.ofMinutes(20));
        run = output.resolve("c1");
        if (Files.isRegularFile(run.resolve("summary.json"))) {
            summary = JSON.readTree(run.resolve("summary.json").toFile());
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    void submitExitsZeroAndCommitsTheRun() {
        assertEquals(0, submit.exitCode(), "spark-submit.sh failed:\n" + submit.tail(40));
        assertTrue(Files.exists(run.resolve("_SUCCESS")), "_SUCCESS");
        assertFalse(Files.exists(run.getParent().resolve(RunStore.DIRECTORY)), "the staged minibatches must be removed");
    }

    @Test
    void twoEpochsReachTheExpectedAccuracy() {
        assertEquals(0, submit.exitCode(), "spark-submit.sh failed:\n" + submit.tail(40));
        for (String model : MODELS) {
            assertEquals(2, summary.at("/models/" + model + "/epochs").asInt(), model + " epochs");
        }
        double softmax = summary.at("/models/softmax/test_accuracy").asDouble();
        double mlp = summary.at("/models/mlp/test_accuracy").asDouble();
        // Measured on this cluster: softmax 0.896, mlp 0.971.
        assertTrue(softmax >= 0.88, "softmax test accuracy " + softmax);
        assertTrue(mlp >= 0.95, "mlp test accuracy " + mlp);
        assertEquals(masterUrl, summary.at("/environment/spark_master").asText());
    }

    @Test
    void savedModelsReloadAndScoreAsReported() throws IOException {
        assertEquals(0, submit.exitCode(), "spark-submit.sh failed:\n" + submit.tail(40));
        DataSet test = SavedModels.testSet(MnistFiles.directory().toString(), summary.at("/config/data/normalize").asBoolean(),
                new Configuration());
        for (String model : MODELS) {
            MultiLayerNetwork network = SavedModels.load(Files.newInputStream(run.resolve(model).resolve("model.zip")));
            assertEquals(summary.at("/models/" + model + "/test_accuracy").asDouble(), SavedModels.accuracy(network, test), 1e-6,
                    model);
        }
    }

    /**
     * Spark's event log names the executor of every task: all ran on two executors, none in the
     * driver, and parameter averaging used both. Each executor was registered by a different
     * Worker, and each Worker's work directory holds the launch command of its own executor JVM.
     */
    @Test
    void trainingRanOnTwoExecutorJvmsOfDifferentWorkers() throws IOException {
        assertEquals(0, submit.exitCode(), "spark-submit.sh failed:\n" + submit.tail(40));
        List<Path> logs;
        try (Stream<Path> files = Files.list(events)) {
            logs = files.toList();
        }
        assertEquals(1, logs.size(), "one event log: " + logs);
        String appId = logs.get(0).getFileName().toString();

        Map<String, Integer> tasksPerExecutor = new TreeMap<>();
        Map<String, Set<String>> averagingExecutors = new TreeMap<>();
        Map<Integer, String> stageNames = new HashMap<>();
        Set<String> executorLogHosts = new HashSet<>();
        List<JsonNode> taskEnds = new ArrayList<>();
        for (String line : Files.readAllLines(logs.get(0))) {
            JsonNode event = JSON.readTree(line);
            switch (event.path("Event").asText()) {
                case "SparkListenerStageCompleted" -> stageNames.put(event.at("/Stage Info/Stage ID").asInt(),
                        event.at("/Stage Info/Stage Name").asText());
                case "SparkListenerTaskEnd" -> taskEnds.add(event);
                case "SparkListenerExecutorAdded" -> executorLogHosts.add(
                        java.net.URI.create(event.at("/Executor Info/Log Urls/stderr").asText()).getAuthority());
                default -> { }
            }
        }
        for (JsonNode end : taskEnds) {
            String executor = end.at("/Task Info/Executor ID").asText();
            tasksPerExecutor.merge(executor, 1, Integer::sum);
            String stage = stageNames.getOrDefault(end.path("Stage ID").asInt(), "");
            if (stage.contains("ParameterAveragingTrainingMaster")) {
                averagingExecutors.computeIfAbsent(stage, s -> new HashSet<>()).add(executor);
            }
        }
        assertEquals(2, tasksPerExecutor.size(), "executors that ran tasks: " + tasksPerExecutor);
        assertFalse(tasksPerExecutor.containsKey("driver"), "no task may run in the driver: " + tasksPerExecutor);
        assertFalse(averagingExecutors.isEmpty(), "no parameter-averaging stage in the event log");
        averagingExecutors.forEach((stage, executors) -> assertEquals(2, executors.size(), stage + " ran on " + executors));
        assertEquals(2, executorLogHosts.size(), "the executors' log pages are served by two Workers: " + executorLogHosts);

        for (String worker : List.of("worker-1", "worker-2")) {
            Path appDir = cluster.workDir().resolve(worker).resolve(appId);
            List<Path> executorDirs;
            try (Stream<Path> dirs = Files.list(appDir)) {
                executorDirs = dirs.toList();
            }
            assertEquals(1, executorDirs.size(), worker + " runs one executor of " + appId + ": " + executorDirs);
            String stderr = Files.readString(executorDirs.get(0).resolve("stderr"));
            assertTrue(stderr.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend"),
                    worker + " launched an executor JVM of its own");
        }
    }

    /** The Workers log each executor's launch command, and the executors' stderr starts with it. */
    @Test
    void theSecretIsNeitherPrintedNorOnAnExecutorCommandLine() throws IOException {
        assertNotEquals("", secret);
        String submitted = Files.readString(LOGS.resolve("standalone-cluster-submit.log"));
        assertFalse(submitted.contains(secret), "spark-submit.sh must never print the secret");
        List<Path> logs = new ArrayList<>();
        for (Path dir : List.of(cluster.workDir(), cluster.logDir())) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(f -> f.getFileName().toString().equals("stderr") || f.toString().endsWith(".out")).forEach(logs::add);
            }
        }
        assertFalse(logs.isEmpty());
        for (Path log : logs) {
            assertFalse(Files.readString(log).contains(secret), log + " shows the secret");
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
