package org.sparkmnist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.LockHolder;
import org.sparkmnist.testing.LockRenewal;
import org.sparkmnist.testing.StoreLayout;

/** The run lock as a lease: who may take it over, when, and what a holder that lost it can still do. */
class RunLeaseTest {

    private static final ProcessTable PROCESSES = ProcessTable.SYSTEM;
    /** Short, so that expiry is seen within the test; the holder renews every third of it. */
    private static final Duration LEASE = Duration.ofMillis(900);

    @TempDir
    Path out;

    private RunStore open(String runId, Duration lease) throws IOException {
        return RunStore.open(out.toString(), runId, RunKind.TRAINING, lease, new Configuration());
    }

    /** The current lock of {@code runId}, or where the first one goes when there is none. */
    private Path lockFile(String runId) {
        return StoreLayout.currentLock(out, runId).orElse(StoreLayout.store(out, runId).resolve(RunLease.LOCK + 1));
    }

    private String lockText(String runId) throws IOException {
        return Files.readString(lockFile(runId));
    }

    @Test
    void secondRunOfTheSameIdIsRefusedWhileTheFirstHoldsAndRenewsTheLock() throws IOException {
        try (RunStore first = open("r1", LEASE)) {
            BadInputException refused = assertThrows(BadInputException.class, () -> open("r1", LEASE));
            String message = refused.getMessage();
            assertTrue(message.contains("run r1 is already running") && message.contains("pid " + ProcessHandle.current().pid())
                    && message.contains(lockFile("r1").toString()), message);
            assertTrue(lockText("r1").contains("pid=" + ProcessHandle.current().pid()), "the holder's lock must survive the refusal");
        }
        assertFalse(Files.exists(lockFile("r1")), "released at the end");
        assertFalse(Files.exists(out.resolve(RunStore.DIRECTORY)), "an empty store directory is removed with it");
        open("r1", LEASE).close();
    }

