package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.testing.MnistFiles;
import org.sparkmnist.testing.Scripts;

/**
 * submit/benchmark.sh as a user runs it, shrunk to a few minutes: two rounds of (a) plain fit and ParallelWrapper,
 * (b) local mode and (d) PyTorch on a slice of real MNIST, then the scoring table at one size (12,000
 * images: the test set and part of its first shifted copy), as an idx file and as a directory of PNG
 * files, in one JVM and in local mode. It proves the
 * command works end to end and reports what it measured; the speeds themselves are for
 * docs/BENCHMARKS.md, never asserted.
 */
class BenchmarkIT {

    private static final Pattern SINGLE_RATIO = Pattern.compile("distributed/single epoch-time ratio: (\\d+\\.\\d\\d)");
    private static final Pattern PYTORCH_RATIO = Pattern.compile("distributed/pytorch epoch-time ratio: (\\d+\\.\\d\\d)");
    // Two epochs on 3,000 examples rarely reach 98%: then the line names who did not.
    private static final Pattern TIME_RATIO = Pattern.compile(
            "distributed/pytorch time-to-98% ratio: (\\d+\\.\\d\\d|none: \\(.*98\\.0% validation accuracy.*)");
    private static final int ROUNDS = 2;
    private static final Pattern ROW = Pattern.compile(
            "\\| (\\((?:a|b|d)\\) [^|]+)\\| ([0-9.]+)(?: \\([0-9.]+-[0-9.]+\\))? \\| [0-9,]+ \\| ([^|]+) \\| ([0-9.]+)%(?: \\([0-9.]+-[0-9.]+\\))? "
                    + "\\| ([0-9,]+) MiB \\|");
    private static final int SCORED = 12_000;
    private static final Pattern SCORING_ROW = Pattern.compile(
            "\\| 12,000 \\| (idx|png directory) \\| ([^|]+) \\| ([0-9,]+) \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+) s \\| ([0-9.]+)% \\| ([0-9,]+) MiB \\|");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void measuresDl4jInOneJvmLocalModeAndPytorchAndWritesItsTableBesideWhatWasThere(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("BENCHMARKS.md");
        Files.writeString(report, "# Benchmarks\n\nprose that must survive\n");
        List<String> command = List.of("submit/benchmark.sh", "--rounds", String.valueOf(ROUNDS), "--no-cluster", "--frequencies", "none", "--scoring-images", String.valueOf(SCORED),
                "--scoring-png", String.valueOf(SCORED),
                "--report", report.toString(),
                "data.dir=" + MnistFiles.directory(), "split.train=3000", "split.validation=1000", "train.epochs=2");
        Scripts.Result result = Scripts.run(command, Map.of(), Scripts.REPO.resolve("target/it-logs/benchmark.log"),
                Duration.ofMinutes(10));
        assertEquals(0, result.exitCode(), result.tail(30));

        List<String> lines = result.output().lines().toList();
        List<String> last = lines.subList(lines.size() - 3, lines.size());
        Matcher single = SINGLE_RATIO.matcher(last.get(0));
        assertTrue(single.matches(), "last lines: " + last);
        assertTrue(Double.parseDouble(single.group(1)) > 0, single.group());
        Matcher pytorch = PYTORCH_RATIO.matcher(last.get(1));
        assertTrue(pytorch.matches(), "last lines: " + last);
        assertTrue(Double.parseDouble(pytorch.group(1)) > 0, pytorch.group());
        assertTrue(TIME_RATIO.matcher(last.get(2)).matches(), "last lines: " + last);
        // The second round starts one configuration later than the first, and each round keeps its own logs.
        assertTrue(lines.contains("benchmark: round 1 of 2: (a) single JVM, DL4J plain fit, (a) single JVM, DL4J ParallelWrapper, 2 workers, "
                + "(b) Spark local mode, 2 workers, (d) PyTorch"), result.output());
        assertTrue(lines.contains("benchmark: round 2 of 2: (a) single JVM, DL4J ParallelWrapper, 2 workers, (b) Spark local mode, 2 workers, "
                + "(d) PyTorch, (a) single JVM, DL4J plain fit"), result.output());
        Path logs = Scripts.REPO.resolve("target/benchmark/logs");
        for (int round = 1; round <= ROUNDS; round++) {
            for (String log : List.of("baseline", "parallel-wrapper", "local", "pytorch")) {
                assertTrue(Files.isRegularFile(logs.resolve(log + "-round-" + round + ".log")), log + " round " + round);
            }
        }

        String written = Files.readString(report);
        assertTrue(written.startsWith("# Benchmarks\n\nprose that must survive\n"), written);
        assertTrue(written.contains("<!-- benchmark:comparison -->") && written.contains("<!-- /benchmark:comparison -->"), written);
        assertTrue(written.contains("Command: `submit/benchmark.sh --rounds 2 --no-cluster --frequencies none"), written);
        assertTrue(written.contains("Commit: `"), written);
        Matcher rows = ROW.matcher(written);
        assertTrue(written.contains("| s/epoch (median of 2 rounds, min-max) |"), written);
        assertTrue(written.contains("Each configuration ran 2 rounds, interleaved"), written);
        List<String> names = new java.util.ArrayList<>();
        while (rows.find()) {
            names.add(rows.group(1).strip());
            assertTrue(Double.parseDouble(rows.group(2)) > 0, "seconds per epoch in " + rows.group());
            assertTrue(rows.group(3).matches("not reached|not reached in 1 of 2 rounds|[0-9.]+ s \\(.*epochs? .*\\)"),
                    "time to 98% in " + rows.group());
            // Two epochs on 3,000 examples: well above chance, the proof each configuration trained.
            assertTrue(Double.parseDouble(rows.group(4)) > 80, "test accuracy in " + rows.group());
            assertTrue(Integer.parseInt(rows.group(5).replace(",", "")) > 50, "peak RSS in " + rows.group());
        }
        assertEquals(4, names.size(), "rows (a) fit, (a) ParallelWrapper, (b) and (d) in\n" + written);
        assertTrue(names.get(0).contains("plain fit") && names.get(1).contains("ParallelWrapper") && names.get(3).startsWith("(d) PyTorch"),
                names.toString());
        assertTrue(written.contains("openblas-openmp"), "the BLAS PyTorch used, in\n" + written);

        assertScoringTable(written);
    }

