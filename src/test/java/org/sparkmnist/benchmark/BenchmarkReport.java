package org.sparkmnist.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
     * The main comparison, each figure the median over the rounds with their min-max in brackets:
     * every configuration's epoch time, time to {@link #TARGET_ACCURACY}, test accuracy and (the
     * largest of the rounds) memory, and its median epoch time against the best single-JVM DL4J's and
     * PyTorch's; then the notes on how the alternatives ran.
     */
    static String comparison(Comparison comparison) {
        double single = comparison.bestSingleJvm().epochSeconds().median();
        int rounds = comparison.local().runs().size();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "| configuration | s/epoch (median of %d %s, min-max) | examples/s | time to %.1f%% validation accuracy | test accuracy "
                        + "| driver (or only process) peak RSS | executor peak RSS | s/epoch ratio to best single-JVM DL4J "
                        + "| s/epoch ratio to PyTorch |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n", rounds, rounds == 1 ? "round" : "rounds", 100 * TARGET_ACCURACY));
        for (Repeated r : comparison.rows()) {
            double seconds = r.epochSeconds().median();
            String toPytorch = comparison.pytorch().map(p -> ratio(seconds / p.epochSeconds().median())).orElse("-");
            table.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %s | %s | %s | %s | %s | %s |\n", r.name(),
                    r.epochSeconds().format(2), r.examplesPerSecond().median(), timeToTarget(r),
                    r.testAccuracy().times(100).format(2, "%"), mib(r.driverPeakMb()),
                    mib(r.executorPeakMb()), ratio(seconds / single), toPytorch));
        }
        if (!comparison.notes().isEmpty()) {
            table.append('\n');
            comparison.notes().forEach(note -> table.append(note).append('\n'));
        }
        return table.toString();
    }

    /**
     * The benchmark's last three lines, each of medians over the rounds: local mode's epoch time against
     * the best single-JVM DL4J's and against PyTorch's, and its time to {@link #TARGET_ACCURACY} against
     * PyTorch's (or why there is no such figure).
     */
    static String ratioLines(Comparison comparison) {
        String noPytorch = "not measured (--no-pytorch)";
        return "distributed/single epoch-time ratio: " + ratio(comparison.distributedSingleRatio()) + "\n"
                + "distributed/pytorch epoch-time ratio: "
                + comparison.distributedPytorchRatio().map(BenchmarkReport::ratio).orElse(noPytorch) + "\n"
                + String.format(Locale.ROOT, "distributed/pytorch time-to-%.0f%% ratio: ", 100 * TARGET_ACCURACY)
                + comparison.distributedPytorchTimeToTargetRatio(TARGET_ACCURACY).map(BenchmarkReport::ratio)
                        .orElseGet(() -> comparison.pytorch().isEmpty() ? noPytorch : unreached(comparison)) + "\n";
    }

    /** Why local mode or PyTorch has no median time to the target: which of them fell short, in how many rounds. */
    private static String unreached(Comparison comparison) {
        List<String> shortOf = new ArrayList<>();
        for (Repeated r : List.of(comparison.local(), comparison.pytorch().orElseThrow())) {
            if (r.medianSecondsTo(TARGET_ACCURACY).isEmpty()) {
                int reached = r.reached(TARGET_ACCURACY).size();
                shortOf.add(r.name() + (reached == 0 ? " never reached " : " reached ")
                        + String.format(Locale.ROOT, "%.1f%% validation accuracy", 100 * TARGET_ACCURACY)
                        + (reached == 0 ? "" : " in only " + reached + " of " + r.runs().size() + " rounds"));
            }
        }
        return "none: " + String.join("; ", shortOf);
    }

    /**
     * A configuration's time to {@link #TARGET_ACCURACY} over its rounds: the median (see {@link Repeated#medianSecondsTo}), the
     * min-max and the epochs of the rounds that got there, and how many did not.
     */
    static String timeToTarget(Repeated r) {
        List<Measurement.Reached> reached = r.reached(TARGET_ACCURACY);
        int missed = r.runs().size() - reached.size();
        String missing = missed == 0 ? "" : "not reached in " + missed + " of " + r.runs().size() + " rounds";
        Optional<Double> median = r.medianSecondsTo(TARGET_ACCURACY);
        if (median.isEmpty()) {
            return reached.isEmpty() ? "not reached" : missing;
        }
        Spread seconds = Spread.of(reached.stream().map(Measurement.Reached::seconds).toList());
        Spread epochs = Spread.of(reached.stream().map(x -> (double) x.epoch()).toList());
        List<String> details = new ArrayList<>();
        if (seconds.min() != seconds.max()) {
            details.add(String.format(Locale.ROOT, "%.1f-%.1f s", seconds.min(), seconds.max()));
        }
        details.add(epochs.min() == epochs.max() ? String.format(Locale.ROOT, "epoch %.0f", epochs.min())
                : String.format(Locale.ROOT, "epochs %.0f-%.0f", epochs.min(), epochs.max()));
        if (missed > 0) {
            details.add(missing);
        }
        return String.format(Locale.ROOT, "%.1f s (%s)", median.get(), String.join(", ", details));
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
     * Scoring throughput: per input (a size and a form, idx or a PNG directory), each configuration's
     * images per second over its scoring span, against one JVM's on the same input; the whole
     * command's wall time, accuracy and memory; then the notes on what was scored and how.
     */
    static String scoring(List<ScoringComparison> sizes, List<String> notes) {
        StringBuilder table = new StringBuilder("| images | input | configuration | images/s | scoring s | images/s relative to one JVM "
                + "| command wall time | accuracy | driver (or only process) peak RSS | executor peak RSS |\n"
                + "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ScoringComparison size : sizes) {
            for (ScoringMeasurement m : size.rows()) {
                table.append(String.format(Locale.ROOT, "| %,d | %s | %s | %,.0f | %.2f | %s | %.1f s | %s | %s | %s |\n", m.images(),
                        size.input(), m.name(), m.imagesPerSecond(), m.scoringSeconds(), ratio(size.relativeToSingleJvm(m)), m.commandSeconds(),
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
