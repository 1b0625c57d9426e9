package org.sparkmnist.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * This machine's processes as Linux's {@code /proc} shows them, for telling whether the driver
 * that took a lock here is still running. A process is named by its pid and its start time in clock
 * ticks since boot ({@code /proc/<pid>/stat}, field 22): a number the kernel fixes when the process
 * starts, unlike a wall-clock instant derived from it, which moves when the clock is stepped.
 */
final class ProcessTable {

    static final ProcessTable SYSTEM = new ProcessTable(Path.of("/proc"));
    /** An unknown number: the file was not there or did not parse. */
    static final long UNKNOWN = -1;
    private static final int START_TIME_FIELD = 22;

    private final Path proc;

    ProcessTable(Path proc) {
        this.proc = proc;
    }

    /** What {@code /proc} says of a pid. */
    sealed interface Seen permits Running, Gone, Unreadable {
    }

    /** The pid is running, started at {@code startTicks}. */
    record Running(long startTicks) implements Seen {
    }

    /** No process has the pid. */
    record Gone() implements Seen {
    }

    /** The entry could not be read (hidden by hidepid, not permitted, not parseable): nothing is known. */
    record Unreadable(String why) implements Seen {
    }

    Seen look(long pid) {
        String stat;
        try {
            stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"));
        } catch (NoSuchFileException gone) {
            return new Gone();
        } catch (IOException | RuntimeException e) {
            return new Unreadable(e.toString());
        }
        long ticks = startTicks(stat);
        return ticks == UNKNOWN ? new Unreadable("unparseable stat") : new Running(ticks);
    }

    /** Field 22 of a stat line; the command name (field 2) is in parentheses and may itself hold spaces and parentheses. */
    static long startTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return UNKNOWN;
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        int index = START_TIME_FIELD - 3;
        try {
            return fields.length > index ? Long.parseLong(fields[index]) : UNKNOWN;
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
    }

    /** This process's start time in ticks since boot. */
    long selfStartTicks() {
        return look(ProcessHandle.current().pid()) instanceof Running running ? running.startTicks() : UNKNOWN;
    }

    /** This process's effective uid, from {@code /proc/self/status}. */
    long selfUid() {
        try {
            for (String line : Files.readAllLines(proc.resolve("self").resolve("status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
        return UNKNOWN;
    }

    String bootId() {
        try {
            return Files.readString(proc.resolve("sys/kernel/random/boot_id")).trim();
        } catch (IOException | RuntimeException e) {
            return LockOwner.UNKNOWN;
        }
    }

    String pidNamespace() {
        try {
            return Files.readSymbolicLink(proc.resolve("self/ns/pid")).toString();
        } catch (IOException | RuntimeException e) {
            return LockOwner.UNKNOWN;
        }
    }
}
