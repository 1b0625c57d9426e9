package org.sparkmnist.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the project's shell scripts as a user would, from the checkout's top directory (or another), with a time limit. */
public final class Scripts {

    /** Failsafe and Surefire run in the project's base directory. */
    public static final Path REPO = Path.of("").toAbsolutePath();

    private Scripts() {
    }

    /** The cluster jar that mvn package built before the integration tests (Failsafe names it in cluster.jar). */
    public static Path clusterJar() {
        Path jar = Path.of(System.getProperty("cluster.jar", "missing-cluster.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the cluster jar " + jar + " is built by mvn package before the integration tests");
        }
        return jar;
    }

    /** What a script did: its exit code and everything it printed (stdout and stderr together). */
    public record Result(int exitCode, String output) {

        /** The last lines of the output, for assertion messages. */
        public String tail(int lines) {
            List<String> all = output.lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    /**
     * Runs {@code command} with {@code env} added to this JVM's environment, keeping its output in
     * {@code log}. A run over {@code timeout} is killed with everything it started.
     */
    public static Result run(List<String> command, Map<String, String> env, Path log, Duration timeout) {
        return await(start(command, env, log), command, log, timeout);
    }

    /** {@link #run} from {@code directory} instead of the checkout's top directory, as a user elsewhere would. */
    public static Result runIn(Path directory, List<String> command, Map<String, String> env, Path log, Duration timeout) {
        return await(start(directory, command, env, log), command, log, timeout);
    }

    /**
     * Starts {@code command} as {@link #run} does but returns at once, for a test that acts while
     * the script runs; {@link #await} then collects it.
     */
    public static Process start(List<String> command, Map<String, String> env, Path log) {
        return start(REPO, command, env, log);
    }

    private static Process start(Path directory, List<String> command, Map<String, String> env, Path log) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a {@link #start}ed script; one still running after {@code timeout} is killed with everything it started. */
    public static Result await(Process process, List<String> command, Path log, Duration timeout) {
        try {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                killTree(process.toHandle());
                process.waitFor(30, TimeUnit.SECONDS);
                // CI shows only the console: the log's last lines and the disk's free space say why it hung.
                throw new AssertionError(command + " did not finish within " + timeout + "; " + freeSpace() + "; output in " + log
                        + ", ending:\n" + tail(log, 25));
            }
            return new Result(process.exitValue(), Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /** The last {@code lines} lines of a script's log, for failure messages. */
    public static String tail(Path log, int lines) {
        try {
            return new Result(-1, Files.readString(log)).tail(lines);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /**
     * The free space of the filesystem target/ is on, as a phrase for failure messages: a full disk
     * makes clusters hang rather than fail (executors that cannot be launched, a NodeManager whose
     * disks turn bad), and the integration tests write several gigabytes there.
     */
    public static String freeSpace() {
        try {
            long free = Files.getFileStore(REPO).getUsableSpace();
            return String.format("%.1f GB free on the disk of %s", free / 1e9, REPO);
        } catch (IOException e) {
            return "free disk space unknown (" + e.getMessage() + ")";
        }
    }

    /** Kills a process and all its descendants, children first. */
    public static void killTree(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** A TCP port on 127.0.0.1 that is free now, together with the {@code count - 1} ports after it. */
    public static int freePorts(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = freePort();
            if (first + count > 65_535) {
                continue;
            }
            boolean allFree = true;
            for (int port = first + 1; port < first + count && allFree; port++) {
                allFree = isFree(port);
            }
            if (allFree) {
                return first;
            }
        }
        throw new AssertionError("no " + count + " consecutive free ports on 127.0.0.1");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
