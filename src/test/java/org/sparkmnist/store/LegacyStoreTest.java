package org.sparkmnist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.LockRenewal;
import org.sparkmnist.testing.StoredRuns;
import org.sparkmnist.testing.TinyModels;
import org.sparkmnist.training.EpochMetrics;

/**
 * What the previous version of the store left in {@code _temporary/<run.id>/}, as that version
 * wrote it: its live driver's lock is respected, a dead one's is waited out, its interrupted commit
 * is finished, its checkpoints are resumed, its dead attempts removed, and nothing else in Hadoop's
 * {@code _temporary} is touched.
 */
class LegacyStoreTest {

    private static final Duration LEASE = Duration.ofMillis(900);

    @TempDir
    Path out;

    private Path legacy(String runId) {
        return out.resolve("_temporary").resolve(runId);
    }

    private RunStore open(String runId) throws IOException {
        return RunStore.open(out.toString(), runId, RunKind.TRAINING, LEASE, new Configuration());
    }

    /** A lock as the previous version wrote it: no uid, no start tick. */
    private void oldLock(String runId, Duration lease) throws IOException {
        Files.createDirectories(legacy(runId));
        Instant now = Instant.now();
        Files.writeString(legacy(runId).resolve("lock"), "host=some-other-host\nboot-id=b\npid-namespace=pid:[1]\npid=9\nprocess-start="
                + now + "\nacquired=" + now + "\nlease-millis=" + lease.toMillis() + "\ntoken=old-driver\n");
    }

    @Test
    void aLiveDriverOfThePreviousVersionKeepsItsRun() throws Exception {
        oldLock("r1", LEASE);
        Path lock = legacy("r1").resolve("lock");
        try (LockRenewal renewal = LockRenewal.of(lock, LEASE)) {
            String message = assertThrows(BadInputException.class, () -> open("r1")).getMessage();
            assertTrue(message.contains("already running (pid 9 on host some-other-host") && message.contains(lock.toString()), message);
        }
        assertTrue(Files.readString(lock).contains("token=old-driver"));
        assertFalse(Files.exists(out.resolve(RunStore.DIRECTORY)), "the refused run leaves nothing of its own");
    }

    @Test
    void theCheckpointsOfADeadDriverOfThePreviousVersionAreResumedAndItsLeftOversRemoved() throws IOException {
        oldLock("r1", Duration.ofMillis(200));
        // The previous version's checkpoint layout is this version's, one directory up.
        Path made = out.resolve("made");
        try (RunStore store = RunStore.open(made.toString(), "r1", RunKind.TRAINING, LEASE, new Configuration())) {
            store.checkpoints().save("softmax", TinyModels.softmax(), List.of(new EpochMetrics(1, 1.0, 0.5, 0.8, 0.5, 0.8)),
                    Map.of("train.epochs", "3"));
            Path holder = Path.of(store.checkpoints().load("softmax").orElseThrow().path().toUri()).getParent().getParent().getParent();
            Files.move(holder.resolve("checkpoints"), legacy("r1").resolve("checkpoints"));
        }
        Files.createDirectories(legacy("r1").resolve("attempt-0a1b2c3d/scratch/train"));
        Files.writeString(legacy("r1").resolve("lock.stale-0a1b2c3d"), "");

        try (RunStore resumed = open("r1")) {
            assertEquals(1, resumed.checkpoints().load("softmax").orElseThrow().epoch());
        }
        assertFalse(Files.exists(out.resolve("_temporary")), "lock, attempt and stale lock are gone, and _temporary with them");
    }

    @Test
    void aCommitThePreviousVersionWasStoppedInIsFinished() throws IOException {
        StoredRuns.commit(out.toString(), "r1", "old");
        Path elsewhere = out.resolve("elsewhere");
        StoredRuns.commit(elsewhere.toString(), "r1", "new");
        oldLock("r1", Duration.ofMillis(200));
        // Stopped after moving the old run aside, before moving the new one in.
        Files.createDirectories(legacy("r1").resolve("attempt-0a1b2c3d"));
        Files.move(out.resolve("r1"), legacy("r1").resolve("previous"));
        Files.move(elsewhere.resolve("r1"), legacy("r1").resolve("attempt-0a1b2c3d/run"));
        Files.writeString(legacy("r1").resolve("commit"), "{\"attempt\":\"attempt-0a1b2c3d\",\"previous\":true}");

        open("r1").close();
        assertTrue(Files.readString(out.resolve("r1/summary.json")).contains("\"new\""));
        assertFalse(Files.exists(out.resolve("_temporary")));
    }

    @Test
    void whatAnotherToolKeepsInTemporaryIsLeftAsItIs() throws IOException {
        // "0" is a valid run.id, and FileOutputCommitter's first job attempt directory.
        Path hadoops = legacy("0").resolve("_temporary/attempt_1_0001_m_000000_0/part-00000");
        Files.createDirectories(hadoops.getParent());
        Files.writeString(hadoops, "theirs");
        Files.writeString(legacy("0").resolve("part-00001"), "theirs too");
        Map<String, byte[]> before = JobRuns.snapshot(out.resolve("_temporary"));
        open("0").close();
        assertEquals(before.keySet(), JobRuns.snapshot(out.resolve("_temporary")).keySet());
    }
}
