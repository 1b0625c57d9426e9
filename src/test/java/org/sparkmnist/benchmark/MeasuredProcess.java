package org.sparkmnist.benchmark;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one benchmark command as a child process, its output to a log file, and samples the peak
 * resident memory of its JVMs while it runs: the driver is the largest process in the child's own
 * tree, and executors are any Spark executor JVMs on the machine (a standalone Worker forks them,
 * so they are not our descendants). Peaks are the kernel's high-water marks (VmHWM), so sampling
 * every few hundred milliseconds loses nothing but the last moments of a process's life.
 */
final class MeasuredProcess {

    private static final String EXECUTOR_CLASS = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
    private static final long SAMPLE_MILLIS = 250;

    /** How a command ended and the largest resident sizes seen, in MiB (0 when there was no such process). */
    record Outcome(int exitCode, double seconds, long driverPeakMb, long executorPeakMb) {
    }

    private MeasuredProcess() {
    }

    static Outcome run(List<String> command, Map<String, String> environment, Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        environment.forEach((key, value) -> {
            if (value == null) {
                builder.environment().remove(key);
            } else {
                builder.environment().put(key, value);
            }
        });
        long start = System.nanoTime();
        Process process = builder.start();
        long driver = 0;
        long executor = 0;
        while (!process.waitFor(SAMPLE_MILLIS, TimeUnit.MILLISECONDS)) {
            driver = Math.max(driver, Stream.concat(Stream.of(process.toHandle()), process.descendants())
                    .mapToLong(MeasuredProcess::peakResidentKb).max().orElse(0));
            executor = Math.max(executor, ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains(EXECUTOR_CLASS)).orElse(false))
                    .mapToLong(MeasuredProcess::peakResidentKb).max().orElse(0));
        }
        return new Outcome(process.exitValue(), (System.nanoTime() - start) / 1e9, driver / 1024, executor / 1024);
    }

    /** VmHWM of a live process in KiB, 0 once it is gone. */
    static long peakResidentKb(ProcessHandle process) {
        File status = new File("/proc/" + process.pid() + "/status");
        try (Stream<String> lines = Files.lines(status.toPath())) {
            Optional<String> hwm = lines.filter(line -> line.startsWith("VmHWM:")).findFirst();
            return hwm.map(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).orElse(0L);
        } catch (IOException | java.io.UncheckedIOException gone) {
            return 0;
        }
    }
}
