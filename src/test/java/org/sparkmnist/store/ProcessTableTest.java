package org.sparkmnist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the same-machine shortcut may call a lock's holder dead: only when /proc can be trusted to
 * show it. A /proc of this shape stands in for what hidepid and unreadable entries look like, which
 * a test cannot mount without changing the whole machine's /proc; the real /proc is read too.
 */
class ProcessTableTest {

    private static final long UID = 1000;
    private static final String BOOT = "b0";
    private static final String NAMESPACE = "pid:[4026531836]";

    @TempDir
    Path proc;

    private ProcessTable table() throws IOException {
        Files.createDirectories(proc.resolve("sys/kernel/random"));
        Files.writeString(proc.resolve("sys/kernel/random/boot_id"), BOOT + "\n");
        Files.createDirectories(proc.resolve("self/ns"));
        if (!Files.exists(proc.resolve("self/ns/pid"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(proc.resolve("self/ns/pid"), Path.of(NAMESPACE));
        }
        Files.writeString(proc.resolve("self/status"), "Name:\tjava\nUid:\t" + UID + "\t" + UID + "\t" + UID + "\t" + UID + "\n");
        return new ProcessTable(proc);
    }

    private void process(long pid, long startTicks) throws IOException {
        Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(proc.resolve(pid + "/stat"), pid + " (java (worker) x) S 1 1 1 0 -1 4194304 1 0 0 0 0 0 0 0 20 0 9 0 "
                + startTicks + " 1000 100 18446744073709551615\n");
    }

    private static LockOwner holder(long uid, long pid, long startTicks) {
        Instant then = Instant.parse("2026-01-01T00:00:00Z");
        return new LockOwner(LockOwner.thisHost(), BOOT, NAMESPACE, uid, pid, startTicks, then, then, Duration.ofSeconds(60), "t");
    }

    @Test
    void theStartTimeIsField22EvenWhenTheCommandNameHoldsSpacesAndParentheses() {
        assertEquals(777, ProcessTable.startTicks("42 (a) b) (c) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 777 1 1"));
        assertEquals(ProcessTable.UNKNOWN, ProcessTable.startTicks("42 (java S 1"));
    }

    @Test
    void aRunningHolderStartedAtTheRecordedTickIsAlive() throws IOException {
        process(42, 777);
        assertFalse(holder(UID, 42, 777).isDeadProcessOnThisMachine(table()));
    }

    @Test
    void aPidRunningAProcessStartedAtAnotherTickWasReused() throws IOException {
        process(42, 778);
        assertTrue(holder(UID, 42, 777).isDeadProcessOnThisMachine(table()));
    }

    @Test
    void aPidWithNoEntryOfTheSameUserIsGone() throws IOException {
        assertTrue(holder(UID, 42, 777).isDeadProcessOnThisMachine(table()));
    }

    @Test
    void anotherUsersHolderIsNeverJudgedByProcBecauseHidepidHidesIt() throws IOException {
        // Under hidepid=2 another user's process has no entry at all: exactly what a gone one looks like.
        ProcessTable table = table();
        assertFalse(holder(UID + 1, 42, 777).pidIsCheckableHere(table));
        assertFalse(holder(UID + 1, 42, 777).isDeadProcessOnThisMachine(table));
    }

    @Test
    void anEntryThatCannotBeReadProvesNothing() throws IOException {
        ProcessTable table = table();
        Files.createDirectories(proc.resolve("42/stat"));
        assertInstanceOf(ProcessTable.Unreadable.class, table.look(42));
        assertFalse(holder(UID, 42, 777).isDeadProcessOnThisMachine(table));
        Files.delete(proc.resolve("42/stat"));
        Files.writeString(proc.resolve("42/stat"), "garbage");
        assertFalse(holder(UID, 42, 777).isDeadProcessOnThisMachine(table));
    }

    @Test
    void aLockOfAnEarlierVersionWithoutUidOrStartTickIsLeftToItsLease() throws IOException {
        assertFalse(holder(ProcessTable.UNKNOWN, 42, 777).isDeadProcessOnThisMachine(table()));
        assertFalse(holder(UID, 42, ProcessTable.UNKNOWN).isDeadProcessOnThisMachine(table()));
    }

    @Test
    void theRealProcShowsThisProcessWithItsStartTickAndUser() {
        ProcessTable real = ProcessTable.SYSTEM;
        assertTrue(real.selfStartTicks() > 0);
        assertInstanceOf(ProcessTable.Running.class, real.look(ProcessHandle.current().pid()));
        assertTrue(real.selfUid() >= 0);
        assertFalse(real.bootId().equals(LockOwner.UNKNOWN));
    }
}
