package org.sparkmnist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import org.apache.hadoop.mapreduce.task.JobContextImpl;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;
import org.sparkmnist.testing.CaseFoldingFileSystem;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.StoredRuns;
import org.sparkmnist.testing.TinyModels;
import org.sparkmnist.training.EpochMetrics;

/**
 * What the run store shares output.dir with: the other kind of run under the same run.id, another
 * tool's job writing straight into output.dir, and whatever a user or an earlier version left at a
 * run's path. None of them may cost a checkpoint or a committed run, or crash the store.
 */
class StoreNeighboursTest {

    @TempDir
    Path out;

    private RunStore open(String runId, RunKind kind) throws IOException {
        return RunStore.open(out.toString(), runId, kind, StoredRuns.LEASE, new Configuration());
    }

    private static List<EpochMetrics> history(int epochs) {
        return java.util.stream.IntStream.rangeClosed(1, epochs).mapToObj(e -> new EpochMetrics(e, 1.0, 0.5, 0.8, 0.5, 0.8)).toList();
    }

    /** What a training driver killed after two epochs leaves: checkpoints of run {@code runId}, and no committed run. */
    private void interruptedTraining(String runId) throws IOException {
        MultiLayerNetwork network = TinyModels.softmax();
        try (RunStore training = open(runId, RunKind.TRAINING)) {
            training.startAttempt(true).scratch("train");
            training.checkpoints().save("softmax", network, history(1), Map.of("train.epochs", "4"));
            training.checkpoints().save("softmax", network, history(2), Map.of("train.epochs", "4"));
        }
    }

    @Test
    void aScoringRunIsRefusedWhereATrainingRunLeftCheckpointsAndTrainingResumesFromThem() throws IOException {
        interruptedTraining("r1");
        String message = assertThrows(BadInputException.class, () -> open("r1", RunKind.SCORING)).getMessage();
        assertTrue(message.startsWith("run r1 holds the checkpoints of a training run that did not finish")
                && message.contains("output.mode=resume"), message);
        try (RunStore resumed = open("r1", RunKind.TRAINING)) {
            assertEquals(2, resumed.checkpoints().load("softmax").orElseThrow().epoch(), "the checkpoints survive the scoring run");
        }
    }

    @Test
    void aScoringRunNeverAsksForCheckpoints() throws IOException {
        try (RunStore scoring = open("s1", RunKind.SCORING)) {
            assertThrows(IllegalStateException.class, scoring::checkpoints);
        }
    }

    @Test
    void aHadoopJobCommittingStraightIntoOutputDirLeavesTheStoreAlone() throws Exception {
        // "0" is a valid run.id, and the name of FileOutputCommitter's first job attempt under _temporary.
        interruptedTraining("0");
        StoredRuns.commit(out.toString(), "r2", "kept");
        Map<String, byte[]> committed = JobRuns.snapshot(out.resolve("r2"));

        Configuration conf = new Configuration();
        org.apache.hadoop.fs.Path output = new org.apache.hadoop.fs.Path(out.toUri());
        JobContext job = new JobContextImpl(conf, new JobID("other-tool", 1));
        FileOutputCommitter committer = new FileOutputCommitter(output, job);
        committer.setupJob(job);
        TaskAttemptContext task = new TaskAttemptContextImpl(conf, new TaskAttemptID("other-tool", 1, TaskType.MAP, 0, 0));
        FileOutputCommitter taskCommitter = new FileOutputCommitter(output, task);
        taskCommitter.setupTask(task);
        FileSystem fs = FileSystem.getLocal(conf);
        try (OutputStream part = fs.create(new org.apache.hadoop.fs.Path(taskCommitter.getWorkPath(), "part-00000"))) {
            part.write("their output\n".getBytes());
        }
        taskCommitter.commitTask(task);
        committer.commitJob(job);

        assertTrue(Files.exists(out.resolve("part-00000")), "the other job committed");
        assertFalse(Files.exists(out.resolve("_temporary")), "and cleaned up after itself");
        try (RunStore resumed = open("0", RunKind.TRAINING)) {
            assertEquals(2, resumed.checkpoints().load("softmax").orElseThrow().epoch());
        }
        Map<String, byte[]> after = JobRuns.snapshot(out.resolve("r2"));
        assertEquals(committed.keySet(), after.keySet());
    }

