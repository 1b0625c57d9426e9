package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * submit/benchmark.sh as a user runs it, shrunk to a minute or two: (a) plain fit and ParallelWrapper,
 * (b) local mode and (d) PyTorch on a slice of real MNIST. It proves the command works end to end and
 * reports what it measured; the speeds themselves are for docs/BENCHMARKS.md, never asserted.
 */
class BenchmarkIT {

    private static final Pattern SINGLE_RATIO = Pattern.compile("distributed/single epoch-time ratio: (\\d+\\.\\d\\d)");
    private static final Pattern PYTORCH_RATIO = Pattern.compile("distributed/pytorch epoch-time ratio: (\\d+\\.\\d\\d)");
    private static final Pattern ROW = Pattern.compile(
            "\\| (\\((?:a|b|d)\\) [^|]+)\\| ([0-9.]+) \\| [0-9,]+ \\| (not reached|[0-9.]+ s \\(epoch \\d+\\)) \\| ([0-9.]+)% \\| ([0-9,]+) MiB \\|");

    @Test
    void measuresDl4jInOneJvmLocalModeAndPytorchAndWritesItsTableBesideWhatWasThere(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("BENCHMARKS.md");
        Files.writeString(report, "# Benchmarks\n\nprose that must survive\n");
        List<String> command = List.of("submit/benchmark.sh", "--no-cluster", "--frequencies", "none", "--report", report.toString(),
                "data.dir=" + MnistFiles.directory(), "split.train=3000", "split.validation=1000", "train.epochs=2");
        Scripts.Result result = Scripts.run(command, Map.of(), Scripts.REPO.resolve("target/it-logs/benchmark.log"),
                Duration.ofMinutes(10));
        assertEquals(0, result.exitCode(), result.tail(30));

        List<String> lines = result.output().lines().toList();
        Matcher single = SINGLE_RATIO.matcher(lines.get(lines.size() - 2));
        assertTrue(single.matches(), "last lines: " + lines.subList(lines.size() - 2, lines.size()));
        assertTrue(Double.parseDouble(single.group(1)) > 0, single.group());
        Matcher pytorch = PYTORCH_RATIO.matcher(lines.get(lines.size() - 1));
        assertTrue(pytorch.matches(), "last line: " + lines.get(lines.size() - 1));
        assertTrue(Double.parseDouble(pytorch.group(1)) > 0, pytorch.group());

        String written = Files.readString(report);
        assertTrue(written.startsWith("# Benchmarks\n\nprose that must survive\n"), written);
        assertTrue(written.contains("<!-- benchmark:comparison -->") && written.contains("<!-- /benchmark:comparison -->"), written);
        assertTrue(written.contains("Command: `submit/benchmark.sh --no-cluster --frequencies none"), written);
        assertTrue(written.contains("Commit: `"), written);
        Matcher rows = ROW.matcher(written);
        List<String> names = new java.util.ArrayList<>();
        while (rows.find()) {
            names.add(rows.group(1).strip());
            assertTrue(Double.parseDouble(rows.group(2)) > 0, "seconds per epoch in " + rows.group());
            // Two epochs on 3,000 examples: well above chance, the proof each configuration trained.
            assertTrue(Double.parseDouble(rows.group(4)) > 80, "test accuracy in " + rows.group());
            assertTrue(Integer.parseInt(rows.group(5).replace(",", "")) > 50, "peak RSS in " + rows.group());
        }
        assertEquals(4, names.size(), "rows (a) fit, (a) ParallelWrapper, (b) and (d) in\n" + written);
        assertTrue(names.get(0).contains("plain fit") && names.get(1).contains("ParallelWrapper") && names.get(3).startsWith("(d) PyTorch"),
                names.toString());
        assertTrue(written.contains("openblas-openmp"), "the BLAS PyTorch used, in\n" + written);
    }
}
