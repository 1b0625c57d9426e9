package org.sparkmnist.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The two-worker standalone cluster of submit/standalone-cluster.sh, stopped again however the benchmark ends. */
final class StandaloneCluster implements AutoCloseable {

    private final Path log;

    private StandaloneCluster(Path log) {
        this.log = log;
    }

    static StandaloneCluster start(Path log) throws IOException, InterruptedException {
        StandaloneCluster cluster = new StandaloneCluster(log);
        cluster.script("start");
        return cluster;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        script("stop");
    }

    private void script(String action) throws IOException, InterruptedException {
        Benchmark.say("standalone cluster: " + action);
        MeasuredProcess.Outcome outcome = MeasuredProcess.run(List.of("submit/standalone-cluster.sh", action), Map.of(),
                log.resolveSibling("cluster-" + action + ".log"));
        if (outcome.exitCode() != 0) {
            throw new IllegalStateException("submit/standalone-cluster.sh " + action + " exited with " + outcome.exitCode()
                    + " (log: " + log.resolveSibling("cluster-" + action + ".log") + ")");
        }
    }
}
