package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkReportTest {

    @Test
    void secondsPerEpochIsTheMedianLeavingOutTheFirstEpoch() {
        assertEquals(3.0, measurement(List.of(30.0, 4.0, 2.0, 3.0)).secondsPerEpoch());
        assertEquals(2.5, measurement(List.of(30.0, 2.0, 3.0)).secondsPerEpoch());
        assertEquals(7.0, measurement(List.of(7.0)).secondsPerEpoch());
    }

    @Test
    void comparisonGivesEveryRowsRatioToTheFirst() {
        String table = BenchmarkReport.comparison(List.of(measurement(List.of(9.0, 4.0, 4.0)), measurement(List.of(9.0, 5.0, 5.0))));
        assertTrue(table.contains("| 4.00 | 12,500 |"), table);
        assertTrue(table.contains("| 1.25 |\n"), table);
        assertTrue(table.contains("| 98.10% |"), table);
    }

    @Test
    void scalingNormalisesEpochTimePerExample() {
        Measurement one = new Measurement("1x", 50_000, List.of(9.0, 4.0), 0.98, 900, 0);
        Measurement four = new Measurement("4x", 200_000, List.of(30.0, 18.0), 0.98, 910, 0);
        String table = BenchmarkReport.scaling(List.of(1, 4), List.of(one, four));
        assertTrue(table.contains("| 4x MNIST | 200,000 | 18.00 | 11,111 | 1.13 | 910 MiB |"), table);
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

    private static Measurement measurement(List<Double> seconds) {
        return new Measurement("x", 50_000, seconds, 0.981, 1024, 0);
    }
}
