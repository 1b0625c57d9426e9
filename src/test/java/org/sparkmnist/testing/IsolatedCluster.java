package org.sparkmnist.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster isolated for one integration test class: started and stopped by
 * submit/standalone-cluster.sh as users run it (a Master and one-core Workers, each its own JVM, on
 * 127.0.0.1), but in a state directory of its own under target/ and on free ports picked at random,
 * so a cluster the developer runs (or another test's) is never touched; and it knows its JVMs, so a
 * test can kill one and make sure none outlives it.
 */
public final class IsolatedCluster {

    private static final Path LOGS = Scripts.REPO.resolve("target/it-logs");

    private final String name;
    private final Path stateDir;
    /** The -D marker standalone-cluster.sh puts on every daemon of this state directory. */
    private final String daemonMarker;
    /** Filled before anything can fail, so that even a failed start stops this cluster and never a developer's. */
    private final Map<String, String> env = new HashMap<>();
    private String masterUrl;

    /**
     * A cluster of {@code workers} one-core, 2g Workers in target/it-{@code name}; {@code extraEnv}
     * goes to the script (and so to the daemons), e.g. SPARK_DAEMON_JAVA_OPTS.
     */
    public IsolatedCluster(String name, int workers, Map<String, String> extraEnv) {
        this.name = name;
        this.stateDir = Scripts.REPO.resolve("target/it-" + name);
        this.daemonMarker = "-Dspark-mnist.standalone-cluster=" + stateDir;
        env.put("SPARK_CLUSTER_STATE_DIR", stateDir.toString());
        env.put("WORKERS", Integer.toString(workers));
        env.put("WORKER_CORES", "1");
        env.put("WORKER_MEMORY", "2g");
        env.putAll(extraEnv);
    }

    /**
     * Stops whatever an aborted earlier run left in this state directory, clears the Workers' work
     * directories, starts the cluster and waits until every Worker is registered.
     */
    public IsolatedCluster start() {
        int masterPort = Scripts.freePorts(1);
        env.put("SPARK_MASTER_PORT", Integer.toString(masterPort));
        env.put("SPARK_MASTER_WEBUI_PORT", Integer.toString(Scripts.freePorts(1)));
        // Worker i serves its UI on this port + i - 1.
        env.put("SPARK_WORKER_WEBUI_PORT", Integer.toString(Scripts.freePorts(Integer.parseInt(env.get("WORKERS")))));
        masterUrl = "spark://127.0.0.1:" + masterPort;

        // Daemons an aborted earlier run of this test left behind would hold the state directory.
        script("stop");
        ProcessHandle.allProcesses().filter(this::owns).forEach(Scripts::killTree);
        deleteRecursively(workDir());
        Scripts.Result start = script("start");
        assertEquals(0, start.exitCode(), "standalone-cluster.sh start failed:\n" + start.tail(30));
        return this;
    }

    /**
     * Stops the cluster with the script, then kills and reports whatever survived it (it should be
     * nothing): a test must never leave JVMs running.
     */
    public void stop() {
        Scripts.Result stop = script("stop");
        List<String> leftovers = new ArrayList<>();
        ProcessHandle.allProcesses().filter(this::owns).forEach(process -> {
            leftovers.add(process.pid() + " " + process.info().commandLine().orElse("?"));
            Scripts.killTree(process);
        });
        deleteExecutorJarCopies();
        assertEquals(0, stop.exitCode(), "standalone-cluster.sh stop failed:\n" + stop.tail(20));
        assertEquals(List.of(), leftovers, "processes left running after standalone-cluster.sh stop");
    }

    /**
     * A Worker gives each executor its own copy of the application's jar (236 MB for the cluster
     * jar): the build's three clusters would leave 2.6 GB of them behind. The executors' logs stay
     * for a look after the build.
     */
    private void deleteExecutorJarCopies() {
        if (!Files.isDirectory(workDir())) {
            return;
        }
        // work/worker-i/<app id>/<executor id>/<jar>
        try (Stream<Path> files = Files.walk(workDir(), 4)) {
            for (Path jar : files.filter(p -> p.getNameCount() == workDir().getNameCount() + 4 && p.toString().endsWith(".jar")).toList()) {
                Files.delete(jar);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String masterUrl() {
        return masterUrl;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** Worker i's directory is {@code work/worker-i}; it holds {@code <app id>/<executor id>/} per executor. */
    public Path workDir() {
        return stateDir.resolve("work");
    }

    /** The daemons' own logs. */
    public Path logDir() {
        return stateDir.resolve("logs");
    }

    /**
     * The running Master's log, as Spark's spark-daemon.sh names it: spark-IDENT-CLASS-INSTANCE-HOST.out
     * (the logs of earlier starts are rotated to .out.1, .out.2, ...).
     */
    public Path masterLog() throws IOException {
        try (Stream<Path> files = Files.list(logDir())) {
            return files.map(f -> f.getFileName().toString())
                    .filter(f -> f.contains("org.apache.spark.deploy.master.Master-1-") && f.endsWith(".out")).findFirst().map(logDir()::resolve)
                    .orElseThrow(() -> new IOException("no Master log in " + logDir()));
        }
    }

    /** A daemon of this state directory, or an executor or driver one of its Workers forked (they run in its work directory). */
    public boolean owns(ProcessHandle process) {
        if (process.info().commandLine().orElse("").contains(daemonMarker)) {
            return true;
        }
        return workingDirectory(process).map(cwd -> cwd.startsWith(workDir())).orElse(false);
    }

    /** The executor JVM (CoarseGrainedExecutorBackend) a Worker of this cluster runs for {@code appId} as {@code executorId}. */
    public List<ProcessHandle> executorProcesses(String appId, String executorId) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("org.apache.spark.executor.CoarseGrainedExecutorBackend"))
                .filter(p -> workingDirectory(p)
                        .map(cwd -> cwd.startsWith(workDir()) && cwd.endsWith(Path.of(appId, executorId)))
                        .orElse(false))
                .toList();
    }

    private static Optional<Path> workingDirectory(ProcessHandle process) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    private Scripts.Result script(String... args) {
        List<String> command = new ArrayList<>(List.of("submit/standalone-cluster.sh"));
        command.addAll(List.of(args));
        return Scripts.run(command, env, LOGS.resolve(name + "-" + args[0] + ".log"), Duration.ofMinutes(5));
    }

    /** Deletes a directory tree if it exists. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
