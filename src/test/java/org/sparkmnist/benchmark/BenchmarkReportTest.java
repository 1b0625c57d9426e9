package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BenchmarkReportTest {

    @Test
    void secondsPerEpochIsTheMedianLeavingOutTheFirstEpoch() {
        assertEquals(3.0, measurement(List.of(30.0, 4.0, 2.0, 3.0)).secondsPerEpoch());
        assertEquals(2.5, measurement(List.of(30.0, 2.0, 3.0)).secondsPerEpoch());
        assertEquals(7.0, measurement(List.of(7.0)).secondsPerEpoch());
    }

    @Test
    void timeToTargetCountsEveryEpochUpToTheFirstThatReachesIt() {
        Measurement m = measurement("x", List.of(10.0, 4.0, 5.0, 6.0), List.of(0.95, 0.979, 0.98, 0.99));
        assertEquals(new Measurement.Reached(3, 19.0), m.reaching(0.98).orElseThrow());
        assertEquals(new Measurement.Reached(1, 10.0), m.reaching(0.9).orElseThrow());
        assertTrue(m.reaching(0.995).isEmpty());
        assertEquals("19.0 s (epoch 3)", BenchmarkReport.timeToTarget(m));
        assertEquals("not reached", BenchmarkReport.timeToTarget(measurement("y", List.of(1.0, 1.0), List.of(0.97, 0.9799))));
    }

    @Test
    void comparisonGivesEveryRowsRatioToTheFasterSingleJvmAndToPytorch() {
        Measurement fit = measurement("(a) fit", List.of(9.0, 5.0, 5.0), List.of(0.97, 0.98, 0.98));
        Measurement wrapper = measurement("(a) wrapper", List.of(9.0, 4.0, 4.0), List.of(0.97, 0.97, 0.97));
        Measurement local = measurement("(b) local", List.of(9.0, 5.0, 5.0), List.of(0.97, 0.98, 0.98));
        Measurement pytorch = measurement("(d) pytorch", List.of(3.0, 2.0, 2.0), List.of(0.98, 0.98, 0.98));
        Comparison comparison = new Comparison(List.of(once(fit), once(wrapper)), once(local), Optional.empty(), Optional.of(once(pytorch)),
                List.of("a note"));
        String table = BenchmarkReport.comparison(comparison);
        // (b) against the wrapper, the faster single JVM: 5 / 4; against PyTorch: 5 / 2.
        assertTrue(table.contains("| (b) local | 5.00 | 10,000 | 14.0 s (epoch 2) | 98.10% | 1,024 MiB | (in driver) | 1.25 | 2.50 |\n"),
                table);
        assertTrue(table.contains("| (a) wrapper | 4.00 | 12,500 | not reached |"), table);
        assertTrue(table.contains("| (d) pytorch | 2.00 | 25,000 | 3.0 s (epoch 1) | 98.10% | 1,024 MiB | (in driver) | 0.50 | 1.00 |"),
                table);
        assertEquals(List.of("(a) fit", "(a) wrapper", "(b) local", "(d) pytorch"), comparison.rows().stream().map(Repeated::name).toList());
        assertTrue(table.endsWith("\na note\n"), table);
        // Time to 98%: (b) 14 s against PyTorch's 3 s.
        assertEquals("distributed/single epoch-time ratio: 1.25\ndistributed/pytorch epoch-time ratio: 2.50\n"
                + "distributed/pytorch time-to-98% ratio: 4.67\n", BenchmarkReport.ratioLines(comparison));
    }

    @Test
    void withoutPytorchTheTableSaysSoAndTheLastLineSaysWhy() {
        Measurement fit = measurement("(a) fit", List.of(9.0, 4.0), List.of(0.9, 0.9));
        Measurement local = measurement("(b) local", List.of(9.0, 6.0), List.of(0.9, 0.9));
        Comparison comparison = new Comparison(List.of(once(fit)), once(local), Optional.empty(), Optional.empty(), List.of());
        String table = BenchmarkReport.comparison(comparison);
        assertTrue(table.contains("| 1.50 | - |\n"), table);
        assertFalse(table.contains("\n\n"), table);
        String lines = BenchmarkReport.ratioLines(comparison);
        assertTrue(lines.startsWith("distributed/single epoch-time ratio: 1.50\n"), lines);
        assertTrue(lines.endsWith("distributed/pytorch epoch-time ratio: not measured (--no-pytorch)\n"
                + "distributed/pytorch time-to-98% ratio: not measured (--no-pytorch)\n"), lines);
    }

    @Test
    void overSeveralRoundsEachCellIsTheMedianWithItsRangeAndEveryRatioIsOfMedians() {
        Repeated fit = rounds("(a) fit", List.of(4.0, 6.0, 5.0), List.of(0.98, 0.98, 0.98));
        // (b)'s rounds: 3, 2 and 4 s per epoch; 98% after 12, 11 and 13 s; one slow round must not set the median.
        Repeated local = new Repeated("(b) local", List.of(
                new Measurement("(b) local", 60_000, List.of(9.0, 3.0), List.of(0.97, 0.98), 0.980, 1500, 0),
                new Measurement("(b) local", 60_000, List.of(9.0, 2.0), List.of(0.97, 0.98), 0.982, 1600, 0),
                new Measurement("(b) local", 60_000, List.of(9.0, 4.0), List.of(0.97, 0.98), 0.981, 1400, 0)));
        Repeated pytorch = new Repeated("(d) pytorch", List.of(
                measurement("(d) pytorch", List.of(3.0, 2.0), List.of(0.98, 0.99)),
                measurement("(d) pytorch", List.of(5.0, 1.0), List.of(0.97, 0.98)),
                measurement("(d) pytorch", List.of(4.0, 1.5), List.of(0.98, 0.98))));
        Comparison comparison = new Comparison(List.of(fit), local, Optional.empty(), Optional.of(pytorch), List.of());
        String table = BenchmarkReport.comparison(comparison);
        assertTrue(table.startsWith("| configuration | s/epoch (median of 3 rounds, min-max) |"), table);
        // s/epoch 3 (2-4); 60,000 / 3; 98% after 12 s (11-13); 98.10% (98.00-98.20); the largest RSS; 3 / 5 and 3 / 1.5.
        assertTrue(table.contains("| (b) local | 3.00 (2.00-4.00) | 20,000 | 12.0 s (11.0-13.0 s, epoch 2) | 98.10% (98.00-98.20) "
                + "| 1,600 MiB | (in driver) | 0.60 | 2.00 |\n"), table);
        // PyTorch reached 98% after 3, 6 and 4 s, in epochs 1, 2 and 1.
        assertTrue(table.contains("| (d) pytorch | 1.50 (1.00-2.00) | 33,333 | 4.0 s (3.0-6.0 s, epochs 1-2) | 98.10% |"), table);
        assertEquals("distributed/single epoch-time ratio: 0.60\ndistributed/pytorch epoch-time ratio: 2.00\n"
                + "distributed/pytorch time-to-98% ratio: 3.00\n", BenchmarkReport.ratioLines(comparison));
    }

    @Test
    void aConfigurationThatNeverReaches98PercentHasNoTimeRatioAndTheLineSaysWhich() {
        Repeated fit = once(measurement("(a) fit", List.of(9.0, 4.0), List.of(0.97, 0.98)));
        Repeated local = rounds("(b) local", List.of(3.0, 3.0), List.of(0.979, 0.97));
        Repeated pytorch = once(measurement("(d) pytorch", List.of(3.0, 2.0), List.of(0.98, 0.99)));
        Comparison comparison = new Comparison(List.of(fit), local, Optional.empty(), Optional.of(pytorch), List.of());
        String lines = BenchmarkReport.ratioLines(comparison);
        assertTrue(lines.endsWith("distributed/pytorch time-to-98% ratio: none: (b) local never reached 98.0% validation accuracy\n"),
                lines);
        String table = BenchmarkReport.comparison(comparison);
        assertTrue(table.contains("| (b) local | 3.00 | 16,667 | not reached | 98.10% |"), table);
    }

    @Test
    void aTargetReachedInTooFewRoundsHasNoMedianAndBothTheCellAndTheLineCountTheRounds() {
        Repeated fit = once(measurement("(a) fit", List.of(9.0, 4.0), List.of(0.97, 0.98)));
        Repeated local = rounds("(b) local", List.of(3.0, 3.0, 3.0), List.of(0.98, 0.97, 0.97));
        Repeated pytorch = once(measurement("(d) pytorch", List.of(3.0, 2.0), List.of(0.98, 0.99)));
        Comparison comparison = new Comparison(List.of(fit), local, Optional.empty(), Optional.of(pytorch), List.of());
        assertEquals("not reached in 2 of 3 rounds", BenchmarkReport.timeToTarget(local));
        String lines = BenchmarkReport.ratioLines(comparison);
        assertTrue(lines.endsWith("time-to-98% ratio: none: (b) local reached 98.0% validation accuracy in only 1 of 3 rounds\n"), lines);
    }

    @Test
    void aTargetMissedInAMinorityOfRoundsStillHasAMedianAndTheCellSaysHowOftenItWasMissed() {
        Repeated local = rounds("(b) local", List.of(3.0, 4.0, 3.0), List.of(0.98, 0.98, 0.97));
        // 12 and 13 s, the missed round counting as slower than both: the median is 13 s.
        assertEquals("13.0 s (12.0-13.0 s, epoch 2, not reached in 1 of 3 rounds)", BenchmarkReport.timeToTarget(local));
    }

    @Test
    void scalingNormalisesEpochTimePerExample() {
        Measurement one = new Measurement("1x", 50_000, List.of(9.0, 4.0), List.of(0.9, 0.9), 0.98, 900, 0);
        Measurement four = new Measurement("4x", 200_000, List.of(30.0, 18.0), List.of(0.9, 0.9), 0.98, 910, 0);
        String table = BenchmarkReport.scaling(List.of(1, 4), List.of(one, four));
        assertTrue(table.contains("| 4x MNIST | 200,000 | 18.00 | 11,111 | 1.13 | 910 MiB |"), table);
    }

    @Test
    void scoringThroughputIsComparedWithOneJvmOnTheSameInput() {
        ScoringMeasurement single = new ScoringMeasurement("one JVM", 10_000, 0.5, 4.0, Optional.of(0.9816), 900, 0);
        ScoringMeasurement local = new ScoringMeasurement("local", 10_000, 1.25, 14.25, Optional.of(0.9816), 1500, 0);
        ScoringMeasurement pngSingle = new ScoringMeasurement("one JVM", 10_000, 2.0, 6.0, Optional.of(0.9816), 800, 0);
        ScoringMeasurement pngLocal = new ScoringMeasurement("local", 10_000, 2.5, 16.0, Optional.of(0.9816), 1400, 0);
        ScoringMeasurement bigSingle = new ScoringMeasurement("one JVM", 100_000, 4.0, 9.0, Optional.empty(), 950, 0);
        ScoringMeasurement bigLocal = new ScoringMeasurement("local", 100_000, 5.0, 20.0, Optional.empty(), 1600, 0);
        ScoringMeasurement bigCluster = new ScoringMeasurement("cluster", 100_000, 10.0, 30.0, Optional.empty(), 700, 800);
        String table = BenchmarkReport.scoring(List.of(new ScoringComparison(10_000, "idx", single, local, Optional.empty()),
                new ScoringComparison(10_000, "png directory", pngSingle, pngLocal, Optional.empty()),
                new ScoringComparison(100_000, "idx", bigSingle, bigLocal, Optional.of(bigCluster))), List.of("a note"));
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(0).startsWith("| images | input | configuration | images/s | scoring s | images/s relative to one JVM |"), table);
        assertEquals("| 10,000 | idx | one JVM | 20,000 | 0.50 | 1.00 | 4.0 s | 98.16% | 900 MiB | (in driver) |", lines.get(2));
        assertEquals("| 10,000 | idx | local | 8,000 | 1.25 | 0.40 | 14.3 s | 98.16% | 1,500 MiB | (in driver) |", lines.get(3));
        // The PNG rows against one JVM reading the same PNG files: 10,000 / 2.5 s over 10,000 / 2 s.
        assertEquals("| 10,000 | png directory | local | 4,000 | 2.50 | 0.80 | 16.0 s | 98.16% | 1,400 MiB | (in driver) |", lines.get(5));
        // Each size against its own one-JVM row: 100,000 / 5 s over 100,000 / 4 s.
        assertEquals("| 100,000 | idx | local | 20,000 | 5.00 | 0.80 | 20.0 s | - | 1,600 MiB | (in driver) |", lines.get(7));
        assertEquals("| 100,000 | idx | cluster | 10,000 | 10.00 | 0.40 | 30.0 s | - | 700 MiB | 800 MiB |", lines.get(8));
        assertEquals(9, lines.stream().filter(l -> l.startsWith("|")).count(), "header, rule and seven rows:\n" + table);
        assertTrue(table.endsWith("\n\na note\n"), table);
    }

    @Test
    void replacingASectionKeepsEverythingAroundIt() {
        String document = "# Benchmarks\n\nprose\n\n<!-- benchmark:comparison -->\nold\n<!-- /benchmark:comparison -->\n\nmore prose\n";
        String updated = BenchmarkReport.replaceSection(document, "comparison", "new\n");
        assertEquals("# Benchmarks\n\nprose\n\n<!-- benchmark:comparison -->\nnew\n<!-- /benchmark:comparison -->\n\nmore prose\n", updated);
    }

    @Test
    void aMissingSectionIsAppended() {
        String updated = BenchmarkReport.replaceSection("# Benchmarks\n", "scaling", "rows\n");
        assertEquals("# Benchmarks\n\n<!-- benchmark:scaling -->\nrows\n<!-- /benchmark:scaling -->\n", updated);
    }

    private static Repeated once(Measurement m) {
        return new Repeated(m.name(), List.of(m));
    }

    /**
     * Rounds of one configuration, each of two epochs: a first of 9 s at 97% validation accuracy, then
     * a second of {@code secondEpochSeconds[i]} s at {@code secondEpochValidation[i]}.
     */
    private static Repeated rounds(String name, List<Double> secondEpochSeconds, List<Double> secondEpochValidation) {
        return new Repeated(name, IntStream.range(0, secondEpochSeconds.size())
                .mapToObj(i -> measurement(name, List.of(9.0, secondEpochSeconds.get(i)), List.of(0.97, secondEpochValidation.get(i))))
                .toList());
    }

    private static Measurement measurement(List<Double> seconds) {
        return measurement("x", seconds, seconds.stream().map(s -> 0.9).toList());
    }

    private static Measurement measurement(String name, List<Double> seconds, List<Double> validation) {
        return new Measurement(name, 50_000, seconds, validation, 0.981, 1024, 0);
    }
}
