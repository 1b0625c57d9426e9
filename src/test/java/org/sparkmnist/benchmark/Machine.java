package org.sparkmnist.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Where and when a benchmark ran: the facts a number in BENCHMARKS.md is meaningless without. */
record Machine(String cpu, int cores, long memoryGib, String java, String date, String commit) {

    static Machine describe() throws IOException, InterruptedException {
        String cpu = field(Path.of("/proc/cpuinfo"), "model name");
        long memoryKb = Long.parseLong(field(Path.of("/proc/meminfo"), "MemTotal").replaceAll("[^0-9]", ""));
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        return new Machine(cpu, Runtime.getRuntime().availableProcessors(), Math.round(memoryKb / 1024.0 / 1024.0),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), date, headCommit());
    }

    String summary() {
        return cpu + ", " + cores + " cores, " + memoryGib + " GiB, " + java;
    }

    /** The lines above each table: machine, date, commit and the exact command. */
    String provenance(String command) {
        return "Machine: " + summary() + ". Date: " + date + ". Commit: `" + commit + "`.\n"
                + "Command: `" + command + "`\n\n";
    }

    private static String field(Path file, String name) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> line.startsWith(name)).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown");
    }

    /** The checked-out commit, marked when the working tree differs from it. */
    private static String headCommit() throws IOException, InterruptedException {
        String head = git(List.of("git", "rev-parse", "--short", "HEAD"));
        String dirty = git(List.of("git", "status", "--porcelain", "--untracked-files=no"));
        return head.isEmpty() ? "unknown" : dirty.isEmpty() ? head : head + " (with uncommitted changes)";
    }

    private static String git(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes()).strip();
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : "";
    }
}
