package org.sparkmnist.benchmark;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's tables in docs/BENCHMARKS.md, and its closing ratio lines. Each table lives between its own pair of markers, so
 * a run rewrites the tables it measured and leaves the others and the hand-written analysis alone.
 */
final class BenchmarkReport {

    private BenchmarkReport() {
    }

    /** The validation accuracy whose arrival the comparison times. */
    static final double TARGET_ACCURACY = 0.98;

    /**
     * The main comparison: every configuration's epoch time, time to {@link #TARGET_ACCURACY}, test
     * accuracy and memory, and its epoch time against the best single-JVM DL4J and against PyTorch;
     * then the notes on how the alternatives ran.
     */
    static String comparison(Comparison comparison) {
        double single = comparison.bestSingleJvm().secondsPerEpoch();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "| configuration | s/epoch (median, epochs 2..N) | examples/s | time to %.1f%% validation accuracy | test accuracy "
                        + "| driver (or only process) peak RSS | executor peak RSS | s/epoch ratio to best single-JVM DL4J "
                        + "| s/epoch ratio to PyTorch |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n", 100 * TARGET_ACCURACY));
        for (Measurement m : comparison.rows()) {
            String toPytorch = comparison.pytorch().map(p -> ratio(m.secondsPerEpoch() / p.secondsPerEpoch())).orElse("-");
            table.append(String.format(Locale.ROOT, "| %s | %.2f | %,.0f | %s | %.2f%% | %s | %s | %s | %s |\n", m.name(),
                    m.secondsPerEpoch(), m.examplesPerSecond(), timeToTarget(m), 100 * m.testAccuracy(), mib(m.driverPeakMb()),
                    mib(m.executorPeakMb()), ratio(m.secondsPerEpoch() / single), toPytorch));
        }
        if (!comparison.notes().isEmpty()) {
            table.append('\n');
            comparison.notes().forEach(note -> table.append(note).append('\n'));
        }
        return table.toString();
    }

    /**
     * The benchmark's last two lines: local mode's epoch time against the best single-JVM DL4J, and
     * against PyTorch (or why there is no such figure).
     */
    static String ratioLines(Comparison comparison) {
        return "distributed/single epoch-time ratio: " + ratio(comparison.distributedSingleRatio()) + "\n"
                + "distributed/pytorch epoch-time ratio: "
                + comparison.distributedPytorchRatio().map(BenchmarkReport::ratio).orElse("not measured (--no-pytorch)") + "\n";
    }

    static String timeToTarget(Measurement m) {
        return m.reaching(TARGET_ACCURACY).map(r -> String.format(Locale.ROOT, "%.1f s (epoch %d)", r.seconds(), r.epoch()))
                .orElse("not reached");
    }

    private static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2f", ratio);
    }

    /** Averaging frequency against speed and accuracy: one row per label ("20", or a schedule such as "20, 20, then 80"). */
    static String frequencies(List<String> labels, List<Measurement> rows) {
        StringBuilder table = new StringBuilder("| averaging frequency (minibatches per worker between averages) | s/epoch "
                + "| time to 98.0% validation accuracy | test accuracy |\n|---:|---:|---:|---:|\n");
        for (int i = 0; i < rows.size(); i++) {
            table.append(String.format(Locale.ROOT, "| %s | %.2f | %s | %.2f%% |\n", labels.get(i), rows.get(i).secondsPerEpoch(),
                    timeToTarget(rows.get(i)), 100 * rows.get(i).testAccuracy()));
        }
        return table.toString();
    }

    /** Cost against data size: each row's epoch time relative to the first row's, per example. */
    static String scaling(List<Integer> copies, List<Measurement> rows) {
        Measurement first = rows.get(0);
        StringBuilder table = new StringBuilder("| data | training examples | s/epoch | examples/s | s/epoch relative to "
                + copies.get(0) + "x, per example | driver peak RSS | executor peak RSS | test accuracy |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < rows.size(); i++) {
            Measurement m = rows.get(i);
            double perExample = (m.secondsPerEpoch() / m.trainExamples()) / (first.secondsPerEpoch() / first.trainExamples());
            table.append(String.format(Locale.ROOT, "| %dx MNIST | %,d | %.2f | %,.0f | %.2f | %s | %s | %.2f%% |\n", copies.get(i),
                    m.trainExamples(), m.secondsPerEpoch(), m.examplesPerSecond(), perExample, mib(m.driverPeakMb()),
                    mib(m.executorPeakMb()), 100 * m.testAccuracy()));
        }
        return table.toString();
    }

    /**
     * Scoring throughput: per input size, each configuration's images per second over its scoring
     * span, against one JVM's at the same size; the whole command's wall time, accuracy and memory;
     * then the notes on what was scored and how.
     */
    static String scoring(List<ScoringComparison> sizes, List<String> notes) {
        StringBuilder table = new StringBuilder("| images | configuration | images/s | scoring s | images/s relative to one JVM "
                + "| command wall time | accuracy | driver (or only process) peak RSS | executor peak RSS |\n"
                + "|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ScoringComparison size : sizes) {
            for (ScoringMeasurement m : size.rows()) {
                table.append(String.format(Locale.ROOT, "| %,d | %s | %,.0f | %.2f | %s | %.1f s | %s | %s | %s |\n", m.images(), m.name(),
                        m.imagesPerSecond(), m.scoringSeconds(), ratio(size.relativeToSingleJvm(m)), m.commandSeconds(),
                        m.accuracy().map(a -> String.format(Locale.ROOT, "%.2f%%", 100 * a)).orElse("-"), mib(m.driverPeakMb()),
                        mib(m.executorPeakMb())));
            }
        }
        if (!notes.isEmpty()) {
            table.append('\n');
            notes.forEach(note -> table.append(note).append('\n'));
        }
        return table.toString();
    }

    /** Replaces the text between {@code <!-- benchmark:NAME -->} and {@code <!-- /benchmark:NAME -->}, or appends the section. */
    static String replaceSection(String document, String name, String body) {
        String begin = "<!-- benchmark:" + name + " -->";
        String end = "<!-- /benchmark:" + name + " -->";
        String section = begin + "\n" + body + end;
        Matcher existing = Pattern.compile(Pattern.quote(begin) + ".*?" + Pattern.quote(end), Pattern.DOTALL).matcher(document);
        if (existing.find()) {
            return document.substring(0, existing.start()) + section + document.substring(existing.end());
        }
        return document + (document.isEmpty() || document.endsWith("\n\n") ? "" : document.endsWith("\n") ? "\n" : "\n\n") + section + "\n";
    }

    private static String mib(long mb) {
        return mb == 0 ? "(in driver)" : String.format(Locale.ROOT, "%,d MiB", mb);
    }
}
