package org.sparkmnist.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.LockHolder;

class RunLockTest {

    @TempDir
    Path out;

    private RunLock lock(String runId) throws IOException {
        return RunLock.acquire(out.toString(), runId, new Configuration());
    }

    private Path lockFile(String runId) {
        return out.resolve(RunDirectory.TEMPORARY).resolve(runId + ".lock");
    }

    @Test
    void secondRunOfTheSameIdIsRefusedWhileTheFirstHoldsTheLock() throws IOException {
        try (RunLock first = lock("r1")) {
            BadInputException refused = assertThrows(BadInputException.class, () -> lock("r1"));
            String message = refused.getMessage();
            assertTrue(message.contains("run r1 is already running") && message.contains("pid " + ProcessHandle.current().pid())
                    && message.contains(lockFile("r1").toString()), message);
            assertTrue(Files.exists(lockFile("r1")), "the holder's lock must survive the refusal");
        }
        assertFalse(Files.exists(lockFile("r1")), "released at the end");
        assertFalse(Files.exists(out.resolve(RunDirectory.TEMPORARY)), "an empty _temporary is removed with it");
        lock("r1").close();
    }

    @Test
    void ofManySimultaneousAttemptsExactlyOneGetsTheLock() throws Exception {
        int attempts = 8;
        CyclicBarrier start = new CyclicBarrier(attempts);
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        lock("r1");
                        return true;
                    } catch (BadInputException refused) {
                        return false;
                    }
                }));
            }
            int winners = 0;
            for (var result : results) {
                winners += result.get() ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDriverStoppedWithSigtermReleasesItsLock() throws Exception {
        Path log = out.resolve("holder.log");
        Process holder = JobRuns.startMain(LockHolder.class.getName(), List.of(out.toString(), "r1"), log);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(log) || !Files.readString(log).contains("locked")) {
                assertTrue(holder.isAlive() && System.nanoTime() < deadline, "the holder did not take the lock");
                Thread.sleep(50);
            }
            assertThrows(BadInputException.class, () -> lock("r1"));
            holder.destroy(); // SIGTERM
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        } finally {
            holder.destroyForcibly();
        }
        assertFalse(Files.exists(lockFile("r1")), Files.readString(log));
    }

    @Test
    void otherRunIdsAreNotBlocked() throws IOException {
        try (RunLock first = lock("r1"); RunLock second = lock("r2")) {
            assertTrue(Files.exists(lockFile("r2")));
        }
    }

    @Test
    void staleLockOfADeadProcessOnThisHostIsTakenOver() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor(10, TimeUnit.SECONDS);
        writeLock("r1", RunLock.Owner.thisHost(), dead.pid(), Instant.now().minusSeconds(60));
        try (RunLock taken = lock("r1")) {
            String content = Files.readString(lockFile("r1"));
            assertTrue(content.contains("pid=" + ProcessHandle.current().pid()), content);
        }
        assertFalse(Files.exists(lockFile("r1")));
    }

    @Test
    void lockOfAReusedPidIsStale() throws IOException {
        // Our own pid, but recorded with a start time this process does not have: the pid was reused.
        writeLock("r1", RunLock.Owner.thisHost(), ProcessHandle.current().pid(), Instant.parse("2001-01-01T00:00:00Z"));
        lock("r1").close();
    }

    @Test
    void lockFromAnotherHostIsNeverTakenOverAndTheMessageSaysHowToClearIt() throws IOException {
        writeLock("r1", "some-other-host", 1, Instant.now());
        String message = assertThrows(BadInputException.class, () -> lock("r1")).getMessage();
        assertTrue(message.contains("some-other-host") && message.contains("delete the lock file")
                && message.contains(lockFile("r1").toString()), message);
    }

    @Test
    void lockWithoutAnOwnerIsNotTakenOver() throws IOException {
        Files.createDirectories(lockFile("r1").getParent());
        Files.writeString(lockFile("r1"), "");
        String message = assertThrows(BadInputException.class, () -> lock("r1")).getMessage();
        assertTrue(message.contains("names no owner") && message.contains("delete it"), message);
        assertEquals("", Files.readString(lockFile("r1")));
    }

    private void writeLock(String runId, String host, long pid, Instant processStart) throws IOException {
        Files.createDirectories(lockFile(runId).getParent());
        RunLock.Owner owner = new RunLock.Owner(host, pid, processStart, processStart, "t-" + pid);
        Files.writeString(lockFile(runId), owner.text());
    }
}
