package org.sparkmnist.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.scoring.MnistScoringJob;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.Images;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.MiniHdfs;
import org.sparkmnist.testing.Scripts;

/**
 * Plants secrets where users put them (a password in data.dir's and output.dir's URI, unencoded
 * with '/' and '@' or percent-encoded; a Spark secret as spark-submit passes it, a system property,
 * and in the environment; a private key of several lines as a Spark setting, which Spark prints
 * with spark.logConf; a secret config key), runs the jobs as users do, each in a JVM of its own, into
 * several failures and two whole runs, and finds the secrets in none of the captured output (every
 * line, log lines and stack traces included) and in no file either whole run wrote.
 *
 * <p>The whole runs read and write a real HDFS (a MiniDFSCluster in this JVM) through URIs that carry
 * a password: a training run with Spark logging at DEBUG, then a scoring run of its model on a
 * directory of images with labels and two bad files, so that its summary, predictions and rejects all
 * hold paths. Every file under both runs is read back: text as it is, Parquet through Parquet's own
 * reader, every entry of a zip.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsNeverLoggedIT {

    /** Unencoded: a '/' and an '@' inside the password, as people paste them. */
    private static final String RAW = "Pa/ss@w0rd-7Qz";
    /** Percent-encoded in the URI (so that Hadoop can parse it and get as far as connecting); decoded below. */
    private static final String ENCODED = "Enc%2Fod%40ed-9Kx";
    private static final String DECODED = "Enc/od@ed-9Kx";
    private static final String SPARK_SECRET = "sp4rk-S3cr3t/@x";
    /** The password of the HDFS URIs of the two whole runs: one Hadoop and Spark take in every path. */
    private static final String HDFS_PASSWORD = "Hd5-Pa55w0rd-Vq";
    /** A private key as a Spark setting: a secret of several lines, each of which is secret on its own. */
    private static final List<String> KEY_LINES = List.of("-----BEGIN PRIVATE KEY-----",
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDf3kTnP7mXkQ2v",
            "q8Zr1YcH4s9LwTnBdE0uF6gJxK2pV7mR3tA5yN8oC1iW4eS9hD2fG6jU0bL7kMzQ",
            "-----END PRIVATE KEY-----");
    private static final String KEY = String.join("\n", KEY_LINES);
    private static final List<String> SECRETS = List.of(RAW, ENCODED, DECODED, SPARK_SECRET, HDFS_PASSWORD, KEY_LINES.get(1),
            KEY_LINES.get(2));

    @TempDir
    static Path tmp;

    /** Any failure (1 or 2): which one a filesystem error is, is not what this test is about. */
    private static final int FAILED = -1;

    private record Run(String name, int exitCode, List<String> lines) {
    }

    private final List<Run> runs = new ArrayList<>();
    private MiniDFSCluster hdfs;
    private String hdfsRoot;
    private int closedPort;

    @BeforeAll
    void runTheJobsIntoFailuresAndTwoWholeRuns() throws Exception {
        Path data = IdxFiles.dataset(tmp.resolve("mnist"), 300, 50);
        Path truncated = IdxFiles.dataset(tmp.resolve("truncated"), 30, 10);
        byte[] images = Files.readAllBytes(truncated.resolve("train-images-idx3-ubyte"));
        Files.write(truncated.resolve("train-images-idx3-ubyte"), Arrays.copyOf(images, images.length - 100));
        closedPort = closedPort();
        List<String> common = List.of("split.train=200", "split.validation=100", "spark.master=local[1]", "models=[softmax]",
                "train.epochs=1", "train.batch-size=50", "run.id=s1");

        runs.add(train("bad config", 2, common, "data.dir=" + data, "output.dir=" + tmp.resolve("runs"), "train.epochs=many",
                "fs.s3a.secret.key=" + SPARK_SECRET));
        runs.add(train("data on an unreachable HDFS, unencoded password", FAILED, common,
                "data.dir=hdfs://alice:" + RAW + "@127.0.0.1:" + closedPort + "/mnist", "output.dir=" + tmp.resolve("runs")));
        runs.add(train("data.dir with credentials on the local filesystem", FAILED, common,
                "data.dir=file://carol:" + RAW + "@localhost" + data, "output.dir=" + tmp.resolve("runs")));
        runs.add(train("bad data", 2, common, "data.dir=" + truncated, "output.dir=hdfs://bob:" + ENCODED + "@127.0.0.1:" + closedPort + "/r"));
        runs.add(train("output.dir with a percent-encoded password", FAILED, common, "data.dir=" + data, "output.dir=hdfs://bob:" + ENCODED
                + "@127.0.0.1:" + closedPort + "/runs"));
        runs.add(train("unreachable output (connection refused)", 1, common, "data.dir=" + data, "output.dir=hdfs://127.0.0.1:" + closedPort
                + "/runs"));
        runs.add(train("output on an object store", 2, common, "data.dir=" + data, "output.dir=s3a://AKIAEXAMPLE:" + RAW + "@bucket/runs"));

        hdfs = MiniHdfs.start(tmp.resolve("hdfs").toFile());
        hdfsRoot = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
        String withPassword = "hdfs://dave:" + HDFS_PASSWORD + "@127.0.0.1:" + hdfs.getNameNodePort();
        FileSystem fs = hdfs.getFileSystem();
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(data.toUri()), new org.apache.hadoop.fs.Path(hdfsRoot + "/mnist"));
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(imageDirectory(tmp.resolve("images")).toUri()),
                new org.apache.hadoop.fs.Path(hdfsRoot + "/images"));
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(tmp.resolve("labels.csv").toUri()), new org.apache.hadoop.fs.Path(hdfsRoot
                + "/labels.csv"));

        runs.add(train("a whole run on HDFS with a password, Spark logging at DEBUG", 0, common, "data.dir=" + withPassword + "/mnist",
                "output.dir=" + withPassword + "/runs", "spark.log-level=DEBUG"));
        runs.add(run(MnistScoringJob.class, "a whole scoring run on HDFS with a password", 0, List.of("score.model.run=" + withPassword
                + "/runs/s1", "score.model.name=softmax", "score.input.path=" + withPassword + "/images", "score.input.labels=" + withPassword
                + "/labels.csv", "score.max-reject-share=0.5", "output.dir=" + withPassword + "/scores", "run.id=sc1",
                "spark.master=local[1]", "spark.log-level=INFO")));
    }

    @AfterAll
    void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
    }

    @Test
    void noSecretReachesAnyLineTheJobsPrint() throws IOException {
        int lines = 0;
        List<String> report = new ArrayList<>();
        for (Run run : runs) {
            for (String line : run.lines()) {
                for (String secret : SECRETS) {
                    assertTrue(!line.contains(secret), run.name() + ": a secret reached the output: " + line);
                }
            }
            lines += run.lines().size();
            String last = run.lines().stream().filter(l -> l.startsWith("spark-mnist: ")).reduce((a, b) -> b).orElse("(success)");
            report.add(String.format("%-60s exit %d, %5d lines: %s", run.name(), run.exitCode(), run.lines().size(), last));
        }
        report.add("secret-planting: " + runs.size() + " runs, " + lines + " lines checked, none holds a secret");
        report.forEach(System.out::println);
        Files.write(Path.of("target", "secrets-never-logged.txt"), report);
        // The masking did work, visibly, where the secret would have been.
        assertTrue(runs.get(6).lines().stream().anyMatch(l -> l.contains("s3a://****@bucket/runs")), String.join("\n", runs.get(6).lines()));
        assertTrue(runs.get(4).lines().stream().anyMatch(l -> l.contains("hdfs://****@127.0.0.1:" + closedPort)),
                String.join("\n", runs.get(4).lines()));
        assertTrue(runs.get(5).lines().stream().anyMatch(l -> l.contains("Connection refused")), String.join("\n", runs.get(5).lines()));
        // Spark printed its settings (spark.logConf), the private key's place among them masked line by line.
        assertTrue(runs.get(7).lines().stream().anyMatch(l -> l.contains("spark.ssl.privateKey=****")), "no masked key in the DEBUG run");
        assertTrue(lines > 1000, "the runs printed too little to mean anything: " + lines);
    }

    @Test
    void noSecretIsInAnyFileOfEitherWholeRun() throws IOException {
        Map<String, String> files = new TreeMap<>();
        FileSystem fs = hdfs.getFileSystem();
        for (String dir : List.of("/runs", "/scores")) {
            RemoteIterator<LocatedFileStatus> found = fs.listFiles(new org.apache.hadoop.fs.Path(hdfsRoot + dir), true);
            while (found.hasNext()) {
                org.apache.hadoop.fs.Path file = found.next().getPath();
                files.put(file.toUri().getPath(), contentOf(fs, file));
            }
        }
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            for (String secret : SECRETS) {
                if (file.getValue().contains(secret)) {
                    leaks.add(file.getKey() + ": ..." + excerpt(file.getValue(), secret) + "...");
                }
            }
        }
        assertEquals(List.of(), leaks, "files holding a secret");
        List<String> names = List.copyOf(files.keySet());
        Files.write(Path.of("target", "secrets-never-written.txt"), names);
        // Every kind of file of both runs was read, and the paths and URIs in them are there, their password masked.
        for (String expected : List.of("/runs/s1/summary.json", "/runs/s1/report.html", "/runs/s1/_SUCCESS", "/runs/s1/softmax/model.zip",
                "/runs/s1/softmax/metrics.csv", "/runs/s1/softmax/misclassified.csv", "/scores/sc1/summary.json", "/scores/sc1/_SUCCESS",
                "/scores/sc1/classes.csv", "/scores/sc1/confusion.csv")) {
            assertTrue(names.contains(expected), expected + " was not among the files read: " + names);
        }
        String predictions = partsOf(files, "/scores/sc1/predictions/");
        String rejects = partsOf(files, "/scores/sc1/rejects/");
        String masked = "hdfs://****@127.0.0.1:" + hdfs.getNameNodePort();
        assertTrue(predictions.contains(masked + "/images/0.png"), predictions);
        assertTrue(rejects.contains(masked + "/images/empty.png") && rejects.contains(masked + "/images/notes.png"), rejects);
        assertTrue(files.get("/scores/sc1/summary.json").contains(masked + "/runs/s1/softmax/model.zip"), files.get("/scores/sc1/summary.json"));
    }

    /** Eight 28x28 PNG digits, an empty file and a text file named .png, and labels.csv (beside the directory) for the digits. */
    private static Path imageDirectory(Path dir) throws IOException {
        Random random = new Random(5);
        StringBuilder labels = new StringBuilder("file,label\n");
        for (int i = 0; i < 8; i++) {
            IdxFiles.write(dir.resolve(i + ".png"), Images.encode(Images.grey28(Images.mnistLikeDigit(random)), "png"));
            labels.append(i).append(".png,").append(i).append('\n');
        }
        IdxFiles.write(dir.resolve("empty.png"), new byte[0]);
        IdxFiles.write(dir.resolve("notes.png"), "scan the rest tomorrow\n".getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolveSibling("labels.csv"), labels);
        return dir;
    }

    /** What a file says: its rows for Parquet, every entry for a zip, else its bytes as text. */
    private static String contentOf(FileSystem fs, org.apache.hadoop.fs.Path file) throws IOException {
        if (file.getName().endsWith(".parquet")) {
            StringBuilder rows = new StringBuilder();
            try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file).withConf(fs.getConf()).build()) {
                for (Group row = reader.read(); row != null; row = reader.read()) {
                    rows.append(row).append('\n');
                }
            }
            return rows.toString();
        }
        byte[] bytes;
        try (InputStream in = fs.open(file)) {
            bytes = in.readAllBytes();
        }
        if (!file.getName().endsWith(".zip")) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream entries = new ByteArrayOutputStream();
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.write((entry.getName() + "\n").getBytes(StandardCharsets.UTF_8));
                zip.transferTo(entries);
            }
        }
        return entries.toString(StandardCharsets.UTF_8);
    }

    private static String partsOf(Map<String, String> files, String dir) {
        StringBuilder all = new StringBuilder();
        files.forEach((name, content) -> {
            if (name.startsWith(dir) && name.endsWith(".parquet")) {
                all.append(content);
            }
        });
        assertTrue(all.length() > 0, "no Parquet part under " + dir + ": " + files.keySet());
        return all.toString();
    }

    private static String excerpt(String content, String secret) {
        int at = content.indexOf(secret);
        return content.substring(Math.max(0, at - 100), Math.min(content.length(), at + secret.length() + 100));
    }

    private Run train(String name, int expectedExit, List<String> common, String... args) throws Exception {
        List<String> all = new ArrayList<>(common);
        all.addAll(List.of(args));
        return run(MnistTrainingJob.class, name, expectedExit, all);
    }

    /**
     * {@code job} in its own JVM, as spark-submit would start it: Spark's secret a system property and in the
     * environment, the private key a Spark setting, and Spark told to print its settings when it starts.
     */
    private Run run(Class<?> job, String name, int expectedExit, List<String> args) throws Exception {
        Path log = tmp.resolve("logs").resolve(name.replaceAll("\\W+", "-") + ".log");
        Process process = JobRuns.startMain(List.of("-Dspark.authenticate=true", "-Dspark.authenticate.secret=" + SPARK_SECRET,
                        "-Dspark.ssl.privateKey=" + KEY, "-Dspark.logConf=true"), Map.of("SPARK_AUTHENTICATE_SECRET", SPARK_SECRET),
                List.of(hadoopClientConf()), job.getName(), args, log);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            Scripts.killTree(process.toHandle());
            throw new AssertionError(name + ": did not end; log " + log);
        }
        List<String> lines = Files.readAllLines(log);
        if (expectedExit == FAILED) {
            assertTrue(process.exitValue() == 1 || process.exitValue() == 2, name + ": exit " + process.exitValue() + "\n"
                    + String.join("\n", lines));
        } else {
            assertEquals(expectedExit, process.exitValue(), name + ":\n" + String.join("\n", lines));
        }
        return new Run(name, process.exitValue(), lines);
    }

    /** A core-site.xml that makes a refused HDFS connection fail at once instead of after ten retries. */
    private static Path hadoopClientConf() throws IOException {
        Path dir = tmp.resolve("hadoop-conf");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("core-site.xml"), """
                <?xml version="1.0"?>
                <configuration>
                  <property><name>ipc.client.connect.max.retries</name><value>0</value></property>
                  <property><name>ipc.client.connect.max.retries.on.timeouts</name><value>0</value></property>
                  <property><name>ipc.client.connect.timeout</name><value>2000</value></property>
                </configuration>
                """);
        return dir;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
