package org.sparkmnist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.PlainName;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.StoredRuns;

class RunStoreTest {

    @TempDir
    Path out;

    private RunStore open(String runId) throws IOException {
        return RunStore.open(out.toString(), runId, RunKind.TRAINING, StoredRuns.LEASE, new Configuration());
    }

    private void commit(String runId, String marker) throws IOException {
        StoredRuns.commit(out.toString(), runId, marker);
    }

    private String summary(String runId) throws IOException {
        return Files.readString(out.resolve(runId).resolve("summary.json"));
    }

    @Test
    void nothingIsVisibleUntilCommit() throws IOException {
        try (RunStore store = open("r1")) {
            RunAttempt attempt = store.startAttempt(true);
            attempt.writeText("summary.json", "{\"run_id\": \"r1\"}");
            assertFalse(Files.exists(out.resolve("r1")));
            attempt.commit(new TreeMap<>());
        }
        assertEquals("{\"run_id\": \"r1\"}", summary("r1"));
        assertTrue(Files.exists(out.resolve("r1/_SUCCESS")));
    }

    @Test
    void aRunReplacesOnlyARunOfItsOwnKind() throws IOException {
        commit("r1", "trained");
        String before = summary("r1");
        try (RunStore scoring = RunStore.open(out.toString(), "r1", RunKind.SCORING, StoredRuns.LEASE, new Configuration())) {
            String message = assertThrows(BadInputException.class, () -> scoring.checkReplaceable(true)).getMessage();
            assertTrue(message.contains("holds a training run, which a scoring run never replaces"), message);
            RunAttempt attempt = scoring.startAttempt(true);
            attempt.writeText("summary.json", "{\"run_id\": \"r1\"}");
            // The commit checks again, for a training run committed while this one was scoring.
            assertThrows(BadInputException.class, () -> attempt.commit(new TreeMap<>()));
            attempt.abandon();
        }
        assertEquals(before, summary("r1"));
        assertEquals("training", new ObjectMapper().readTree(out.resolve("r1/_SUCCESS").toFile()).path("kind").asText());
    }