    @Test
    void runIdsThatDifferOnlyInCaseAreRefusedAsOneWhereTheFilesystemIgnoresCase() throws IOException {
        Configuration conf = CaseFoldingFileSystem.over(new Configuration());
        String dir = CaseFoldingFileSystem.SCHEME + "://" + out.toUri().getPath();
        try (RunStore first = RunStore.open(dir, "Exp1", RunKind.TRAINING, StoredRuns.LEASE, conf)) {
            first.checkpoints().save("softmax", TinyModels.softmax(), history(1), Map.of());
        }
        String message = assertThrows(BadInputException.class,
                () -> RunStore.open(dir, "exp1", RunKind.TRAINING, StoredRuns.LEASE, conf)).getMessage();
        assertTrue(message.startsWith("run.id exp1 differs only in case from run Exp1") && message.contains("nothing was changed"),
                message);
        try (RunStore first = RunStore.open(dir, "Exp1", RunKind.TRAINING, StoredRuns.LEASE, conf)) {
            assertEquals(1, first.checkpoints().load("softmax").orElseThrow().epoch(), "Exp1's checkpoints are still there");
        }
    }

    @Test
    void runIdsThatDifferOnlyInCaseAreTwoRunsWhereTheFilesystemTellsThemApart() throws IOException {
        try (RunStore first = open("Exp1", RunKind.TRAINING); RunStore second = open("exp1", RunKind.TRAINING)) {
            assertTrue(Files.isDirectory(out.resolve(RunStore.DIRECTORY).resolve("exp1")));
        }
    }

    @Test
    void aDanglingSymbolicLinkAtTheRunsPathIsRefusedBeforeTraining() throws IOException {
        Files.createSymbolicLink(out.resolve("r1"), out.resolve("gone"));
        try (RunStore store = open("r1", RunKind.TRAINING)) {
            String message = assertThrows(BadInputException.class, () -> store.checkReplaceable(true)).getMessage();
            assertTrue(message.contains("it is a symbolic link to " + out.resolve("gone")) && message.contains("nothing was moved"),
                    message);
        }
        assertTrue(Files.isSymbolicLink(out.resolve("r1")));
    }

    @Test
    void aSymbolicLinkToACommittedRunIsNotReplacedThroughTheLink() throws IOException {
        StoredRuns.commit(out.resolve("elsewhere").toString(), "r1", "theirs");
        Files.createSymbolicLink(out.resolve("r1"), out.resolve("elsewhere/r1"));
        try (RunStore store = open("r1", RunKind.TRAINING)) {
            assertThrows(BadInputException.class, () -> store.checkReplaceable(true));
        }
    }

    @Test
    void anEntryNamedOnlyCrcInAnOldRunIsRefusedAsNotOursInsteadOfCrashingTheStore() throws IOException {
        Path run = out.resolve("r1");
        Files.createDirectories(run.resolve("mlp"));
        Files.writeString(run.resolve("summary.json"), "{\"run_id\": \"r1\"}");
        Files.writeString(run.resolve("_SUCCESS"), "");
        for (String odd : List.of(".crc", "mlp/.crc", "..crc")) {
            Files.writeString(run.resolve(odd), "x");
            try (RunStore store = open("r1", RunKind.TRAINING)) {
                String message = assertThrows(BadInputException.class, () -> store.checkReplaceable(true)).getMessage();
                assertTrue(message.contains("it holds " + odd + ", which no run of spark-mnist writes"), message);
            }
            Files.delete(run.resolve(odd));
        }
        try (RunStore store = open("r1", RunKind.TRAINING)) {
            assertTrue(store.checkReplaceable(true).committed(), "without them it is an old run of ours again");
        }
    }

    @Test
    void hadoopChecksumNamesAreReadAsTheFileTheyCheck() {
        assertEquals("summary.json", RunManifest.withoutCrc(".summary.json.crc"));
        assertEquals("a", RunManifest.withoutCrc(".a.crc"));
        for (String notAChecksum : List.of(".crc", "..crc", "x.crc", ".crc.json")) {
            assertEquals(notAChecksum, RunManifest.withoutCrc(notAChecksum));
        }
    }
}
