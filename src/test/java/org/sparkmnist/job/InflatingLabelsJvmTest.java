package org.sparkmnist.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.runtime.JobExit;
import org.sparkmnist.scoring.MnistScoringJob;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.Scripts;
import org.sparkmnist.testing.TinyModels;

/**
 * A gzipped labels file whose header declares two billion labels for a handful of images, and whose
 * body really inflates to 256 MB, given to each job in a JVM of its own with a 256 MB heap:
 * the driver must compare the header's count with the images' and stop with exit code 2 naming the
 * file, instead of inflating the body into memory until an OutOfMemoryError (exit 1).
 */
class InflatingLabelsJvmTest {

    private static final String HEAP = "-Xmx256m";
    private static final int DECLARED = 2_000_000_000;
    /** What the body inflates to: as much as the heap, so that it cannot be read whole. */
    private static final long INFLATED = 256L << 20;

    @TempDir
    Path tmp;

    @Test
    void trainingRefusesAGzippedLabelsFileDeclaringFarMoreLabelsThanImagesWithinASmallHeap() throws Exception {
        Path data = IdxFiles.dataset(tmp.resolve("mnist"), 30, 10);
        Files.delete(data.resolve("train-labels-idx1-ubyte"));
        Path labels = inflatingLabels(data.resolve("train-labels-idx1-ubyte.gz"));

        String last = exitsWithTwo(MnistTrainingJob.class, List.of("data.dir=" + data, "output.dir=" + tmp.resolve("runs"), "run.id=r1",
                "models=[softmax]", "split.train=20", "split.validation=10", "train.batch-size=10", "spark.master=local[1]"));
        assertTrue(last.contains(labels.toString()) && last.contains(DECLARED + " labels") && last.contains("30 images"), last);
    }

    @Test
    void scoringRefusesAGzippedLabelsFileDeclaringFarMoreLabelsThanImagesWithinASmallHeap() throws Exception {
        Path run = TinyModels.run(tmp.resolve("runs/trained"), "mlp", TinyModels.softmax(), true);
        Path images = IdxFiles.write(tmp.resolve("in/images-idx3-ubyte"), IdxFiles.randomImages(12, 28, 28, 1));
        Path labels = inflatingLabels(tmp.resolve("in/labels-idx1-ubyte.gz"));

        String last = exitsWithTwo(MnistScoringJob.class, List.of("score.model.run=" + run, "score.input.path=" + images,
                "score.input.labels=" + labels, "output.dir=" + tmp.resolve("scores"), "run.id=s1", "spark.master=local[1]"));
        assertTrue(last.contains(labels.toString()) && last.contains(DECLARED + " labels") && last.contains("12 images"), last);
    }

    /** A gzipped idx1 file: a header declaring {@link #DECLARED} labels, then {@link #INFLATED} bytes of label 0. */
    private static Path inflatingLabels(Path file) {
        return IdxFiles.gzippedLabels(file, DECLARED, new byte[0], INFLATED);
    }

    /** Runs {@code job} in its own small-heap JVM, asserts exit code 2, and returns its last line. */
    private String exitsWithTwo(Class<?> job, List<String> args) throws Exception {
        Path log = tmp.resolve(job.getSimpleName() + ".log");
        Process process = JobRuns.startMain(List.of(HEAP), Map.of(), List.of(), job.getName(), args, log);
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            Scripts.killTree(process.toHandle());
            throw new AssertionError(job.getSimpleName() + " did not end; log " + log);
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(JobExit.BAD_INPUT, process.exitValue(), String.join("\n", lines));
        return lines.stream().filter(l -> l.startsWith("spark-mnist: ")).reduce((a, b) -> b).orElse("(no last line)");
    }
}
