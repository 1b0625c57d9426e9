package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparkmnist.BadInputException;

class BenchmarkOptionsTest {

    @Test
    void benchmarkOptionsAreSeparatedFromJobConfig() {
        BenchmarkOptions options = BenchmarkOptions.parse(
                List.of("--scales", "1,4,16", "my.conf", "--no-cluster", "train.epochs=3", "--frequencies", "none", "--report", "/tmp/b.md",
                        "--no-pytorch"));
        assertEquals(List.of(1, 4, 16), options.scales());
        assertEquals(3, options.scaleEpochs());
        assertTrue(options.frequencies().isEmpty());
        assertFalse(options.cluster());
        assertFalse(options.pytorch());
        assertEquals(Path.of("/tmp/b.md"), options.report());
        assertEquals(List.of("my.conf", "train.epochs=3"), options.jobArgs());
        assertTrue(options.commandLine().startsWith("submit/benchmark.sh --scales 1,4,16 my.conf"));
    }

    @Test
    void defaultsMeasureTheClusterPytorchAndTheFrequencyTradeOff() {
        BenchmarkOptions options = BenchmarkOptions.parse(List.of());
        assertTrue(options.cluster());
        assertTrue(options.pytorch());
        assertFalse(options.frequencies().isEmpty());
        assertTrue(options.scales().isEmpty());
        assertEquals(List.of(100_000, 1_000_000), options.scoringImages(), "the scoring table's idx rows at 100,000 and 1,000,000 images");
        assertEquals(List.of(100_000), options.scoringPngImages(), "its PNG-directory rows at 100,000");
        assertFalse(options.scoringOnly());
        assertEquals(Path.of("docs", "BENCHMARKS.md"), options.report());
        assertEquals(3, options.rounds(), "three rounds: a median no single slow round sets");
    }

    @Test
    void roundsTakeOnePositiveCount() {
        assertEquals(1, BenchmarkOptions.parse(List.of("--rounds", "1")).rounds());
        for (String bad : List.of("0", "none", "2,3", "x")) {
            BadInputException e = assertThrows(BadInputException.class, () -> BenchmarkOptions.parse(List.of("--rounds", bad)));
            assertEquals("--rounds expects one positive integer, got '" + bad + "'", e.getMessage());
        }
        assertThrows(BadInputException.class, () -> BenchmarkOptions.parse(List.of("--scoring", "--rounds", "2")),
                "--rounds belongs to the comparison, which --scoring leaves out");
    }

    @Test
    void scaleEpochsNoneIsABadInputNotACrash() {
        BadInputException e = assertThrows(BadInputException.class, () -> BenchmarkOptions.parse(List.of("--scale-epochs", "none")));
        assertEquals("--scale-epochs expects one positive integer, got 'none'", e.getMessage());
    }

    @Test
    void scoringAloneLeavesOutTheTrainingTablesAndNoScoringLeavesOutItsTable() {
        BenchmarkOptions alone = BenchmarkOptions.parse(List.of("--scoring", "--no-cluster", "score.batch-size=512"));
        assertTrue(alone.scoringOnly());
        assertTrue(alone.frequencies().isEmpty(), "no frequency table without the comparison");
        assertEquals(List.of(100_000, 1_000_000), alone.scoringImages());
        assertFalse(alone.cluster());
        assertEquals(List.of("score.batch-size=512"), alone.jobArgs());

        BenchmarkOptions sized = BenchmarkOptions.parse(List.of("--scoring", "--scoring-images", "2000,12000"));
        assertEquals(List.of(2000, 12000), sized.scoringImages());

        BenchmarkOptions pngs = BenchmarkOptions.parse(List.of("--scoring", "--scoring-images", "none", "--scoring-png", "3000"));
        assertTrue(pngs.scoringImages().isEmpty());
        assertEquals(List.of(3000), pngs.scoringPngImages(), "PNG rows alone are a scoring table too");
        BenchmarkOptions without = BenchmarkOptions.parse(List.of("--no-scoring"));
        assertTrue(without.scoringImages().isEmpty());
        assertTrue(without.scoringPngImages().isEmpty());
        assertFalse(without.scoringOnly());
        assertFalse(without.frequencies().isEmpty(), "the training tables still run");
        assertTrue(BenchmarkOptions.parse(List.of("--scoring-images", "none")).scoringImages().isEmpty());
    }

    @Test
    void scoringAloneCannotBeCombinedWithWhatItLeavesOut() {
        assertTrue(assertThrows(BadInputException.class, () -> BenchmarkOptions.parse(List.of("--scoring", "--no-scoring")))
                .getMessage().contains("--no-scoring"));
        assertTrue(assertThrows(BadInputException.class, () -> BenchmarkOptions.parse(List.of("--scoring", "--scoring-images", "none",
                "--scoring-png", "none"))).getMessage().contains("--scoring-images none with --scoring-png none"));
        String scales = assertThrows(BadInputException.class, () -> BenchmarkOptions.parse(List.of("--scales", "1,4", "--scoring")))
                .getMessage();
        assertTrue(scales.contains("--scoring runs only the scoring table") && scales.contains("--scales"), scales);
        assertTrue(assertThrows(BadInputException.class, () -> BenchmarkOptions.parse(List.of("--scoring-images", "10000,0")))
                .getMessage().contains("--scoring-images expects positive integers"));
    }

    @Test
    void badOptionsAreRejectedWithTheirName() {
        assertTrue(assertThrows(BadInputException.class, () -> BenchmarkOptions.parse(List.of("--scales", "1,x")))
                .getMessage().contains("--scales"));
        assertTrue(assertThrows(BadInputException.class, () -> BenchmarkOptions.parse(List.of("--frequencies", "0")))
                .getMessage().contains("--frequencies"));
        assertTrue(assertThrows(BadInputException.class, () -> BenchmarkOptions.parse(List.of("--scale", "4")))
                .getMessage().contains("--scale"));
        assertTrue(assertThrows(BadInputException.class, () -> BenchmarkOptions.parse(List.of("--report")))
                .getMessage().contains("--report needs a value"));
        assertTrue(assertThrows(BadInputException.class, () -> BenchmarkOptions.parse(List.of("--no-torch")))
                .getMessage().contains("--no-pytorch"));
    }
}
