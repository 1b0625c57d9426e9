package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkmnist.store.RunStore;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.StoredRuns;
import org.sparkmnist.testing.TinyModels;

/**
 * Every way a scoring job can be given something it cannot score, through its real entry point:
 * exit code 2 before Spark starts, a last stderr line naming the file or key and what was
 * expected, and an output directory (holding a committed training run) left byte for byte as it was.
 */
class ScoringBadInputTest {

    private static MultiLayerNetwork network;

    @TempDir
    Path tmp;

    @BeforeAll
    static void aModel() {
        network = TinyModels.softmax();
    }

    /** A bad-input case: how to spoil a valid setup, and what the message must name. */
    record Case(String name, Consumer<Setup> spoil, List<String> mustName) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A model run, an idx input with labels and an image directory, and the arguments of a run that would succeed. */
    static final class Setup {
        final Path root;
        final Path run;
        final Path idx;
        final Path labels;
        final Path images;
        final List<String> args = new ArrayList<>();

        Setup(Path root) {
            this.root = root;
            this.run = TinyModels.run(root.resolve("runs/trained"), "mlp", network, true);
            this.idx = IdxFiles.write(root.resolve("in/images-idx3-ubyte"), IdxFiles.randomImages(12, 28, 28, 1));
            this.labels = IdxFiles.write(root.resolve("in/labels-idx1-ubyte"), IdxFiles.cyclicLabels(12, 10));
            this.images = root.resolve("digits");
            write(images.resolve("a.png"), new byte[] {1});
        }

        /** Replaces the arguments of the valid setup that start with {@code key=}. */
        void set(String key, String value) {
            args.removeIf(a -> a.startsWith(key + "="));
            args.add(key + "=" + value);
        }

