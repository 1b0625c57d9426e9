package org.sparkmnist.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkmnist.job.MnistTrainingJob;
import org.sparkmnist.store.RunStore;
import org.sparkmnist.testing.MiniHdfs;
import org.sparkmnist.testing.MnistFiles;
import org.sparkmnist.testing.SavedModels;
import org.sparkmnist.testing.Scripts;
import org.sparkmnist.testing.SummaryAccuracy;

/**
 * The job with HDFS in and out: a real NameNode and DataNode (MiniDFSCluster, in this JVM, on
 * 127.0.0.1) hold the MNIST files, receive the run, and also hold the minibatches the job stages
 * for training, which must be gone once the run is committed. The results notebook then opens the
 * committed run by its hdfs:// URI, over WebHDFS, as a user does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HdfsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MODELS = List.of("softmax", "mlp");
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};
    private static final java.nio.file.Path LOGS = Scripts.REPO.resolve("target/it-logs");

    private MiniDFSCluster hdfs;
    private FileSystem fs;
    private String root;
    /** The NameNode's HTTP address (WebHDFS), 127.0.0.1:port. */
    private String httpAddress;
    /** A Hadoop client's configuration directory for this cluster, as HADOOP_CONF_DIR. */
    private File clientConf;
    private int exit;
    private Path run;
    private JsonNode summary;
    private int stagedFilesSeen;

    @BeforeAll
    void trainOneEpochFromAndToHdfs() throws Exception {
        List<java.nio.file.Path> mnist = MnistFiles.files();
        hdfs = MiniHdfs.start(new File("target/it-hdfs").getAbsoluteFile());
        fs = hdfs.getFileSystem();
        root = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
        httpAddress = "127.0.0.1:" + hdfs.getNameNode().getHttpAddress().getPort();
        clientConf = writeClientConf(new File("target/it-hdfs-client").getAbsoluteFile());
        for (java.nio.file.Path file : mnist) {
            fs.copyFromLocalFile(new Path(file.toUri()), new Path(root + "/mnist/" + file.getFileName()));
        }

        StagingWatcher watcher = new StagingWatcher(new Path(root + "/runs/" + RunStore.DIRECTORY));
        watcher.start();
        try {
            exit = MnistTrainingJob.execute(List.of("data.dir=" + root + "/mnist",
                    "output.dir=" + root + "/runs", "run.id=h1", "train.epochs=1", "spark.master=local[2]"));
        } finally {
            stagedFilesSeen = watcher.finish();
        }
        run = new Path(root + "/runs/h1");
        if (fs.exists(new Path(run, "summary.json"))) {
            try (InputStream in = fs.open(new Path(run, "summary.json"))) {
                summary = JSON.readTree(in);
            }
        }
    }

    @AfterAll
    void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
    }

    @Test
    void jobSucceeds() {
        assertEquals(0, exit, "exit code of the job");
    }

    @Test
    void runIsCompleteOnHdfs() throws IOException {
        assertTrue(fs.isFile(new Path(run, "_SUCCESS")), "_SUCCESS");
        assertTrue(fs.isFile(new Path(run, "summary.json")), "summary.json");
        for (String model : MODELS) {
            for (String file : List.of("model.zip", "metrics.csv", "accuracy.png", "loss.png")) {
                Path path = new Path(run, model + "/" + file);
                assertTrue(fs.isFile(path) && fs.getFileStatus(path).getLen() > 0, path + " exists and is not empty");
            }
            byte[] head = new byte[4];
            try (InputStream in = fs.open(new Path(run, model + "/accuracy.png"))) {
                assertEquals(4, in.readNBytes(head, 0, 4));
            }
            assertArrayEquals(PNG_MAGIC, head, model + "/accuracy.png is a PNG");
        }
    }

    @Test
    void metricsHaveTheHeaderAndOneRowForTheEpoch() throws IOException {
        for (String model : MODELS) {
            String csv;
            try (InputStream in = fs.open(new Path(run, model + "/metrics.csv"))) {
                csv = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            List<String> lines = csv.lines().toList();
            assertEquals("epoch,seconds,loss,accuracy,val_loss,val_accuracy", lines.get(0), model);
            assertEquals(2, lines.size(), model + ": one epoch, one row");
        }
    }

    @Test
    void oneEpochReachesUsefulAccuracy() {
        SummaryAccuracy.assertAtLeast(summary, 0.85, 0.94);
    }

    @Test
    void modelsReloadedFromHdfsScoreAsReported() throws IOException {
        DataSet test = SavedModels.testSet(root + "/mnist", summary.at("/config/data/normalize").asBoolean(), new Configuration());
        for (String model : MODELS) {
            MultiLayerNetwork network = SavedModels.load(fs.open(new Path(run, model + "/model.zip")));
            double reported = summary.at("/models/" + model + "/test_accuracy").asDouble();
            assertEquals(reported, SavedModels.accuracy(network, test), 1e-6, model);
        }
    }

    @Test
    void minibatchesWereStagedOnHdfsAndRemoved() throws IOException {
        // 391 training + 79 validation minibatches of 128: the watcher must have seen them on HDFS.
        assertTrue(stagedFilesSeen >= 470, "minibatch files seen under /runs/" + RunStore.DIRECTORY + ": " + stagedFilesSeen);
        Path temporary = new Path(root + "/runs/" + RunStore.DIRECTORY);
        assertFalse(fs.exists(temporary) && fs.listStatus(temporary).length > 0,
                "left under /runs/" + RunStore.DIRECTORY + ": " + (fs.exists(temporary) ? Arrays.toString(fs.listStatus(temporary)) : ""));
        List<String> runs = new ArrayList<>();
        for (FileStatus status : fs.listStatus(new Path(root + "/runs"))) {
            runs.add(status.getPath().getName());
        }
        assertEquals(List.of("h1"), runs, "only the committed run remains under /runs");
    }

    @Test
    void resultsNotebookShowsTheRunByItsHdfsUri() throws IOException {
        Scripts.Result check = checkNotebook("hdfs-notebook", root + "/runs/h1");
        assertEquals(0, check.exitCode(), "check_notebook.sh exit code; it ended:\n" + check.tail(25));
        assertTrue(check.tail(1).startsWith("check_notebook: ok: "), check.tail(25));
        String executed = Files.readString(LOGS.resolve("hdfs-notebook.ipynb"));
        String header = "run h1 in " + root + "/runs/h1 (over WebHDFS at http://" + httpAddress + ")";
        assertTrue(executed.contains(header), "the executed notebook says where it read the run: " + header);
    }

    @Test
    void resultsNotebookFindsTheNameNodeOfAnHdfsUriWithoutHostInHadoopConf() {
        // The DAG's default output_dir is hdfs:///runs/..., on the cluster of fs.defaultFS.
        Scripts.Result check = checkNotebook("hdfs-notebook-default-fs", "hdfs:///runs/none");
        assertEquals(1, check.exitCode(), check.tail(25));
        assertEquals("check_notebook: hdfs:///runs/none (over WebHDFS at http://" + httpAddress
                + ") is not a run directory: it has no summary.json", check.tail(1));
    }

    @Test
    void resultsNotebookRefusesAWebHdfsPathWithoutARunInOneLine() {
        String missing = "webhdfs://" + httpAddress + "/runs/none";
        Scripts.Result check = checkNotebook("hdfs-notebook-missing", missing);
        assertEquals(1, check.exitCode(), check.tail(25));
        assertEquals("check_notebook: " + missing + " (over WebHDFS at http://" + httpAddress
                + ") is not a run directory: it has no summary.json", check.tail(1));
    }

    /** Runs notebooks/check_notebook.sh as a user would, against {@code run}, keeping the executed notebook beside its log. */
    private Scripts.Result checkNotebook(String name, String run) {
        return Scripts.run(List.of("notebooks/check_notebook.sh", run, LOGS.resolve(name + ".ipynb").toString()),
                Map.of("HADOOP_CONF_DIR", clientConf.getPath()), LOGS.resolve(name + ".log"), Duration.ofMinutes(10));
    }

    /**
     * The configuration files a client of this cluster has, written by Hadoop's own Configuration:
     * core-site.xml names the default filesystem, hdfs-site.xml where the NameNode serves HTTP,
     * which an hdfs:// URI, carrying the RPC port, does not say.
     */
    private File writeClientConf(File dir) throws IOException {
        Files.createDirectories(dir.toPath());
        writeSite(dir, "core-site.xml", CommonConfigurationKeysPublic.FS_DEFAULT_NAME_KEY, root);
        writeSite(dir, "hdfs-site.xml", DFSConfigKeys.DFS_NAMENODE_HTTP_ADDRESS_KEY, httpAddress);
        return dir;
    }

    private static void writeSite(File dir, String file, String key, String value) throws IOException {
        Configuration site = new Configuration(false);
        site.set(key, value);
        try (OutputStream out = Files.newOutputStream(dir.toPath().resolve(file))) {
            site.writeXml(out);
        }
    }

    /**
     * Counts, while the job runs, the most files ever present under the run's temporary directory
     * on HDFS: proof that staging used the output's filesystem and not a local disk.
     */
    private final class StagingWatcher extends Thread {

        private final Path temporary;
        private final AtomicInteger most = new AtomicInteger();
        private volatile boolean done;

        StagingWatcher(Path temporary) {
            super("hdfs-staging-watcher");
            this.temporary = temporary;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!done) {
                try {
                    if (fs.exists(temporary)) {
                        int files = 0;
                        RemoteIterator<LocatedFileStatus> it = fs.listFiles(temporary, true);
                        while (it.hasNext()) {
                            it.next();
                            files++;
                        }
                        most.accumulateAndGet(files, Math::max);
                    }
                    Thread.sleep(500);
                } catch (IOException e) {
                    // A directory deleted while listing; the next round sees the new state.
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        int finish() throws InterruptedException {
            done = true;
            join(10_000);
            return most.get();
        }
    }
}
