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
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptReport;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sparkmnist.output.RunStore;
import org.sparkmnist.testing.IsolatedCluster;
import org.sparkmnist.testing.MiniHdfs;
import org.sparkmnist.testing.MnistFiles;
import org.sparkmnist.testing.Scripts;

/**
 * The job on YARN as users submit it: a real ResourceManager and NodeManager (MiniYARNCluster) and a
 * real HDFS (MiniDFSCluster) in this JVM, a HADOOP_CONF_DIR written for them, and
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
    private static final Path WORK = Scripts.REPO.resolve("target/it-yarn");
    private static final Path LOGS = Scripts.REPO.resolve("target/it-logs");
    private static final String YARN_NAME = "it-yarn-cluster";
    /** Where MiniYARNCluster keeps its NodeManager's local and log directories (Hadoop's test data directory). */
    private static final Path YARN_DIR = Scripts.REPO.resolve("target/test/data").resolve(YARN_NAME);
    /** What a NodeManager logs when it kills a container for outgrowing its memory. */
    private static final List<String> MEMORY_KILLS = List.of("beyond the 'PHYSICAL' memory limit", "exceeding physical memory",
            "beyond physical memory limits");
    private static final int EXECUTOR_HEAP_MB = 1024;
    private static final String AM_CLASS = "org.apache.spark.deploy.yarn.ApplicationMaster";
    private static final String EXECUTOR_CLASS = "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend";

    private MiniDFSCluster hdfs;
    private FileSystem fs;
    private MiniYARNCluster yarn;
    private YarnClient yarnClient;
    private String root;
    private Path hadoopConf;
    private String sparkArchive;

    private Submission cluster;
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
        Path jar = Path.of(System.getProperty("cluster.jar", "missing-cluster.jar"));
        assertTrue(Files.isRegularFile(jar), "the cluster jar " + jar + " is built by mvn package before the integration tests");
        IsolatedCluster.deleteRecursively(WORK);
        IsolatedCluster.deleteRecursively(YARN_DIR);
        long t0 = System.nanoTime();

        hdfs = MiniHdfs.start(WORK.resolve("hdfs").toFile());
        fs = hdfs.getFileSystem();
        root = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
        for (Path file : MnistFiles.files()) {
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(file.toUri()), new org.apache.hadoop.fs.Path(root + "/mnist/" + file.getFileName()));
        }
        yarn = startYarn();
        hadoopConf = writeHadoopConf();
        yarnClient = YarnClient.createYarnClient();
        yarnClient.init(yarn.getConfig());
        yarnClient.start();
        sparkArchive = uploadSparkJars();
        System.out.printf("YarnIT: HDFS and YARN up, Spark's jars on HDFS after %.0f s%n", (System.nanoTime() - t0) / 1e9);

        cluster = submit("cluster", "cluster", List.of(), List.of(), false);
        client = submit("client", "client", List.of(), List.of(), false);
        retried = submit("retried", "cluster", List.of("--conf", "spark.yarn.maxAppAttempts=2"),
                List.of("models=[mlp]", "train.epochs=2", "output.mode=resume"), true);
        System.out.printf("YarnIT: cluster mode %.0f s, client mode %.0f s, killed-AM run %.0f s; whole test %.0f s%n",
                cluster.seconds(), client.seconds(), retried.seconds(), (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    void stopYarn() throws IOException {
        if (yarnClient != null) {
            yarnClient.stop();
        }
        if (yarn != null) {
            yarn.stop();
        }
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
        // No container JVM may outlive the NodeManager that started it.
        ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("").contains("org.apache.spark"))
                .forEach(Scripts::killTree);
        // The NodeManager's local directories hold what it localized (Spark's jars unpacked, the job's
        // jar): 800 MB. Its log directories, the containers' logs, stay for a look after the build.
        if (Files.isDirectory(YARN_DIR)) {
            // YARN_DIR/yarn-<random>/it-yarn-cluster-localDir-nm-0_0
            try (Stream<Path> dirs = Files.walk(YARN_DIR, 2)) {
                dirs.filter(d -> d.getFileName().toString().contains("-localDir-")).toList().forEach(IsolatedCluster::deleteRecursively);
            }
        }
    }

    /**
     * One ResourceManager (FIFO scheduler: no share of the cluster reserved per queue) and one
     * NodeManager with room for an application master and two executors of 1g heap + 2g overhead,
     * its container memory monitor and physical-memory check on (MiniYARNCluster turns the monitor
     * off unless told to control it) and the virtual-memory check off (a JVM reserves far more
     * address space than it uses).
     */
    private MiniYARNCluster startYarn() throws InterruptedException {
        YarnConfiguration conf = new YarnConfiguration();
        conf.set("fs.defaultFS", root);
        conf.set(YarnConfiguration.RM_SCHEDULER, "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
        conf.setInt("yarn.minicluster.yarn.nodemanager.resource.memory-mb", 12 * 1024);
        conf.setInt(YarnConfiguration.NM_VCORES, 8);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 8 * 1024);
        conf.setBoolean("yarn.minicluster.control-resource-monitoring", true);
        conf.setBoolean(YarnConfiguration.NM_CONTAINER_MONITOR_ENABLED, true);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, true);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.setLong(YarnConfiguration.NM_CONTAINER_MON_INTERVAL_MS, 1000);
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.0f);
        conf.setInt(YarnConfiguration.RM_AM_MAX_ATTEMPTS, 2);
        MiniYARNCluster cluster = new MiniYARNCluster(YARN_NAME, 1, 1, 1);
        cluster.init(conf);
        cluster.start();
        // The ResourceManager writes its real port into the configuration only once it listens.
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (cluster.getConfig().get(YarnConfiguration.RM_ADDRESS, ":0").endsWith(":0")) {
            assertTrue(System.nanoTime() < deadline, "the ResourceManager has no address after a minute");
            Thread.sleep(100);
        }
        return cluster;
    }

    /** The client configuration spark-submit reads: HDFS as the default filesystem, and the ResourceManager's addresses. */
    private Path writeHadoopConf() throws IOException {
        Path dir = Files.createDirectories(WORK.resolve("hadoop-conf"));
        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", root);
        try (OutputStream out = Files.newOutputStream(dir.resolve("core-site.xml"))) {
            core.writeXml(out);
        }
        // The client's block-report back-off, as src/test/resources/hdfs-site.xml sets it for the test JVMs.
        Files.copy(Scripts.REPO.resolve("src/test/resources/hdfs-site.xml"), dir.resolve("hdfs-site.xml"));
        try (OutputStream out = Files.newOutputStream(dir.resolve("yarn-site.xml"))) {
            yarn.getConfig().writeXml(out);
        }
        return dir;
    }

    /**
     * Spark's jars, once, as the archive spark.yarn.archive names: without it every submission
     * zips and uploads the whole distribution (about 350 MB) again.
     */
    private String uploadSparkJars() throws IOException {
        Scripts.Result home = Scripts.run(List.of("submit/spark-home.sh"), Map.of(), LOGS.resolve("yarn-spark-home.log"), Duration.ofMinutes(15));
        assertEquals(0, home.exitCode(), "submit/spark-home.sh failed:\n" + home.tail(20));
        Path jars = Path.of(home.tail(1).strip()).resolve("jars");
        String archive = root + "/spark/spark-jars.zip";
        try (ZipOutputStream zip = new ZipOutputStream(fs.create(new org.apache.hadoop.fs.Path(archive)));
                Stream<Path> files = Files.list(jars)) {
            // Jars are compressed already.
            zip.setLevel(0);
            for (Path file : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(file.getFileName().toString()));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return archive;
    }

    /**
     * submit/spark-submit.sh on YARN: two one-core executors of 1g heap, MNIST and the run on HDFS,
     * one epoch unless {@code jobArgs} say otherwise. A cluster-mode driver's container is sized at
     * submit time, so it is given its overhead as the README says (driver memory + 1g).
     */
    private Submission submit(String runId, String deployMode, List<String> options, List<String> jobArgs, boolean killTheAm)
            throws Exception {
        String javaHome = System.getProperty("java.home");
        // One JavaCPP cache for every container: the ~400 MB of native libraries are unpacked once, not per container.
        String cache = "-Dorg.bytedeco.javacpp.cachedir=" + Scripts.REPO.resolve("target/javacpp-cache");
        List<String> command = new ArrayList<>(List.of("submit/spark-submit.sh", "--master", "yarn", "--deploy-mode", deployMode,
                "--name", "yarn-it-" + runId, "--num-executors", "2", "--executor-cores", "1", "--executor-memory", EXECUTOR_HEAP_MB + "m",
                "--driver-memory", "1g",
                "--conf", "spark.yarn.archive=" + sparkArchive,
                "--conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome, "--conf", "spark.executorEnv.JAVA_HOME=" + javaHome,
                "--conf", "spark.executor.extraJavaOptions=" + cache, "--conf", "spark.driver.extraJavaOptions=" + cache));
        if (deployMode.equals("cluster")) {
            command.addAll(List.of("--conf", "spark.driver.memoryOverhead=2g"));
        }
        command.addAll(options);
        command.addAll(List.of("data.dir=" + root + "/mnist", "output.dir=" + root + "/runs", "run.id=" + runId, "train.epochs=1"));
        command.addAll(jobArgs);
        Path log = LOGS.resolve("yarn-" + runId + ".log");
        Map<String, String> env = Map.of("HADOOP_CONF_DIR", hadoopConf.toString(), "SPARK_MNIST_JAR",
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

    /** The NodeManager's container log directory. */
    private Path logDir() {
        return Path.of(yarn.getNodeManager(0).getConfig().get(YarnConfiguration.NM_LOG_DIRS).split(",")[0]);
    }

    /** A container's log file in the NodeManager's log directory: {@code <log dir>/<application>/<container>/<name>}. */
    private Optional<Path> containerLog(ApplicationId appId, String containerId, String name) throws IOException {
        Path file = logDir().resolve(appId.toString()).resolve(containerId).resolve(name);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** Every container log of every application, by path. */
    private Map<String, String> allContainerLogs() throws IOException {
        Map<String, String> logs = new TreeMap<>();
        try (Stream<Path> files = Files.walk(logDir())) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("stderr|stdout")).toList()) {
                if (file.getParent().getFileName().toString().startsWith("container_")) {
                    logs.put(file.toString(), Files.readString(file));
                }
            }
        }
        return logs;
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
        assertCommitted(cluster);
        assertAccurate(summary("cluster"));
    }

    @Test
    void clientModeCommitsAnAccurateRun() throws IOException {
        assertCommitted(client);
        assertAccurate(summary("client"));
    }

    /** One epoch on the full split; measured on YARN here: see the closing numbers in the test's output. */
    private static void assertAccurate(JsonNode summary) {
        double softmax = summary.at("/models/softmax/test_accuracy").asDouble();
        double mlp = summary.at("/models/mlp/test_accuracy").asDouble();
        assertTrue(softmax >= 0.85, "softmax test accuracy " + softmax);
        assertTrue(mlp >= 0.94, "mlp test accuracy " + mlp);
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
        assertTrue(yarn.getConfig().getBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false), "the physical-memory check is on");
        assertTrue(yarn.getConfig().getBoolean(YarnConfiguration.NM_CONTAINER_MONITOR_ENABLED, false), "the container monitor is on");
        Map<String, String> logs = allContainerLogs();
        assertTrue(logs.size() >= 9, "container logs of three applications: " + logs.keySet());
        for (Submission run : List.of(cluster, client, retried)) {
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
        String secondAttempt = containerLog(retried.appId(), yarnClient.getApplicationAttempts(retried.appId()).get(1).getAMContainerId().toString(),
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