        static Path write(Path file, byte[] content) {
            try {
                Files.createDirectories(file.getParent());
                return Files.write(file, content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("missing input", s -> s.set("score.input.path", s.root.resolve("nothing-here").toString()),
                        List.of("input", "nothing-here (score.input.path) does not exist")),
                new Case("empty directory", s -> {
                    s.root.resolve("empty").toFile().mkdirs();
                    s.set("score.input.path", s.root.resolve("empty").toString());
                    s.args.removeIf(a -> a.startsWith("score.input.labels"));
                }, List.of("input directory", "empty (score.input.path) holds no files to score")),
                new Case("directory of hidden files only", s -> {
                    Setup.write(s.root.resolve("hidden/.thumbs.png"), new byte[] {1});
                    Setup.write(s.root.resolve("hidden/_tmp/x.png"), new byte[] {1});
                    s.set("score.input.path", s.root.resolve("hidden").toString());
                    s.args.removeIf(a -> a.startsWith("score.input.labels"));
                }, List.of("hidden (score.input.path) holds no files to score", "'_' or '.'")),
                new Case("empty idx file", s -> Setup.write(s.idx, new byte[0]), List.of("images-idx3-ubyte", "is empty")),
                new Case("idx file of no images", s -> Setup.write(s.idx, IdxFiles.rawImages(0x803, 0, 28, 28, new byte[0])),
                        List.of("images-idx3-ubyte", "declares 0 images")),
                new Case("idx images of another size", s -> Setup.write(s.idx, IdxFiles.randomImages(12, 20, 20, 2)),
                        List.of("images-idx3-ubyte (20x20) has 400 pixels per image but the model", "takes 784")),
                new Case("labels of another count", s -> Setup.write(s.labels, IdxFiles.cyclicLabels(11, 10)),
                        List.of("labels-idx1-ubyte declares 11 labels", "images-idx3-ubyte declares 12 images")),
                new Case("bad labels csv", s -> {
                    s.set("score.input.path", s.images.toString());
                    s.set("score.input.labels", Setup.write(s.root.resolve("labels.csv"), "file,label\na.png,12\n".getBytes()).toString());
                }, List.of("labels.csv line 2 has label 12; expected 0..9")),
                new Case("labels csv of more images than the directory holds", s -> {
                    s.set("score.input.path", s.images.toString());
                    s.set("score.input.labels", Setup.write(s.root.resolve("labels.csv"), "file,label\na.png,1\nb.png,2\n".getBytes())
                            .toString());
                }, List.of("labels.csv line 3 is one label too many", "digits (score.input.path) holds 1 file to score")),
                new Case("labels csv with a line longer than any path", s -> {
                    s.set("score.input.path", s.images.toString());
                    s.set("score.input.labels", Setup.write(s.root.resolve("labels.csv"),
                            ("file,label\n" + "a".repeat(1 << 20) + ".png,1\n").getBytes()).toString());
                }, List.of("labels.csv line 2 is longer than", "characters")),
                new Case("run not committed", s -> s.run.resolve("_SUCCESS").toFile().delete(),
                        List.of("model run", "trained (score.model.run) has no _SUCCESS")),
                new Case("model not in the run", s -> s.set("score.model.name", "softmax"),
                        List.of("holds no model \"softmax\" (score.model.name); it holds mlp")),
                new Case("unreadable model", s -> Setup.write(s.run.resolve("mlp/model.zip"), "PK garbage".getBytes()),
                        List.of("model file", "mlp/model.zip cannot be read as a DL4J MultiLayerNetwork model.zip")),
                new Case("bare model.zip without its normalisation", s -> {
                    s.args.removeIf(a -> a.startsWith("score.model.run"));
                    s.set("score.model.file", s.run.resolve("mlp/model.zip").toString());
                }, List.of("score.model.normalize must be true or false with score.model.file")),
                new Case("run.id of a training run", s -> s.set("run.id", "good"),
                        List.of("run directory", "good holds a training run, which a scoring run never replaces",
                                "nothing was moved or deleted", "choose another run.id")),
                new Case("run.id of something else", s -> {
                    Setup.write(s.root.resolve("out/mine/notes.txt"), "a user's file".getBytes());
                    s.set("run.id", "mine");
                }, List.of("output.dir already holds", "mine, which is not a run spark-mnist committed", "nothing was moved or deleted")),
                new Case("resume", s -> s.set("output.mode", "resume"), List.of("output.mode must be overwrite or fail-if-exists for scoring")),
                new Case("mistyped key", s -> s.args.add("score.input.lables=x"),
                        List.of("unknown config key score.input.lables (from the command line); did you mean score.input.labels?")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputExitsWithTwoBeforeSparkNamesTheProblemAndTouchesNothing(Case bad) throws IOException {
        Path output = tmp.resolve("out");
        writeTrainingRun(output);
        Setup setup = new Setup(tmp);
        setup.args.addAll(List.of("score.model.run=" + setup.run, "score.input.path=" + setup.idx, "score.input.labels=" + setup.labels,
                "output.dir=" + output, "run.id=s1", "spark.master=local[1]"));
        bad.spoil().accept(setup);
        Map<String, byte[]> before = JobRuns.snapshot(output);

        JobRuns.Result result = JobRuns.inProcess(MnistScoringJob::execute, setup.args);

        assertEquals(2, result.exitCode(), result.stderr());
        String line = result.lastLine();
        assertTrue(line.startsWith("spark-mnist: error: "), line);
        for (String fragment : bad.mustName()) {
            assertTrue(line.contains(fragment), "expected \"" + fragment + "\" in: " + line);
        }
        assertFalse(result.stderr().contains("Spark 3."), "Spark must not have started");
        Map<String, byte[]> after = JobRuns.snapshot(output);
        assertEquals(before.keySet(), after.keySet(), "files under output.dir");
        for (String file : before.keySet()) {
            assertTrue(Arrays.equals(before.get(file), after.get(file)), file + " changed");
        }
        assertFalse(Files.exists(output.resolve(RunStore.DIRECTORY)), "no attempt, no lock");
    }

    /** A committed training run "good", which scoring must never replace or touch. */
    private static void writeTrainingRun(Path output) throws IOException {
        StoredRuns.commit(output.toString(), "good", "good");
    }
}
