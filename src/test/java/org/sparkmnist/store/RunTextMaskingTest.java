package org.sparkmnist.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.runtime.KnownSecrets;
import org.sparkmnist.testing.StoredRuns;

/**
 * Every text file of a run goes through one door, {@link RunAttempt#writeText}, which masks the
 * secrets this JVM knows and every URI's user-info, whatever put them in the text; binary files
 * (a model, a PNG) are written byte for byte.
 */
class RunTextMaskingTest {

    /** Learned by this JVM for good: nothing else in the tests says it. */
    private static final String SECRET = "run-text-masking-s3cret";

    @TempDir
    Path out;

    private Path commit(String relative, String text, byte[] binary) throws IOException {
        KnownSecrets.learn(Set.of(SECRET));
        try (RunStore store = RunStore.open(out.toString(), "r1", RunKind.SCORING, StoredRuns.LEASE, new Configuration())) {
            RunAttempt attempt = store.startAttempt(true);
            attempt.writeText("summary.json", "{\"run_id\": \"r1\"}\n");
            attempt.writeText(relative, text);
            attempt.write("model.bin", o -> o.write(binary));
            attempt.commit(new TreeMap<>());
        }
        return out.resolve("r1");
    }

    @Test
    void knownSecretsAndUriUserInfoAreMaskedInTextFiles() throws IOException {
        Path run = commit("notes.json", "{\"model\": \"hdfs://alice:pw-in-uri@nn:8020/runs/r0/mlp/model.zip\", \"note\": \"" + SECRET + "\"}",
                new byte[0]);
        assertEquals("{\"model\": \"hdfs://****@nn:8020/runs/r0/mlp/model.zip\", \"note\": \"****\"}",
                Files.readString(run.resolve("notes.json")));
    }

    @Test
    void binaryFilesAreWrittenAsTheyAre() throws IOException {
        byte[] binary = ("PK\u0003\u0004 " + SECRET + " hdfs://a:b@nn/x").getBytes(StandardCharsets.UTF_8);
        Path run = commit("notes.txt", "", binary);
        assertArrayEquals(binary, Files.readAllBytes(run.resolve("model.bin")));
    }
}
