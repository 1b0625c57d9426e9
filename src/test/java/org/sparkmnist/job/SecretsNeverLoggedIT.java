package org.sparkmnist.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.Scripts;

/**
 * Plants secrets where users put them (a password in data.dir's and output.dir's URI, unencoded
 * with '/' and '@' or percent-encoded; a Spark secret as spark-submit passes it, a system property,
 * and in the environment; a secret config key), runs the job as users do, in a JVM of its own, into
 * several failures and one success with Spark logging at DEBUG, and finds the secrets in none of the
 * captured output: every line of it, log lines and stack traces included.
 */
class SecretsNeverLoggedIT {

    /** Unencoded: a '/' and an '@' inside the password, as people paste them. */
    private static final String RAW = "Pa/ss@w0rd-7Qz";
    /** Percent-encoded in the URI (so that Hadoop can parse it and get as far as connecting); decoded below. */
    private static final String ENCODED = "Enc%2Fod%40ed-9Kx";
    private static final String DECODED = "Enc/od@ed-9Kx";
    private static final String SPARK_SECRET = "sp4rk-S3cr3t/@x";
    private static final List<String> SECRETS = List.of(RAW, ENCODED, DECODED, SPARK_SECRET);

    @TempDir
    Path tmp;

    /** Any failure (1 or 2): which one a filesystem error is, is not what this test is about. */
    private static final int FAILED = -1;

    private record Run(String name, int exitCode, List<String> lines) {
    }

    @Test
    void noSecretReachesAnyLineTheJobPrints() throws Exception {
        Path data = IdxFiles.dataset(tmp.resolve("mnist"), 300, 50);
        Path truncated = IdxFiles.dataset(tmp.resolve("truncated"), 30, 10);
        byte[] images = Files.readAllBytes(truncated.resolve("train-images-idx3-ubyte"));
        Files.write(truncated.resolve("train-images-idx3-ubyte"), Arrays.copyOf(images, images.length - 100));
        int closedPort = closedPort();
        List<String> common = List.of("split.train=200", "split.validation=100", "spark.master=local[1]", "models=[softmax]",
                "train.epochs=1", "train.batch-size=50", "run.id=s1");

        List<Run> runs = new ArrayList<>();
        runs.add(run("bad config", 2, common, "data.dir=" + data, "output.dir=" + tmp.resolve("runs"), "train.epochs=many",
                "fs.s3a.secret.key=" + SPARK_SECRET));
        runs.add(run("data on an unreachable HDFS, unencoded password", FAILED, common,
                "data.dir=hdfs://alice:" + RAW + "@127.0.0.1:" + closedPort + "/mnist", "output.dir=" + tmp.resolve("runs")));
        runs.add(run("data.dir with credentials on the local filesystem", FAILED, common,
                "data.dir=file://carol:" + RAW + "@localhost" + data, "output.dir=" + tmp.resolve("runs")));
        runs.add(run("bad data", 2, common, "data.dir=" + truncated, "output.dir=hdfs://bob:" + ENCODED + "@127.0.0.1:" + closedPort + "/r"));
        runs.add(run("output.dir with a percent-encoded password", FAILED, common, "data.dir=" + data, "output.dir=hdfs://bob:" + ENCODED
                + "@127.0.0.1:" + closedPort + "/runs"));
        runs.add(run("unreachable output (connection refused)", 1, common, "data.dir=" + data, "output.dir=hdfs://127.0.0.1:" + closedPort
                + "/runs"));
        runs.add(run("output on an object store", 2, common, "data.dir=" + data, "output.dir=s3a://AKIAEXAMPLE:" + RAW + "@bucket/runs"));
        runs.add(run("a whole run with Spark logging at DEBUG", 0, common, "data.dir=" + data, "output.dir=" + tmp.resolve("runs"),
                "spark.log-level=DEBUG"));

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
            report.add(String.format("%-52s exit %d, %5d lines: %s", run.name(), run.exitCode(), run.lines().size(), last));
        }
        report.add("secret-planting: " + runs.size() + " runs, " + lines + " lines checked, none holds a secret");
        report.forEach(System.out::println);
        Files.write(Path.of("target", "secrets-never-logged.txt"), report);
        // The masking did work, visibly, where the secret would have been.
        assertTrue(runs.get(6).lines().stream().anyMatch(l -> l.contains("s3a://****@bucket/runs")), String.join("\n", runs.get(6).lines()));
        assertTrue(runs.get(4).lines().stream().anyMatch(l -> l.contains("hdfs://****@127.0.0.1:" + closedPort)),
                String.join("\n", runs.get(4).lines()));
        assertTrue(runs.get(5).lines().stream().anyMatch(l -> l.contains("Connection refused")), String.join("\n", runs.get(5).lines()));
        assertTrue(lines > 1000, "the runs printed too little to mean anything: " + lines);
    }

    /** The job in its own JVM, as spark-submit would start it: Spark's secret a system property and in the environment. */
    private Run run(String name, int expectedExit, List<String> common, String... args) throws Exception {
        List<String> all = new ArrayList<>(common);
        all.addAll(List.of(args));
        Path log = tmp.resolve("logs").resolve(name.replaceAll("\\W+", "-") + ".log");
        Process job = JobRuns.startMain(List.of("-Dspark.authenticate=true", "-Dspark.authenticate.secret=" + SPARK_SECRET),
                Map.of("SPARK_AUTHENTICATE_SECRET", SPARK_SECRET), List.of(hadoopClientConf()), MnistTrainingJob.class.getName(), all, log);
        if (!job.waitFor(10, TimeUnit.MINUTES)) {
            Scripts.killTree(job.toHandle());
            throw new AssertionError(name + ": did not end; log " + log);
        }
        List<String> lines = Files.readAllLines(log);
        if (expectedExit == FAILED) {
            assertTrue(job.exitValue() == 1 || job.exitValue() == 2, name + ": exit " + job.exitValue() + "\n" + String.join("\n", lines));
        } else {
            assertEquals(expectedExit, job.exitValue(), name + ":\n" + String.join("\n", lines));
        }
        return new Run(name, job.exitValue(), lines);
    }

    /** A core-site.xml that makes a refused HDFS connection fail at once instead of after ten retries. */
    private Path hadoopClientConf() throws IOException {
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
