package org.sparkmnist.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptReport;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sparkmnist.store.RunStore;
import org.sparkmnist.testing.MiniYarn;
import org.sparkmnist.testing.Scripts;
import org.sparkmnist.testing.SummaryAccuracy;

/**
 * The job on YARN as users submit it: a real ResourceManager, NodeManager and HDFS (MiniYarn), and
 * submit/spark-submit.sh --master yarn with pyspark's Spark, in cluster and in client deploy mode,
 * reading MNIST from HDFS and writing the run there. Executors and application masters are
 * containers: JVMs the NodeManager starts, with its physical-memory check on, so a container whose
 * process tree outgrows heap + memoryOverhead is killed, as on a production cluster.
 *
 * <p>A third submission, in cluster mode with two application attempts allowed, has its application
 * master (the driver) SIGKILLed in the middle of training, after its first epoch's checkpoint; YARN
 * starts a second attempt, which takes over the dead driver's run lock, resumes the run from that
 * checkpoint, and commits it once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class YarnIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LOGS = Scripts.REPO.resolve("target/it-logs");
    /** What a NodeManager logs when it kills a container for outgrowing its memory. */
    private static final List<String> MEMORY_KILLS = List.of("beyond the 'PHYSICAL' memory limit", "exceeding physical memory",
            "beyond physical memory limits");
    private static final int EXECUTOR_HEAP_MB = 1024;
    private static final String AM_CLASS = "org.apache.spark.deploy.yarn.ApplicationMaster";
    private static final String EXECUTOR_CLASS = "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend";

    private MiniYarn cluster;
    private FileSystem fs;
    private YarnClient yarnClient;
    private String root;

    private Submission clusterMode;
    private Submission client;
    private Submission retried;
    /** What the third submission looked like when its application master was killed. */
    private AmKill amKill;

    private record Submission(String runId, ApplicationId appId, Scripts.Result result, double seconds, Path log) {
    }

    private record AmKill(long pid, List<Long> executorContainerMb, List<String> executorCommandLines) {
    }

    @BeforeAll
    void startYarnAndSubmit() throws Exception {
        Path jar = Scripts.clusterJar();
        long t0 = System.nanoTime();
        cluster = MiniYarn.start("yarn");
        fs = cluster.fs();
        yarnClient = cluster.client();
        root = cluster.root();
        System.out.printf("YarnIT: HDFS and YARN up, Spark's jars on HDFS after %.0f s%n", (System.nanoTime() - t0) / 1e9);

        clusterMode = submit("cluster", "cluster", List.of(), List.of(), false);
        client = submit("client", "client", List.of(), List.of(), false);
        retried = submit("retried", "cluster", List.of("--conf", "spark.yarn.maxAppAttempts=2"),
                List.of("models=[mlp]", "train.epochs=2", "output.mode=resume"), true);
        System.out.printf("YarnIT: cluster mode %.0f s, client mode %.0f s, killed-AM run %.0f s; whole test %.0f s%n",
                clusterMode.seconds(), client.seconds(), retried.seconds(), (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    void stopYarn() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * submit/spark-submit.sh on YARN: two one-core executors of 1g heap, MNIST and the run on HDFS,
     * one epoch unless {@code jobArgs} say otherwise. A cluster-mode driver's container is sized at
     * submit time, so it is given its overhead as the README says (driver memory + 1g).
     */
    private Submission submit(String runId, String deployMode, List<String> options, List<String> jobArgs, boolean killTheAm)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("submit/spark-submit.sh", "--master", "yarn", "--deploy-mode", deployMode,
                "--name", "yarn-it-" + runId, "--num-executors", "2", "--executor-cores", "1", "--executor-memory", EXECUTOR_HEAP_MB + "m",
                "--driver-memory", "1g"));
        cluster.sparkConf().forEach((key, value) -> command.addAll(List.of("--conf", key + "=" + value)));
        if (deployMode.equals("cluster")) {
            command.addAll(List.of("--conf", "spark.driver.memoryOverhead=2g"));
        }
        command.addAll(options);
        command.addAll(List.of("data.dir=" + root + "/mnist", "output.dir=" + root + "/runs", "run.id=" + runId, "train.epochs=1"));
        command.addAll(jobArgs);
        Path log = LOGS.resolve("yarn-" + runId + ".log");
        Map<String, String> env = Map.of("HADOOP_CONF_DIR", cluster.hadoopConf().toString(), "SPARK_MNIST_JAR",
                System.getProperty("cluster.jar"));
        long start = System.nanoTime();
        Process process = Scripts.start(command, env, log);
        ApplicationId appId = null;
        Scripts.Result result;
        try {
            appId = awaitApplication("yarn-it-" + runId, process);
            if (killTheAm) {
                assertNotNull(appId, () -> "the ResourceManager never saw the application: spark-submit.sh "
                        + (process.isAlive() ? "still running after 5 minutes" : "exited with " + process.exitValue()) + "; "
                        + Scripts.freeSpace() + "; " + log + " ends:\n" + Scripts.tail(log, 25));
                amKill = killTheApplicationMasterMidTraining(appId, runId);
            }
        } finally {
            result = Scripts.await(process, command, log, Duration.ofMinutes(20));
        }
        return new Submission(runId, appId, result, (System.nanoTime() - start) / 1e9, log);
    }

    private ApplicationId awaitApplication(String name, Process submit) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline && submit.isAlive()) {
            for (ApplicationReport report : yarnClient.getApplications()) {
                if (report.getName().equals(name)) {
                    return report.getApplicationId();
                }
            }
            Thread.sleep(500);
        }
        return null;
    }

    /**
     * Waits until the first attempt's driver has checkpointed the MLP's first epoch (the run store's
     * {@code _spark-mnist/<run.id>/holder-<n>-<token>/checkpoints/mlp/epoch-0001}, renamed into place when complete),
     * records the containers YARN gave the executors and their JVMs' JavaCPP options, then SIGKILLs
     * the application master's JVM (which in cluster mode is the driver) as a failing machine would,
     * in the middle of the second epoch.
     */
    private AmKill killTheApplicationMasterMidTraining(ApplicationId appId, String runId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        String amContainer = null;
        while (System.nanoTime() < deadline) {
            YarnApplicationState state = yarnClient.getApplicationReport(appId).getYarnApplicationState();
            if (state == YarnApplicationState.FINISHED || state == YarnApplicationState.FAILED || state == YarnApplicationState.KILLED) {
                fail(appId + " ended (" + state + ") before its driver logged an epoch");
            }
            List<ApplicationAttemptReport> attempts = yarnClient.getApplicationAttempts(appId);
            if (!attempts.isEmpty() && attempts.get(0).getAMContainerId() != null) {
                amContainer = attempts.get(0).getAMContainerId().toString();
                org.apache.hadoop.fs.FileStatus[] epoch = fs.globStatus(new org.apache.hadoop.fs.Path(root + "/runs/" + RunStore.DIRECTORY
                        + "/" + runId + "/holder-*/checkpoints/mlp/epoch-0001"));
                if (epoch != null && epoch.length > 0) {
                    break;
                }
            }
            Thread.sleep(500);
        }
        assertNotNull(amContainer, "no application master container");
        ApplicationAttemptReport first = yarnClient.getApplicationAttempts(appId).get(0);
        List<Long> executorMb = new ArrayList<>();
        for (ContainerReport container : yarnClient.getContainers(first.getApplicationAttemptId())) {
            if (!container.getContainerId().toString().equals(amContainer)) {
                executorMb.add(container.getAllocatedResource().getMemorySize());
            }
        }
        List<String> executorCommands = containerJvms(appId, EXECUTOR_CLASS).stream()
                .map(p -> p.info().commandLine().orElse("")).toList();
        List<ProcessHandle> am = containerJvms(appId, AM_CLASS);
        assertEquals(1, am.size(), "one application master JVM of " + appId + ": " + am);
        am.get(0).destroyForcibly();
        return new AmKill(am.get(0).pid(), executorMb, executorCommands);
    }

    /**
     * JVMs of {@code appId}'s containers (their working directory is the container's) running
     * {@code mainClass}; not the shell YARN's launch script starts each of them with.
     */
    private static List<ProcessHandle> containerJvms(ApplicationId appId, String mainClass) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .filter(p -> p.info().commandLine().orElse("").contains(mainClass))
                .filter(p -> workingDirectory(p).contains(appId.toString()))
                .toList();
    }

    private static String workingDirectory(ProcessHandle process) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    private JsonNode summary(String runId) throws IOException {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(root + "/runs/" + runId + "/summary.json"))) {
            return JSON.readTree(in);
        }
    }

    private void assertCommitted(Submission run) throws IOException {
        assertEquals(0, run.result().exitCode(), "spark-submit.sh --deploy-mode for " + run.runId() + " failed:\n" + run.result().tail(40));
        assertTrue(fs.isFile(new org.apache.hadoop.fs.Path(root + "/runs/" + run.runId() + "/_SUCCESS")), run.runId() + "/_SUCCESS");
    }

    @Test
    void clusterModeCommitsAnAccurateRun() throws IOException {
        assertCommitted(clusterMode);
        assertAccurate(summary("cluster"));
    }

    @Test
    void clientModeCommitsAnAccurateRun() throws IOException {
        assertCommitted(client);
        assertAccurate(summary("client"));
    }

    /** One epoch on the full split; measured on YARN here: see the closing numbers in the test's output. */
    private static void assertAccurate(JsonNode summary) {
        SummaryAccuracy.assertAtLeast(summary, 0.85, 0.94);
        assertEquals("yarn", summary.at("/environment/spark_master").asText());
    }

    /** The containers are what the job asked for: heap + JavaCPP's maximum + the JVM's own memory, and the JVMs know their limits. */
    @Test
    void executorContainersHoldHeapPlusJavaCppsMaximum() {
        assertNotNull(amKill, "the application master was not killed, so its containers were not seen");
        assertEquals(List.of(3072L, 3072L), amKill.executorContainerMb(), "executor containers (MB): 1024 heap + 1024 maxbytes + 1024");
        assertEquals(2, amKill.executorCommandLines().size(), "executor JVMs: " + amKill.executorCommandLines());
        for (String command : amKill.executorCommandLines()) {
            assertTrue(command.contains("-Dorg.bytedeco.javacpp.maxbytes=1024m"), command);
            assertTrue(command.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=3072m"), command);
        }
    }

    /** The NodeManager checks physical memory, and killed no container of any run for exceeding it. */
    @Test
    void noContainerWasKilledForExceedingItsMemory() throws IOException {
        assertTrue(cluster.nodeManagerConfig().getBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false), "the physical-memory check is on");
        assertTrue(cluster.nodeManagerConfig().getBoolean(YarnConfiguration.NM_CONTAINER_MONITOR_ENABLED, false), "the container monitor is on");
        Map<String, String> logs = cluster.allContainerLogs();
        assertTrue(logs.size() >= 9, "container logs of three applications: " + logs.keySet());
        for (Submission run : List.of(clusterMode, client, retried)) {
            logs.put(run.log().toString(), run.result().output());
        }
        logs.forEach((file, text) -> MEMORY_KILLS.forEach(kill -> assertFalse(text.contains(kill), file + " reports a memory kill")));
    }

    /**
     * The killed application master is replaced by a second attempt, which takes over the run: the
     * application succeeds on attempt 2, which resumed after the checkpointed epoch, the run is
     * committed once with both epochs, and nothing of the first attempt is left beside it.
     */
    @Test
    void aKilledApplicationMastersRetryFinishesTheRunCleanly() throws Exception {
        assertNotNull(amKill, "the application master was not killed");
        assertCommitted(retried);
        ApplicationReport report = yarnClient.getApplicationReport(retried.appId());
        assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus());
        assertEquals(2, yarnClient.getApplicationAttempts(retried.appId()).size(), "application attempts");
        JsonNode summary = summary("retried");
        assertEquals(2, summary.at("/models/mlp/epochs").asInt());
        assertTrue(summary.at("/models/mlp/test_accuracy").asDouble() >= 0.95, "mlp test accuracy " + summary.at("/models/mlp/test_accuracy"));
        List<String> left = new ArrayList<>();
        for (FileStatus status : fs.listStatus(new org.apache.hadoop.fs.Path(root + "/runs"))) {
            left.add(status.getPath().getName());
        }
        assertEquals(List.of("client", "cluster", "retried"), left.stream().sorted().toList(), "only committed runs remain under /runs");
        String secondAttempt = cluster.containerLog(retried.appId(), yarnClient.getApplicationAttempts(retried.appId()).get(1).getAMContainerId().toString(),
                "stderr").map(YarnIT::read).orElse("");
        // The first epoch was checkpointed before the kill: the second attempt takes the dead driver's lock over and resumes.
        assertTrue(secondAttempt.contains("mlp: resumed from epoch 1/2"), "the second attempt's driver log:\n" + secondAttempt);
        System.out.println("YarnIT: the second attempt resumed from epoch 1/2; the first attempt's driver (pid " + amKill.pid()
                + ") was SIGKILLed");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
