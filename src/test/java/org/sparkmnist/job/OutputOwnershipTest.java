package org.sparkmnist.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.data.DataFingerprint;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.data.MnistLoader;
import org.sparkmnist.store.RunAttempt;
import org.sparkmnist.store.RunKind;
import org.sparkmnist.store.RunStore;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.StoredRuns;

/**
 * The two ways an earlier version deleted what was not its own (an ordinary directory at the run's
 * path, and a model name that is a path), through the job's entry point: each must stop with exit code 2 before training, naming the problem, and leave the user's files
 * byte for byte as they were. Also: output.mode=resume on a run already committed with the same
 * config and data does nothing and succeeds.
 */
class OutputOwnershipTest {

    @TempDir
    Path tmp;

    private List<String> args(String... more) throws IOException {
        Path data = IdxFiles.dataset(tmp.resolve("mnist"), 30, 10);
        List<String> args = new ArrayList<>(List.of("data.dir=" + data, "split.train=20", "split.validation=10", "spark.master=local[1]", "train.batch-size=10",
                "models=[softmax]", "train.epochs=1"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void overwriteOfAnOrdinaryDirectoryIsRefusedAndItsFilesStayExactlyAsTheyWere() throws IOException {
        Path output = tmp.resolve("o");
        Files.createDirectories(output.resolve("victim/sub"));
        Files.writeString(output.resolve("victim/notes.txt"), "the user's notes\n");
        Files.write(output.resolve("victim/sub/data.bin"), new byte[] {0, 1, 2, (byte) 255});
        Map<String, byte[]> before = JobRuns.snapshot(output);

        JobRuns.Result result = JobRuns.inProcess(args("output.dir=" + output, "run.id=victim"));

        assertEquals(2, result.exitCode(), result.stderr());
        String line = result.lastLine();
        assertTrue(line.startsWith("spark-mnist: error: output.dir already holds ") && line.contains("victim")
                && line.contains("notes.txt") && line.contains("nothing was moved or deleted"), line);
        assertSame(before, JobRuns.snapshot(output));
        assertEquals(List.of("victim"), List.of(output.toFile().list()), "no store directory may be left beside it");
    }

    @Test
    void overwriteOfTheSourceTreeAsRunIdSrcIsRefused() throws IOException {
        Path project = tmp.resolve("project");
        Files.createDirectories(project.resolve("src/main/java"));
        Files.writeString(project.resolve("src/main/java/Main.java"), "class Main {}\n");
        Map<String, byte[]> before = JobRuns.snapshot(project);

        JobRuns.Result result = JobRuns.inProcess(args("output.dir=" + project, "run.id=src"));

        assertEquals(2, result.exitCode(), result.stderr());
        assertTrue(result.lastLine().contains("main/") && result.lastLine().contains("no _SUCCESS"), result.lastLine());
        assertSame(before, JobRuns.snapshot(project));
    }

    @Test
    void aModelNamedLikeAPathIsRefusedAndThatDirectoryIsNotTouched() throws IOException {
        Path someDir = tmp.resolve("some/dir");
        Files.createDirectories(someDir);
        Files.writeString(someDir.resolve("keep.txt"), "keep me\n");
        Map<String, byte[]> before = JobRuns.snapshot(tmp.resolve("some"));

        JobRuns.Result result = JobRuns.inProcess(args("output.dir=" + tmp.resolve("runs"), "run.id=r1",
                "models=[\"" + someDir + "\"]", "model.\"" + someDir + "\".hidden-layers=[]"));

        assertEquals(2, result.exitCode(), result.stderr());
        assertTrue(result.lastLine().startsWith("spark-mnist: error: config key models must be a plain name"), result.lastLine());
        assertSame(before, JobRuns.snapshot(tmp.resolve("some")));
        assertFalse(Files.exists(tmp.resolve("runs")), "refused at config time, before output.dir is touched");
    }

    @Test
    void resumeOfARunAlreadyCommittedWithTheSameConfigAndDataDoesNothing() throws Exception {
        Path output = tmp.resolve("runs");
        List<String> args = args("output.dir=" + output, "run.id=done", "output.mode=resume");
        JobSettings settings = SettingsLoader.load(args);
        Configuration hadoop = new Configuration();
        ResumableTraining training = new ResumableTraining(settings, null,
                DataFingerprint.of(MnistLoader.load(settings.data(), hadoop), hadoop));
        try (RunStore store = RunStore.open(output.toString(), "done", RunKind.TRAINING, StoredRuns.LEASE, hadoop)) {
            RunAttempt attempt = store.startAttempt(true);
            for (var file : StoredRuns.files("done", "committed").entrySet()) {
                attempt.writeText(file.getKey(), file.getValue());
            }
            attempt.commit(training.runIdentity());
        }
        Map<String, byte[]> before = JobRuns.snapshot(output);

        JobRuns.Result result = JobRuns.inProcess(args);

        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("run done is already committed at ") && result.stderr().contains(
                "with the same config and data: output.mode=resume has nothing to do"), result.stderr());
        assertSame(before, JobRuns.snapshot(output));
        assertEquals(List.of("done"), List.of(output.toFile().list()));
    }

    private static void assertSame(Map<String, byte[]> before, Map<String, byte[]> after) {
        assertEquals(new TreeMap<>(before).keySet(), new TreeMap<>(after).keySet());
        before.forEach((file, bytes) -> assertTrue(Arrays.equals(bytes, after.get(file)), file + " changed"));
    }
}