    @Test
    void ofManySimultaneousAttemptsExactlyOneGetsTheLock() throws Exception {
        int attempts = 8;
        CyclicBarrier start = new CyclicBarrier(attempts);
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        List<RunStore> held = new ArrayList<>();
        try {
            List<Future<RunStore>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        return open("r1", LEASE);
                    } catch (BadInputException refused) {
                        return null;
                    }
                }));
            }
            for (var result : results) {
                RunStore store = result.get();
                if (store != null) {
                    held.add(store);
                }
            }
            assertEquals(1, held.size());
        } finally {
            held.forEach(RunStore::close);
            pool.shutdownNow();
        }
    }

    @Test
    void otherRunIdsAreNotBlocked() throws IOException {
        try (RunStore first = open("r1", LEASE); RunStore second = open("r2", LEASE)) {
            assertTrue(Files.exists(lockFile("r2")));
        }
    }

    @Test
    void aDriverStoppedWithSigtermReleasesItsLock() throws Exception {
        Path log = out.resolve("holder.log");
        Process holder = startHolder("r1", log);
        try {
            assertThrows(BadInputException.class, () -> open("r1", LEASE));
            holder.destroy(); // SIGTERM
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        } finally {
            holder.destroyForcibly();
        }
        assertFalse(Files.exists(lockFile("r1")), Files.readString(log));
    }

    @Test
    void aLiveLockRenewedByAnotherJvmIsNeverTakenOverAndAKilledOnesIs() throws Exception {
        Path log = out.resolve("holder.log");
        Process holder = startHolder("r1", log);
        try {
            String token = lockText("r1").lines().filter(l -> l.startsWith("token=")).findFirst().orElseThrow();
            long until = System.nanoTime() + 4 * LEASE.toNanos();
            int refusals = 0;
            while (System.nanoTime() < until) {
                String message = assertThrows(BadInputException.class, () -> open("r1", LEASE)).getMessage();
                assertTrue(message.contains("already running (pid " + holder.pid()), message);
                refusals++;
            }
            assertTrue(refusals >= 2, "refusals: " + refusals);
            assertTrue(lockText("r1").contains(token), "the holder's lock is untouched after four leases of contention");
            assertTrue(holder.isAlive(), Files.readString(log));
            holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no hook runs, the lock stays behind
            assertTrue(Files.exists(lockFile("r1")));
            // Killed: the next run takes the lock over (staleLockOfADeadProcessOnThisMachineIsTakenOverAtOnce shows it need not wait).
            open("r1", LEASE).close();
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void staleLockOfADeadProcessOnThisMachineIsTakenOverAtOnce() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor(10, TimeUnit.SECONDS);
        writeLock("r1", owner(LockOwner.thisHost(), PROCESSES.pidNamespace(), dead.pid(), 1, Duration.ofHours(1)));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (RunStore taken = open("r1", LEASE)) {
                assertTrue(lockText("r1").contains("pid=" + ProcessHandle.current().pid()));
            }
        });
        assertFalse(Files.exists(lockFile("r1")));
    }

    @Test
    void lockOfAReusedPidIsStale() throws Exception {
        // Our own pid, but recorded with a start tick this process does not have: the pid was reused.
        writeLock("r1", owner(LockOwner.thisHost(), PROCESSES.pidNamespace(), ProcessHandle.current().pid(), PROCESSES.selfStartTicks() + 1,
                Duration.ofHours(1)));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> open("r1", LEASE).close());
    }

    @Test
    void aLockFromAnotherHostIsTakenOverOnlyAfterAFullLeaseWithoutRenewal() throws IOException {
        writeLock("r1", owner("some-other-host", "pid:[4026531836]", 1, 1, LEASE));
        long start = System.nanoTime();
        try (RunStore taken = open("r1", Duration.ofSeconds(60))) {
            assertTrue(System.nanoTime() - start >= LEASE.toNanos(), "taken before its lease had passed unrenewed");
            assertTrue(lockText("r1").contains("pid=" + ProcessHandle.current().pid()));
        }
    }

    @Test
    void aLockOfAnotherPidNamespaceOnTheSameHostIsNotTakenOverWhileRenewed() throws Exception {
        // Another container with the same host name: its pid 1 may well be alive there, whatever it is here.
        LockOwner other = owner(LockOwner.thisHost(), "pid:[4026599999]", deadPid(), 1, LEASE);
        assertFalse(other.pidIsCheckableHere(PROCESSES));
        assertFalse(other.isDeadProcessOnThisMachine(PROCESSES));
        writeLock("r1", other);
        try (LockRenewal renewal = LockRenewal.of(lockFile("r1"), LEASE)) {
            String message = assertThrows(BadInputException.class, () -> open("r1", LEASE)).getMessage();
            assertTrue(message.contains("already running (pid " + other.pid()), message);
        }
        long start = System.nanoTime();
        open("r1", LEASE).close();
        assertTrue(System.nanoTime() - start >= LEASE.toNanos(), "once unrenewed it is taken over, but only after its lease");
    }

    @Test
    void anOwnerlessLockIsTakenOverOnlyAfterALeaseWithoutChange() throws IOException {
        Files.createDirectories(lockFile("r1").getParent());
        Files.writeString(lockFile("r1"), "");
        long start = System.nanoTime();
        open("r1", LEASE).close();
        assertTrue(System.nanoTime() - start >= LEASE.toNanos());
    }

    @Test
    void aHolderWhoseLeaseWasTakenOverCannotCommitNorWrite() throws IOException {
        try (RunStore store = open("r1", Duration.ofSeconds(60))) {
            RunAttempt attempt = store.startAttempt(true);
            attempt.writeText("summary.json", "{\"run_id\": \"r1\"}");
            // What a contender that judged the lease expired leaves: its own lock in place of ours.
            Files.writeString(lockFile("r1"), owner("some-other-host", "pid:[1]", 42, 1, LEASE).text());
            IOException lost = assertThrows(IOException.class, () -> attempt.commit(new TreeMap<>()));
            assertTrue(lost.getMessage().contains("lost the lock") && lost.getMessage().contains("some-other-host"), lost.getMessage());
            assertThrows(IllegalStateException.class, () -> attempt.writeText("report.html", "x"), "a lost lease fences every write");
            assertFalse(Files.exists(out.resolve("r1")));
        }
        assertTrue(lockText("r1").contains("host=some-other-host"), "the new holder's lock is not released by the old holder");
    }

    @Test
    void aLiveHolderIsNotTakenOverWhenTheWallClockWasSteppedSinceItStarted() throws Exception {
        Process live = new ProcessBuilder("sleep", "600").start();
        try {
            long ticks = ((ProcessTable.Running) PROCESSES.look(live.pid())).startTicks();
            // Its wall-clock start as read before the clock was stepped back an hour: only the tick count is still right.
            Instant steppedStart = live.info().startInstant().orElseThrow().plus(Duration.ofHours(1));
            LockOwner holder = new LockOwner(LockOwner.thisHost(), PROCESSES.bootId(), PROCESSES.pidNamespace(), PROCESSES.selfUid(),
                    live.pid(), ticks, steppedStart, steppedStart, LEASE, "t-live");
            writeLock("r1", holder);
            Path lock = lockFile("r1");
            try (LockRenewal renewal = LockRenewal.of(lock, LEASE)) {
                String message = assertThrows(BadInputException.class, () -> open("r1", LEASE)).getMessage();
                assertTrue(message.contains("already running (pid " + live.pid()), message);
                assertTrue(Files.readString(lock).contains("token=t-live"), "the live holder's lock is untouched");
            }
        } finally {
            live.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void ofManyDriversRacingForAnExpiredLockOneTakesItAndTheOthersAreRefused() throws Exception {
        int drivers = 6;
        Duration ours = Duration.ofMillis(1500);
        ExecutorService pool = Executors.newFixedThreadPool(drivers);
        try {
            for (int round = 0; round < 4; round++) {
                String runId = "race" + round;
                // Another host's lock with a short lease: every driver sees it expire at about the same moment.
                writeLock(runId, owner("some-other-host", "pid:[1]", 7, 1, Duration.ofMillis(100)));
                CyclicBarrier start = new CyclicBarrier(drivers);
                List<Future<RunStore>> results = new ArrayList<>();
                for (int i = 0; i < drivers; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            return open(runId, ours);
                        } catch (BadInputException refused) {
                            return null;
                        }
                    }));
                }
                List<RunStore> held = new ArrayList<>();
                try {
                    for (Future<RunStore> result : results) {
                        // Anything but a store or a refusal (exit 2), such as a NoSuchFileException of a lost rename race, fails here.
                        RunStore store = result.get(60, TimeUnit.SECONDS);
                        if (store != null) {
                            held.add(store);
                        }
                    }
                    assertEquals(1, held.size(), "round " + round);
                } finally {
                    held.forEach(RunStore::close);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void removingTheEmptyStoreDirectoryNeverTakesALockCreatedAtThatInstant() throws Exception {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(out.toUri());
        FileSystem local = FileSystem.getLocal(new Configuration());
        OutputFiles other = new OutputFiles(local, new Configuration(), root, "r2");
        OutputFiles files = new OutputFiles(local, new Configuration(), root, "r1");
        AtomicBoolean stop = new AtomicBoolean();
        Thread remover = new Thread(() -> {
            while (!stop.get()) {
                // What a run of r2 does as it ends: remove the store's directory if it looks empty.
                other.removeIfEmpty(other.store().getParent());
            }
        });
        remover.start();
        int lost = 0;
        try {
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            org.apache.hadoop.fs.Path lock = new org.apache.hadoop.fs.Path(files.store(), "lock-1");
            while (System.nanoTime() < until) {
                try {
                    files.mkdirStore();
                    if (!files.createExclusive(lock, new byte[] {1})) {
                        continue;
                    }
                } catch (java.io.FileNotFoundException removedFirst) {
                    continue;
                }
                if (!Files.exists(Path.of(lock.toUri()))) {
                    lost++;
                }
                files.delete(lock);
                files.removeIfEmpty(files.store());
            }
        } finally {
            stop.set(true);
            remover.join();
        }
        assertEquals(0, lost, "locks deleted by a concurrent removal of an empty-looking directory");
    }

    @Test
    void theReleaseHookRunsBeforeSparksOwnShutdownHook() {
        // Spark 3.5 registers its hooks with Hadoop's ShutdownHookManager at FileSystem.SHUTDOWN_HOOK_PRIORITY + 30; higher runs first.
        assertTrue(RunLease.SHUTDOWN_PRIORITY > FileSystem.SHUTDOWN_HOOK_PRIORITY + 30);
    }

    private Process startHolder(String runId, Path log) throws Exception {
        Process holder = JobRuns.startMain(LockHolder.class.getName(), List.of(out.toString(), runId, Long.toString(LEASE.toMillis())), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(log) || !Files.readString(log).contains("locked")) {
            assertTrue(holder.isAlive() && System.nanoTime() < deadline, "the holder did not take the lock");
            Thread.sleep(50);
        }
        return holder;
    }

    private static long deadPid() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor(10, TimeUnit.SECONDS);
        return dead.pid();
    }

    private static LockOwner owner(String host, String pidNamespace, long pid, long startTicks, Duration lease) {
        Instant now = Instant.now();
        return new LockOwner(host, PROCESSES.bootId(), pidNamespace, PROCESSES.selfUid(), pid, startTicks, now, now, lease,
                "t-" + pid + host);
    }

    private void writeLock(String runId, LockOwner owner) throws IOException {
        Files.createDirectories(lockFile(runId).getParent());
        Files.writeString(lockFile(runId), owner.text());
    }
}
