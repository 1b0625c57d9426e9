package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a benchmark run installs or builds before measuring follows from the options it was given. */
class PrerequisitesTest {

    /** The script each step runs, in order. */
    private static List<String> scripts(String... args) {
        return Prerequisites.of(BenchmarkOptions.parse(List.of(args))).stream().map(step -> step.command().get(0)).toList();
    }

    @Test
    void byDefaultPytorchsPackagesMnistAndTheClusterJar() {
        assertEquals(List.of("submit/debian-packages.sh", "submit/fetch-mnist.sh", "submit/spark-submit.sh"), scripts());
        Prerequisites.Step packages = Prerequisites.of(BenchmarkOptions.parse(List.of())).get(0);
        assertTrue(packages.command().containsAll(List.of("python3-torch", "python3-threadpoolctl", "libopenblas0-openmp")),
                packages.command().toString());
        assertEquals(List.of("submit/spark-submit.sh", "--build-only"),
                Prerequisites.of(BenchmarkOptions.parse(List.of())).get(2).command());
    }

    @Test
    void withoutPytorchNoDebianPackages() {
        assertEquals(List.of("submit/fetch-mnist.sh", "submit/spark-submit.sh"), scripts("--no-pytorch"));
    }

    @Test
    void theScoringTableAloneTrainsNothingAgainstPytorch() {
        assertEquals(List.of("submit/fetch-mnist.sh", "submit/spark-submit.sh"), scripts("--scoring"));
    }

    @Test
    void withoutTheClusterNoClusterJar() {
        assertEquals(List.of("submit/debian-packages.sh", "submit/fetch-mnist.sh"), scripts("--no-cluster", "train.epochs=2"));
    }

    @Test
    void aFailedStepStopsTheBenchmarkWithItsAdvice() {
        List<Prerequisites.Step> steps = List.of(new Prerequisites.Step(List.of("false"), "leave it out with --no-thing"),
                new Prerequisites.Step(List.of("touch", "/never/reached"), "unreachable"));
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> Prerequisites.install(steps));
        assertEquals("false exited with 1: leave it out with --no-thing", failure.getMessage());
    }
}
