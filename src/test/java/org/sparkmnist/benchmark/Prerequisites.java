package org.sparkmnist.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the configurations a benchmark run asked for need before anything is measured, so that no
 * measured process installs, downloads or builds anything: Debian's PyTorch on OpenBLAS for (d), MNIST,
 * and for the standalone cluster the cluster jar and Spark's distribution. Decided here from the parsed
 * options, the one place they are read, and done by the project's own scripts as child processes.
 */
final class Prerequisites {

    /** One script of this checkout to run, and what to tell the user when it fails. */
    record Step(List<String> command, String advice) {
    }

    private Prerequisites() {
    }

    /** The steps {@code options} need, in the order they must run. */
    static List<Step> of(BenchmarkOptions options) {
        List<Step> steps = new ArrayList<>();
        if (options.runsPytorch()) {
            List<String> install = new ArrayList<>(List.of("submit/debian-packages.sh", "benchmark"));
            install.addAll(PytorchReference.DEBIAN_PACKAGES);
            steps.add(new Step(install, "(d) PyTorch needs " + String.join(", ", PytorchReference.DEBIAN_PACKAGES)
                    + "; or leave (d) out with --no-pytorch"));
        }
        // The job's default data, which the benchmark copies from unless data.dir says otherwise.
        steps.add(new Step(List.of("submit/fetch-mnist.sh", Path.of("data", "mnist").toAbsolutePath().toString()),
                "MNIST could not be fetched into data/mnist"));
        if (options.cluster()) {
            steps.add(new Step(List.of("submit/spark-submit.sh", "--build-only"),
                    "the standalone cluster needs the cluster jar and Spark; or leave it out with --no-cluster"));
        }
        return steps;
    }

    /** Runs each step in turn, its output on stderr (stdout is the benchmark's tables), stopping at the first that fails. */
    static void install(List<Step> steps) throws IOException, InterruptedException {
        for (Step step : steps) {
            Process process = new ProcessBuilder(step.command()).redirectErrorStream(true).start();
            try (InputStream output = process.getInputStream()) {
                output.transferTo(System.err);
            }
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", step.command()) + " exited with " + exit + ": " + step.advice());
            }
        }
    }
}