    /** One JVM and local mode scored the same 12,000 images with (b)'s MLP, from idx and from PNG files, and found the same accuracy. */
    private static void assertScoringTable(String written) throws IOException {
        assertTrue(written.contains("<!-- benchmark:scoring -->") && written.contains("<!-- /benchmark:scoring -->"), written);
        assertTrue(written.indexOf("<!-- benchmark:scoring -->") > written.indexOf("<!-- /benchmark:comparison -->"), written);
        Matcher rows = SCORING_ROW.matcher(written);
        List<String> names = new java.util.ArrayList<>();
        List<String> accuracies = new java.util.ArrayList<>();
        while (rows.find()) {
            names.add(rows.group(1) + ": " + rows.group(2).strip());
            assertTrue(Integer.parseInt(rows.group(3).replace(",", "")) > 0, "images/s in " + rows.group());
            assertTrue(Double.parseDouble(rows.group(6)) > Double.parseDouble(rows.group(4)), "the command outlasts its scoring: " + rows.group());
            accuracies.add(rows.group(7));
        }
        assertEquals(4, names.size(), "the scoring rows, one JVM and local mode on idx and on PNG files, in\n" + written);
        assertTrue(names.get(0).startsWith("idx: one JVM") && names.get(1).startsWith("idx: Spark local mode")
                && names.get(2).startsWith("png directory: one JVM") && names.get(3).startsWith("png directory: Spark local mode"),
                names.toString());
        assertTrue(written.contains("the MLP (b) trained above"), "the scoring table names its model:\n" + written);

        // The same model in the same normalisation on the same images: the same accuracy, to the image, in either form.
        Path work = Scripts.REPO.resolve("target/benchmark");
        long correct = -1;
        for (String name : List.of("scoring-single-" + SCORED + ".json", "scores/scoring-local-" + SCORED + "/summary.json",
                "scoring-single-" + SCORED + "-png.json", "scores/scoring-local-" + SCORED + "-png/summary.json")) {
            JsonNode result = JSON.readTree(work.resolve(name).toFile());
            assertEquals(SCORED, result.path("inputs").asLong(), name);
            assertEquals(0, result.path("rejects").asLong(), name);
            if (correct < 0) {
                correct = result.path("correct").asLong();
                // Trained on 3,000 examples for two epochs, and scoring shifted digits too: well above chance.
                assertTrue(result.path("accuracy").asDouble() > 0.7, name + ": accuracy " + result.path("accuracy"));
            }
            assertEquals(correct, result.path("correct").asLong(), "correct predictions in " + name + " against one JVM on idx");
        }
        assertEquals(1, accuracies.stream().distinct().count(), "the table's accuracies: " + accuracies);
    }
}
