package org.sparkmnist.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.sparkmnist.store.RunAttempt;
import org.sparkmnist.store.RunKind;
import org.sparkmnist.store.RunStore;

/** Commits made-up runs through the real run store, for tests that need one in place. */
public final class StoredRuns {

    public static final Duration LEASE = Duration.ofSeconds(60);

    private StoredRuns() {
    }

    /** A run's files: summary.json naming {@code runId} (and {@code marker}), and one model's metrics. */
    public static Map<String, String> files(String runId, String marker) {
        Map<String, String> files = new TreeMap<>();
        files.put("summary.json", "{\"run_id\": \"" + runId + "\", \"marker\": \"" + marker + "\"}\n");
        files.put("mlp/metrics.csv", "epoch,seconds,loss,accuracy,val_loss,val_accuracy\n1,1.0,0.1,0.9,0.1,0.9\n");
        files.put("report.html", "<html>" + marker + "</html>\n");
        return files;
    }

    /** Commits {@code files} as run {@code runId} under {@code outputDir} (replacing a run of this job there). */
    public static void commit(String outputDir, String runId, Map<String, String> files, Configuration hadoop) throws IOException {
        try (RunStore store = RunStore.open(outputDir, runId, RunKind.TRAINING, LEASE, hadoop)) {
            store.checkReplaceable(true);
            RunAttempt attempt = store.startAttempt(true);
            for (Map.Entry<String, String> file : files.entrySet()) {
                attempt.writeText(file.getKey(), file.getValue());
            }
            attempt.commit(new TreeMap<>(Map.of("marker", files.getOrDefault("summary.json", ""))));
        }
    }

    public static void commit(String outputDir, String runId, String marker) throws IOException {
        commit(outputDir, runId, files(runId, marker), new Configuration());
    }
}
