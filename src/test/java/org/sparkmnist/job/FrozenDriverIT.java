package org.sparkmnist.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.sparkmnist.testing.FreezingFileSystems;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.MiniHdfs;
import org.sparkmnist.testing.Scripts;

/**
 * A driver frozen past its lease right after its last check cannot commit: two real drivers on one
 * output.dir, the first stopped with SIGSTOP at the moment its commit has verified its lease, the
 * second taking the lock over and committing, then the first continued. Exactly one whole run must
 * be visible, the second's, untouched by the first, which exits non-zero. On the local disk and on
 * HDFS (MiniDFSCluster), with the real filesystems (the first driver's only stop itself at that moment).
 * Small generated data and one softmax epoch: each test is two short driver runs and a lease.
 */
class FrozenDriverIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MINUTES = 5;

    private final Path work = Scripts.REPO.resolve("target/it-frozen");

    private List<String> args(Path data, String outputDir, int misclassified) {
        return List.of("data.dir=" + data, "split.train=20", "split.validation=10", "spark.master=local[1]", "train.batch-size=10",
                "models=[softmax]", "train.epochs=1", "output.dir=" + outputDir, "run.id=r", "output.lock-lease=3s",
                "output.misclassified=" + misclassified);
    }

    /** output.dir as the test reads it, on either filesystem. */
    private interface OutputDir {
        TreeMap<String, byte[]> snapshot() throws IOException;

        List<String> outputDirEntries() throws IOException;
    }

    @Test
    void aDriverFrozenAfterVerifyingItsLeaseCannotCommitOverItsSuccessorOnTheLocalDisk() throws Exception {
        Path dir = work.resolve("local");
        JobRuns.deleteRecursively(dir);
        Path output = dir.resolve("runs");
        frozenThenContinued(dir, output.toString(), new OutputDir() {
            @Override
            public TreeMap<String, byte[]> snapshot() {
                return JobRuns.snapshot(output.resolve("r"));
            }

            @Override
            public List<String> outputDirEntries() {
                return Arrays.stream(output.toFile().list()).sorted().toList();
            }
        });
    }

    @Test
    void aDriverFrozenAfterVerifyingItsLeaseCannotCommitOverItsSuccessorOnHdfs() throws Exception {
        Path dir = work.resolve("hdfs");
        JobRuns.deleteRecursively(dir);
        MiniDFSCluster hdfs = MiniHdfs.start(dir.resolve("cluster").toFile().getAbsoluteFile());
        try {
            FileSystem fs = hdfs.getFileSystem();
            String output = "hdfs://127.0.0.1:" + hdfs.getNameNodePort() + "/runs";
            frozenThenContinued(dir, output, new OutputDir() {
                @Override
                public TreeMap<String, byte[]> snapshot() throws IOException {
                    TreeMap<String, byte[]> files = new TreeMap<>();
                    org.apache.hadoop.fs.Path run = new org.apache.hadoop.fs.Path(output + "/r");
                    var it = fs.listFiles(run, true);
                    while (it.hasNext()) {
                        org.apache.hadoop.fs.Path file = it.next().getPath();
                        try (InputStream in = fs.open(file)) {
                            files.put(file.toUri().getPath().substring(run.toUri().getPath().length() + 1), in.readAllBytes());
                        }
                    }
                    return files;
                }

                @Override
                public List<String> outputDirEntries() throws IOException {
                    List<String> names = new ArrayList<>();
                    for (FileStatus status : fs.listStatus(new org.apache.hadoop.fs.Path(output))) {
                        names.add(status.getPath().getName());
                    }
                    return names.stream().sorted().toList();
                }
            });
        } finally {
            hdfs.shutdown(true);
        }
    }

    private void frozenThenContinued(Path dir, String output, OutputDir files) throws Exception {
        Path data = IdxFiles.dataset(dir.resolve("mnist"), 30, 10);
        Path freezing = dir.resolve("freezing-conf");
        Files.createDirectories(freezing);
        Files.writeString(freezing.resolve("core-site.xml"), FreezingFileSystems.coreSite());

        Process first = JobRuns.startMain(List.of(), Map.of(), List.of(freezing), MnistTrainingJob.class.getName(), args(data, output, 3),
                dir.resolve("first.log"));
        try {
            awaitStopped(first, dir.resolve("first.log"));
            // The first holds the lock but renews it no more: the second waits out its lease, takes over and commits.
            Process second = JobRuns.start(args(data, output, 4), dir.resolve("second.log"));
            assertTrue(second.waitFor(MINUTES, TimeUnit.MINUTES), "the second driver did not finish");
            assertEquals(0, second.exitValue(), Files.readString(dir.resolve("second.log")));
            TreeMap<String, byte[]> committed = files.snapshot();
            assertEquals(4, JSON.readTree(committed.get("summary.json")).at("/config/output/misclassified").asInt(),
                    "the second driver's run is in place");

            new ProcessBuilder("kill", "-CONT", Long.toString(first.pid())).start().waitFor();
            assertTrue(first.waitFor(MINUTES, TimeUnit.MINUTES), "the first driver did not end once continued");
            String firstLog = Files.readString(dir.resolve("first.log"));
            assertNotEquals(0, first.exitValue(), "the frozen driver must fail:\n" + firstLog);

            TreeMap<String, byte[]> after = files.snapshot();
            assertEquals(committed.keySet(), after.keySet(), "the first driver changed the run:\n" + firstLog);
            committed.forEach((file, bytes) -> assertTrue(Arrays.equals(bytes, after.get(file)), file + " changed:\n" + firstLog));
            JsonNode manifest = JSON.readTree(after.get("_SUCCESS"));
            List<String> listed = new ArrayList<>();
            manifest.path("files").fieldNames().forEachRemaining(listed::add);
            List<String> present = new ArrayList<>(after.keySet());
            present.remove("_SUCCESS");
            assertEquals(present, listed.stream().sorted().toList(), "one whole run: exactly the files its manifest lists");
            assertEquals(List.of("r"), files.outputDirEntries(), "nothing else is left under output.dir");
        } finally {
            new ProcessBuilder("kill", "-CONT", Long.toString(first.pid())).start().waitFor();
            first.destroyForcibly();
        }
    }

    /** Waits until the driver has stopped itself (state T in /proc/<pid>/stat). */
    private static void awaitStopped(Process driver, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(MINUTES);
        Path stat = Path.of("/proc", Long.toString(driver.pid()), "stat");
        while (true) {
            assertTrue(driver.isAlive(), "the first driver ended before its commit:\n" + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "the first driver did not reach its commit:\n" + Files.readString(log));
            String state = Files.readString(stat);
            if (state.substring(state.lastIndexOf(')') + 2).startsWith("T")) {
                return;
            }
            Thread.sleep(100);
        }
    }
}
