package org.sparkmnist.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;

class RunDirectoryTest {

    @TempDir
    Path out;

    private RunDirectory attempt(String id) throws IOException {
        return RunDirectory.create(out.toString(), id, true, new Configuration());
    }

    @Test
    void nothingIsVisibleUntilCommit() throws IOException {
        RunDirectory run = attempt("r1");
        run.writeText("summary.json", "{}");
        assertFalse(Files.exists(out.resolve("r1")));
        run.commit();
        assertEquals("{}", Files.readString(out.resolve("r1/summary.json")));
        assertTrue(Files.exists(out.resolve("r1/_SUCCESS")));
    }

    @Test
    void commitLeavesNoTemporaryFilesOrChecksums() throws IOException {
        RunDirectory run = attempt("r1");
        run.writeText("mlp/metrics.csv", "epoch\n");
        run.commit();
        assertFalse(Files.exists(out.resolve(RunDirectory.TEMPORARY)));
        try (var files = Files.walk(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".crc")));
        }
    }

    @Test
    void abandonedAttemptLeavesNoTraceAndKeepsTheEarlierRun() throws IOException {
        RunDirectory good = attempt("r1");
        good.writeText("summary.json", "good");
        good.commit();
        RunDirectory failed = attempt("r1");
        failed.writeText("summary.json", "half");
        failed.abandon();
        assertEquals("good", Files.readString(out.resolve("r1/summary.json")));
        assertFalse(Files.exists(out.resolve(RunDirectory.TEMPORARY)));
    }

    @Test
    void rerunReplacesTheWholeEarlierRun() throws IOException {
        RunDirectory first = attempt("r1");
        first.writeText("old-only.txt", "x");
        first.writeText("summary.json", "first");
        first.commit();
        RunDirectory second = attempt("r1");
        second.writeText("summary.json", "second");
        second.commit();
        assertEquals("second", Files.readString(out.resolve("r1/summary.json")));
        assertFalse(Files.exists(out.resolve("r1/old-only.txt")), "files of two attempts must not mix");
    }

    @Test
    void failIfExistsRefusesAnExistingRunBeforeAnyWork() throws IOException {
        RunDirectory first = attempt("r1");
        first.writeText("summary.json", "first");
        first.commit();
        String message = assertThrows(BadInputException.class,
                () -> RunDirectory.create(out.toString(), "r1", false, new Configuration())).getMessage();
        assertTrue(message.contains("r1") && message.contains("output.mode"), message);
        assertEquals("first", Files.readString(out.resolve("r1/summary.json")));
        assertFalse(Files.exists(out.resolve(RunDirectory.TEMPORARY)), "a refused run must leave nothing behind");
    }

    @Test
    void failIfExistsRefusesARunThatAppearedDuringTraining() throws IOException {
        RunDirectory slow = RunDirectory.create(out.toString(), "r1", false, new Configuration());
        RunDirectory fast = attempt("r1");
        fast.writeText("summary.json", "fast");
        fast.commit();
        slow.writeText("summary.json", "slow");
        assertThrows(BadInputException.class, slow::commit);
        assertEquals("fast", Files.readString(out.resolve("r1/summary.json")));
    }

    @Test
    void scratchIsRemovedWithTheAttempt() throws IOException {
        RunDirectory run = attempt("r1");
        Path scratch = Path.of(run.scratch("train").toUri());
        Files.createDirectories(scratch);
        Files.writeString(scratch.resolve("batch-000000.bin"), "x");
        run.commit();
        assertFalse(Files.exists(scratch));
        assertFalse(Files.exists(out.resolve("r1/_scratch")));
    }

    @Test
    void deadAttemptsOfTheRunAreRemovedAndNothingOfOtherRuns() throws IOException {
        Path temporary = out.resolve(RunDirectory.TEMPORARY);
        for (String dir : List.of("r1-0a1b2c3d", "r1-x-0a1b2c3d", "r10-0a1b2c3d", "r1.checkpoint", "other-0a1b2c3d")) {
            Files.createDirectories(temporary.resolve(dir).resolve("_scratch"));
        }
        RunDirectory.removeDeadAttempts(out.toString(), "r1", new Configuration());
        try (var left = Files.list(temporary)) {
            assertEquals(List.of("other-0a1b2c3d", "r1-x-0a1b2c3d", "r1.checkpoint", "r10-0a1b2c3d"),
                    left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