    @Test
    void successIsAManifestListingEveryFileWithItsLengthAndNamingTheRun() throws IOException {
        commit("r1", "first");
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("r1/_SUCCESS").toFile());
        assertEquals("spark-mnist", manifest.path("producer").asText());
        assertEquals("r1", manifest.path("run_id").asText());
        Map<String, String> files = StoredRuns.files("r1", "first");
        assertEquals(files.keySet(), new TreeMap<>(new ObjectMapper().convertValue(manifest.path("files"), Map.class)).keySet());
        for (String file : files.keySet()) {
            assertEquals(Files.size(out.resolve("r1").resolve(file)), manifest.path("files").path(file).asLong(), file);
        }
    }

    @Test
    void commitLeavesNoTemporaryFilesOrChecksums() throws IOException {
        commit("r1", "first");
        commit("r1", "second");
        assertFalse(Files.exists(out.resolve(RunStore.DIRECTORY)));
        try (var files = Files.walk(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".crc")));
        }
    }

    @Test
    void abandonedAttemptLeavesNoTraceAndKeepsTheEarlierRun() throws IOException {
        commit("r1", "good");
        String before = summary("r1");
        try (RunStore store = open("r1")) {
            RunAttempt failed = store.startAttempt(true);
            failed.writeText("summary.json", "half");
            failed.scratch("train");
            failed.abandon();
        }
        assertEquals(before, summary("r1"));
        assertFalse(Files.exists(out.resolve(RunStore.DIRECTORY)));
    }

    @Test
    void rerunReplacesTheWholeEarlierRun() throws IOException {
        Map<String, String> first = new TreeMap<>(StoredRuns.files("r1", "first"));
        first.put("old-only.txt", "x");
        StoredRuns.commit(out.toString(), "r1", first, new Configuration());
        commit("r1", "second");
        assertTrue(summary("r1").contains("second"));
        assertFalse(Files.exists(out.resolve("r1/old-only.txt")), "files of two attempts must not mix");
    }

    @Test
    void failIfExistsRefusesAnExistingRunBeforeAnyWork() throws IOException {
        commit("r1", "first");
        var before = JobRuns.snapshot(out);
        try (RunStore store = open("r1")) {
            String message = assertThrows(BadInputException.class, () -> store.checkReplaceable(false)).getMessage();
            assertTrue(message.contains("r1") && message.contains("output.mode"), message);
        }
        assertSameFiles(before, JobRuns.snapshot(out));
    }

    @Test
    void failIfExistsRefusesARunThatAppearedDuringTraining() throws IOException {
        Path elsewhere = out.resolve("elsewhere");
        StoredRuns.commit(elsewhere.toString(), "r1", "fast");
        try (RunStore store = open("r1")) {
            RunAttempt slow = store.startAttempt(false);
            slow.writeText("summary.json", "{\"run_id\": \"r1\"}");
            Files.move(elsewhere.resolve("r1"), out.resolve("r1"));
            assertThrows(BadInputException.class, () -> slow.commit(new TreeMap<>()));
            slow.abandon();
        }
        assertTrue(summary("r1").contains("fast"));
    }

    @Test
    void scratchIsCreatedForTheTasksAndRemovedWithTheAttempt() throws IOException {
        Path scratch;
        try (RunStore store = open("r1")) {
            RunAttempt attempt = store.startAttempt(true);
            scratch = Path.of(attempt.scratch("train").toUri());
            assertTrue(Files.isDirectory(scratch));
            Files.writeString(scratch.resolve("batch-000000.bin"), "x");
            attempt.writeText("summary.json", "{\"run_id\": \"r1\"}");
            attempt.commit(new TreeMap<>());
        }
        assertFalse(Files.exists(scratch));
        assertFalse(Files.exists(out.resolve("r1/scratch")));
    }

    @Test
    void deadAttemptsOfTheRunAreRemovedAndNothingElse() throws IOException {
        Path store = out.resolve(RunStore.DIRECTORY);
        for (String dir : List.of("r1/holder-3-0123456789abcdef/attempt-0a1b2c3d/scratch", "r1/notes", "r10/holder-1-0123456789abcdef/attempt-0a1b2c3d",
                "r1-0a1b2c3d/scratch")) {
            Files.createDirectories(store.resolve(dir));
        }
        open("r1").close();
        try (var left = Files.walk(store, 3)) {
            assertEquals(List.of("r1", "r1-0a1b2c3d", "r1-0a1b2c3d/scratch", "r1/notes", "r10", "r10/holder-1-0123456789abcdef",
                            "r10/holder-1-0123456789abcdef/attempt-0a1b2c3d"),
                    left.filter(p -> !p.equals(store)).map(p -> store.relativize(p).toString()).sorted().toList());
        }
    }

    @Test
    void aDirectoryThatIsNotARunIsNeverReplaced() throws IOException {
        Files.createDirectories(out.resolve("victim"));
        Files.writeString(out.resolve("victim/notes.txt"), "mine");
        String message = refusal("victim");
        assertTrue(message.startsWith("output.dir already holds " + out.resolve("victim").toUri().getPath().replaceAll("/$", ""))
                || message.contains(out.resolve("victim").toString()), message);
        assertTrue(message.contains("no _SUCCESS") && message.contains("notes.txt") && message.contains("nothing was moved or deleted"),
                message);
        assertEquals("mine", Files.readString(out.resolve("victim/notes.txt")));
    }

    @Test
    void aRunWithAFileItsManifestDoesNotListIsNotReplaced() throws IOException {
        commit("r1", "first");
        Files.writeString(out.resolve("r1/mlp/notes.txt"), "mine");
        String message = refusal("r1");
        assertTrue(message.contains("mlp/notes.txt, which its _SUCCESS does not list"), message);
    }

    @Test
    void aRunWhoseSummaryNamesAnotherRunOrIsMissingIsNotReplaced() throws IOException {
        commit("r1", "first");
        Files.writeString(out.resolve("r1/summary.json"), "{\"run_id\": \"other\"}");
        assertTrue(refusal("r1").contains("its summary.json names run other"));
        Files.delete(out.resolve("r1/summary.json"));
        assertTrue(refusal("r1").contains("no readable summary.json"));
    }

    @Test
    void aFileAtTheRunsPathIsNotReplaced() throws IOException {
        Files.writeString(out.resolve("r1"), "a file");
        assertTrue(refusal("r1").contains("it is a file"));
        assertEquals("a file", Files.readString(out.resolve("r1")));
    }

    @Test
    void aRunOfAnEarlierVersionWithAnEmptySuccessIsReplaced() throws IOException {
        writeLegacyRun("r1");
        commit("r1", "new");
        assertTrue(summary("r1").contains("new"));
        assertFalse(Files.exists(out.resolve("r1/.summary.json.crc")));
    }

    @Test
    void aRunOfAnEarlierVersionHoldingAnythingElseIsNotReplaced() throws IOException {
        writeLegacyRun("r1");
        Files.writeString(out.resolve("r1/mlp/notes.txt"), "mine");
        assertTrue(refusal("r1").contains("mlp/notes.txt, which no run of spark-mnist writes"));
    }

    @Test
    void objectStoresAreRefusedSayingWhy() {
        for (String dir : List.of("s3a://bucket/runs", "gs://bucket/runs", "abfss://c@account.dfs.core.windows.net/runs")) {
            String message = assertThrows(BadInputException.class,
                    () -> RunStore.open(dir, "r1", RunKind.TRAINING, StoredRuns.LEASE, new Configuration())).getMessage();
            assertTrue(message.startsWith("config key output.dir is " + dir) && message.contains("not atomic"), message);
        }
    }

    @Test
    void theStoreRefusesToChangeAnythingOutsideWhatItOwns() throws IOException {
        Files.writeString(out.resolve("precious.txt"), "x");
        try (RunStore store = open("r1")) {
            OutputFiles files = new OutputFiles(org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()), new Configuration(),
                    new org.apache.hadoop.fs.Path(out.toUri()), "r1");
            for (String path : List.of("precious.txt", "r2", RunStore.DIRECTORY + "/r2/lock-1", RunStore.DIRECTORY + "/r1/../r2/x",
                    RunStore.DIRECTORY, "_temporary", "_temporary/r1", "_temporary/r1/notes.txt", "_temporary/0/_temporary")) {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(out.toUri()), path);
                assertThrows(IllegalStateException.class, () -> files.delete(p), path);
            }
            assertThrows(IllegalStateException.class, () -> files.delete(files.run()), "the run itself is only ever renamed");
        }
        assertEquals("x", Files.readString(out.resolve("precious.txt")));
    }

    @Test
    void everyNameTheStoreUsesBesideRunsAndModelsIsReservedFromConfigNames() {
        for (String name : List.of(RunStore.DIRECTORY, "_temporary", RunManifest.SUCCESS, RunManifest.SUMMARY, "report.html")) {
            assertTrue(PlainName.problem(name).isPresent(), name);
        }
    }

    private String refusal(String runId) throws IOException {
        var before = JobRuns.snapshot(out);
        String message;
        try (RunStore store = open(runId)) {
            message = assertThrows(BadInputException.class, () -> store.checkReplaceable(true)).getMessage();
        }
        assertSameFiles(before, JobRuns.snapshot(out));
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    /** A run as versions before the manifest wrote it: empty _SUCCESS, checksum files of the first versions. */
    private void writeLegacyRun(String runId) throws IOException {
        Path run = out.resolve(runId);
        Files.createDirectories(run.resolve("mlp"));
        Files.writeString(run.resolve("summary.json"), "{\"run_id\": \"" + runId + "\"}");
        Files.writeString(run.resolve(".summary.json.crc"), "crc");
        Files.writeString(run.resolve("report.html"), "<html/>");
        Files.writeString(run.resolve("mlp/metrics.csv"), "epoch\n");
        Files.writeString(run.resolve("mlp/model.zip"), "zip");
        Files.writeString(run.resolve("_SUCCESS"), "");
    }

    private static void assertSameFiles(Map<String, byte[]> before, Map<String, byte[]> after) {
        assertEquals(before.keySet(), after.keySet());
        before.forEach((file, bytes) -> assertTrue(java.util.Arrays.equals(bytes, after.get(file)), file + " changed"));
    }
}
