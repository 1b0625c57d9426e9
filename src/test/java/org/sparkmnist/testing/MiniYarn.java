package org.sparkmnist.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.NodeState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * A real YARN on a real HDFS, as spark-submit (pyspark's Spark) submits to it in either deploy
 * mode: a MiniDFSCluster and a MiniYARNCluster's ResourceManager in this JVM, one NodeManager in a
 * JVM of its own, a HADOOP_CONF_DIR written for them, Spark's jars uploaded once to HDFS and MNIST
 * copied there. Executors and application masters are containers, JVMs the NodeManager starts with
 * its physical-memory check on, so a container whose process tree outgrows heap + memoryOverhead is
 * killed, as on a production cluster. Each test class gets its own, in target/it-{@code name}.
 */
public final class MiniYarn implements AutoCloseable {

    private static final Path LOGS = Scripts.REPO.resolve("target/it-logs");
    private static final String NODE_MANAGER_CLASS = "org.apache.hadoop.yarn.server.nodemanager.NodeManager";

    private final String name;
    private final Path work;
    /** MiniYARNCluster's own directory (in Hadoop's test data directory). */
    private final Path yarnDir;
    private MiniDFSCluster hdfs;
    private FileSystem fs;
    private MiniYARNCluster yarn;
    private final Path nodeManagerDir;
    private Configuration nodeManagerConf;
    private Process nodeManager;
    private YarnClient client;
    private String root;
    private Path hadoopConf;
    private String sparkArchive;

    private MiniYarn(String name) {
        this.name = name;
        this.work = Scripts.REPO.resolve("target/it-" + name);
        this.yarnDir = Scripts.REPO.resolve("target/test/data").resolve(name + "-cluster");
        this.nodeManagerDir = work.resolve("nodemanager");
    }

    /** Starts HDFS, then YARN on it, uploads Spark's jars and MNIST (to {@code <root>/mnist}). */
    public static MiniYarn start(String name) throws IOException, InterruptedException {
        MiniYarn cluster = new MiniYarn(name);
        IsolatedCluster.deleteRecursively(cluster.work);
        IsolatedCluster.deleteRecursively(cluster.yarnDir);
        cluster.hdfs = MiniHdfs.start(cluster.work.resolve("hdfs").toFile());
        cluster.fs = cluster.hdfs.getFileSystem();
        cluster.root = "hdfs://127.0.0.1:" + cluster.hdfs.getNameNodePort();
        for (Path file : MnistFiles.files()) {
            cluster.fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(file.toUri()),
                    new org.apache.hadoop.fs.Path(cluster.root + "/mnist/" + file.getFileName()));
        }
        cluster.yarn = cluster.startResourceManager();
        cluster.hadoopConf = cluster.writeHadoopConf();
        cluster.client = YarnClient.createYarnClient();
        cluster.client.init(cluster.yarn.getConfig());
        cluster.client.start();
        cluster.nodeManager = cluster.startNodeManager();
        cluster.sparkArchive = cluster.uploadSparkJars();
        return cluster;
    }

    /**
     * The ResourceManager, in this JVM (FIFO scheduler: no share of the cluster reserved per queue;
     * two application attempts, as YARN's default). Its NodeManager runs in a JVM of its own, as on
     * a real cluster: both serve their web applications through Guice, whose filter a JVM holds
     * once, so in one JVM the NodeManager's answers every request, the ResourceManager's REST API
     * (which Airflow's Spark provider polls) included.
     */
    private MiniYARNCluster startResourceManager() throws InterruptedException {
        YarnConfiguration conf = new YarnConfiguration();
        conf.set("fs.defaultFS", root);
        conf.set(YarnConfiguration.RM_SCHEDULER, "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 8 * 1024);
        conf.setInt(YarnConfiguration.RM_AM_MAX_ATTEMPTS, 2);
        MiniYARNCluster cluster = new MiniYARNCluster(name + "-cluster", 1, 0, 1, 1);
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

    /**
     * One NodeManager, started as a real one is (its main class, its yarn-site.xml first on the
     * classpath), with room for an application master and two executors of 1g heap + 2g overhead,
     * its container memory monitor and physical-memory check on and the virtual-memory check off
     * (a JVM reserves far more address space than it uses); every address on a free port. Returns
     * once the ResourceManager has it running.
     */
    private Process startNodeManager() throws IOException, InterruptedException {
        YarnConfiguration conf = new YarnConfiguration(yarn.getConfig());
        conf.setBoolean(YarnConfiguration.IS_MINI_YARN_CLUSTER, false);
        String host = MiniYARNCluster.getHostname();
        conf.set(YarnConfiguration.NM_ADDRESS, host + ":0");
        conf.set(YarnConfiguration.NM_LOCALIZER_ADDRESS, host + ":0");
        conf.set(YarnConfiguration.NM_WEBAPP_ADDRESS, host + ":0");
        conf.set(YarnConfiguration.NM_LOCAL_DIRS, Files.createDirectories(nodeManagerDir.resolve("local")).toString());
        conf.set(YarnConfiguration.NM_LOG_DIRS, Files.createDirectories(nodeManagerDir.resolve("logs")).toString());
        conf.setInt(YarnConfiguration.NM_PMEM_MB, 12 * 1024);
        conf.setInt(YarnConfiguration.NM_VCORES, 8);
        conf.setBoolean(YarnConfiguration.NM_CONTAINER_MONITOR_ENABLED, true);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, true);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.setLong(YarnConfiguration.NM_CONTAINER_MON_INTERVAL_MS, 1000);
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.0f);
        nodeManagerConf = conf;
        Path confDir = Files.createDirectories(nodeManagerDir.resolve("conf"));
        try (OutputStream out = Files.newOutputStream(confDir.resolve("yarn-site.xml"))) {
            conf.writeXml(out);
        }
        Process process = JobRuns.startMain(List.of(), Map.of(), List.of(confDir), NODE_MANAGER_CLASS, List.of(),
                LOGS.resolve(name + "-nodemanager.log"));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try {
            while (client.getNodeReports(NodeState.RUNNING).isEmpty()) {
                assertTrue(process.isAlive(), () -> "the NodeManager exited with " + process.exitValue() + ":\n"
                        + Scripts.tail(LOGS.resolve(name + "-nodemanager.log"), 30));
                assertTrue(System.nanoTime() < deadline, () -> "the NodeManager did not register within 2 minutes:\n"
                        + Scripts.tail(LOGS.resolve(name + "-nodemanager.log"), 30));
                Thread.sleep(200);
            }
        } catch (YarnException e) {
            throw new IOException(e);
        }
        return process;
    }

    /** The client configuration spark-submit reads: HDFS as the default filesystem, and the ResourceManager's addresses. */
    private Path writeHadoopConf() throws IOException {
        Path dir = Files.createDirectories(work.resolve("hadoop-conf"));
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
        Scripts.Result home = Scripts.run(List.of("submit/spark-home.sh"), Map.of(), LOGS.resolve(name + "-spark-home.log"), Duration.ofMinutes(15));
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
     * The Spark settings every submission to this cluster takes: Spark's jars from HDFS, this JVM's
     * Java 17 in the containers, and one JavaCPP cache for every container (the ~400 MB of native
     * libraries are unpacked once, not per container).
     */
    public Map<String, String> sparkConf() {
        String javaHome = System.getProperty("java.home");
        String cache = "-Dorg.bytedeco.javacpp.cachedir=" + Scripts.REPO.resolve("target/javacpp-cache");
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.yarn.archive", sparkArchive);
        conf.put("spark.yarn.appMasterEnv.JAVA_HOME", javaHome);
        conf.put("spark.executorEnv.JAVA_HOME", javaHome);
        conf.put("spark.executor.extraJavaOptions", cache);
        conf.put("spark.driver.extraJavaOptions", cache);
        return conf;
    }

    /** This cluster's directory, target/it-{@code name}: a test may keep more of its own there. */
    public Path work() {
        return work;
    }

    /** HDFS's URI, {@code hdfs://127.0.0.1:<port>}. */
    public String root() {
        return root;
    }

    public FileSystem fs() {
        return fs;
    }

    public YarnClient client() {
        return client;
    }

    /** The NodeManager's configuration. */
    public Configuration nodeManagerConfig() {
        return nodeManagerConf;
    }

    /** The directory to name in HADOOP_CONF_DIR. */
    public Path hadoopConf() {
        return hadoopConf;
    }

    /** The ResourceManager's web address, {@code http://host:port}, whose REST API is {@code /ws/v1/cluster}. */
    public String resourceManagerWebapp() {
        return "http://" + yarn.getConfig().get(YarnConfiguration.RM_WEBAPP_ADDRESS);
    }

    /** Every application the ResourceManager knows, by id. */
    public Map<ApplicationId, ApplicationReport> applications() throws IOException {
        try {
            Map<ApplicationId, ApplicationReport> apps = new TreeMap<>();
            for (ApplicationReport report : client.getApplications()) {
                apps.put(report.getApplicationId(), report);
            }
            return apps;
        } catch (YarnException e) {
            throw new IOException(e);
        }
    }

    /** The NodeManager's container log directory. */
    public Path logDir() {
        return nodeManagerDir.resolve("logs");
    }

    /** A container's log file in the NodeManager's log directory: {@code <log dir>/<application>/<container>/<name>}. */
    public Optional<Path> containerLog(ApplicationId appId, String containerId, String file) {
        Path log = logDir().resolve(appId.toString()).resolve(containerId).resolve(file);
        return Files.isRegularFile(log) ? Optional.of(log) : Optional.empty();
    }

    /** Every container's stderr and stdout, of every application, by path. */
    public Map<String, String> allContainerLogs() throws IOException {
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

    /**
     * Stops the NodeManager (which stops its containers), YARN, then HDFS; kills any container JVM
     * that outlived its NodeManager; deletes the NodeManager's local directories (what it localized:
     * Spark's jars unpacked, the job's jar, 800 MB). Its log directories, the containers' logs, stay
     * for a look after the build.
     */
    @Override
    public void close() throws IOException {
        if (nodeManager != null) {
            nodeManager.destroy();
            try {
                nodeManager.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Scripts.killTree(nodeManager.toHandle());
        }
        if (client != null) {
            client.stop();
        }
        if (yarn != null) {
            yarn.stop();
        }
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
        ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("").contains("org.apache.spark"))
                .forEach(Scripts::killTree);
        IsolatedCluster.deleteRecursively(nodeManagerDir.resolve("local"));
        IsolatedCluster.deleteRecursively(yarnDir);
    }
}
