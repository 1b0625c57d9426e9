package org.sparkmnist.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkmnist.runtime.JobExit;
import org.sparkmnist.testing.FlakyFileSystem;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.StoredRuns;

/**
 * What a user sees for every kind of bad input, through the job's real entry point: exit code 2,
 * a last stderr line that names the file or key and what is wrong, and an output directory (here
 * holding a complete earlier run of the same run.id) left byte for byte as it was. Failures of the
 * filesystem that a retry may fix (a refused connection, a timeout, a closed filesystem; see
 * {@link FlakyFileSystem}) must instead exit 1, which schedulers retry. IdxReaderTest and
 * SettingsLoaderTest cover the detection in detail; this proves the whole path to the user.
 * Everything fails before Spark starts, so each case costs milliseconds.
 */
class BadInputMatrixTest {

    private static final int TRAIN = 30;
    private static final int TEST = 10;
    /** Every case's message in one file, so that a reviewer can read what users are told without running the job. */
    private static final Path MESSAGES = Path.of("target", "bad-input-messages.txt");

    @TempDir
    Path tmp;

    @BeforeAll
    static void startANewRecord() throws IOException {
        Files.deleteIfExists(MESSAGES);
    }

    /** A bad-input case: how to spoil a valid setup, the exit code it must give, and what the message must name. */
    record Case(String name, Consumer<Setup> spoil, int exitCode, List<String> mustName) {

        /** Input a retry cannot fix: exit 2. */
        Case(String name, Consumer<Setup> spoil, List<String> mustName) {
            this(name, spoil, JobExit.BAD_INPUT, mustName);
        }

        /** A failure a retry may fix: exit 1, so that a scheduler retries it. */
        static Case transientFailure(String name, Consumer<Setup> spoil, List<String> mustName) {
            return new Case(name, spoil, JobExit.FAILED, mustName);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A valid dataset and the arguments of a run that would succeed on it, for a case to spoil. */
    static final class Setup {
        final Path data;
        final List<String> args = new ArrayList<>();

        Setup(Path data) {
            this.data = data;
        }

        Path file(String name) {
            return data.resolve(name);
        }

        void write(String name, byte[] content) {
            IdxFiles.write(file(name), content);
        }

        byte[] read(String name) {
            try {
                return Files.readAllBytes(file(name));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void delete(String name) {
            file(name).toFile().delete();
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("missing file", s -> s.delete("t10k-labels-idx1-ubyte"),
                        List.of("t10k-labels-idx1-ubyte not found", "fetch-mnist.sh")),
                new Case("missing directory", s -> s.args.add("data.dir=" + s.data.resolve("nowhere")),
                        List.of("nowhere", "does not exist")),
                new Case("wrong magic", s -> s.write("train-labels-idx1-ubyte", IdxFiles.rawLabels(0x803, TRAIN, new byte[TRAIN])),
                        List.of("train-labels-idx1-ubyte", "magic number 0x00000803; expected 0x00000801")),
                new Case("image file truncated in the header",
                        s -> s.write("train-images-idx3-ubyte", Arrays.copyOf(s.read("train-images-idx3-ubyte"), 10)),
                        List.of("train-images-idx3-ubyte", "truncated inside its header")),
                new Case("image file truncated in the body", s -> {
                    byte[] full = s.read("train-images-idx3-ubyte");
                    s.write("train-images-idx3-ubyte", Arrays.copyOf(full, full.length - 100));
                }, List.of("train-images-idx3-ubyte", "is truncated", (TRAIN * 784 - 100) + " bytes follow")),
                new Case("image header claiming more images than the file holds",
                        s -> s.write("t10k-images-idx3-ubyte", IdxFiles.rawImages(0x803, 2_000_000, 28, 28, new byte[TEST * 784])),
                        List.of("t10k-images-idx3-ubyte", "2000000 images of 28x28 (1568000000 bytes)", (TEST * 784) + " bytes follow")),
                new Case("gzipped label header claiming more labels than the file holds", s -> {
                    s.delete("train-labels-idx1-ubyte");
                    s.write("train-labels-idx1-ubyte.gz", IdxFiles.gzip(IdxFiles.rawLabels(0x801, TRAIN, new byte[TRAIN - 5])));
                }, List.of("train-labels-idx1-ubyte.gz", "is truncated", TRAIN + " labels", (TRAIN - 5) + " bytes follow")),
                new Case("gzipped label header claiming far more labels than there are images", s -> {
                    s.delete("train-labels-idx1-ubyte");
                    s.write("train-labels-idx1-ubyte.gz", IdxFiles.gzip(IdxFiles.rawLabels(0x801, 2_000_000_000, new byte[TRAIN])));
                }, List.of("train-labels-idx1-ubyte.gz declares 2000000000 labels", "train-images-idx3-ubyte declares 30 images",
                        "expected one label per image")),
                new Case("image and label counts differ", s -> s.write("train-labels-idx1-ubyte", IdxFiles.cyclicLabels(TRAIN - 1, 10)),
                        List.of("train-labels-idx1-ubyte", "29 labels", "train-images-idx3-ubyte", "30 images")),
                new Case("label outside 0..9", s -> {
                    byte[] labels = s.read("t10k-labels-idx1-ubyte");
                    labels[8 + 3] = 10;
                    s.write("t10k-labels-idx1-ubyte", labels);
                }, List.of("t10k-labels-idx1-ubyte", "label 3 is 10", "0..9")),
                new Case("image size other than configured", s -> s.write("t10k-images-idx3-ubyte", IdxFiles.randomImages(TEST, 20, 20, 3)),
                        List.of("t10k-images-idx3-ubyte", "20x20", "expected 28x28", "data.rows")),
                new Case("corrupt gzip", s -> {
                    byte[] gz = IdxFiles.gzip(s.read("train-images-idx3-ubyte"));
                    for (int i = 20; i < 60; i++) {
                        gz[i] ^= 0x5a;
                    }
                    s.delete("train-images-idx3-ubyte");
                    s.write("train-images-idx3-ubyte.gz", gz);
                }, List.of("train-images-idx3-ubyte.gz", "not a valid gzip file")),
                new Case("empty file", s -> s.write("t10k-images-idx3-ubyte", new byte[0]),
                        List.of("t10k-images-idx3-ubyte", "is empty")),
                new Case("permission denied", s -> s.args.add("data.dir=" + FlakyFileSystem.uri("denied", s.data)),
                        List.of("train-images-idx3-ubyte cannot be read", "Permission denied")),
                Case.transientFailure("connection refused", s -> s.args.add("data.dir=" + FlakyFileSystem.uri("refused", s.data)),
                        List.of("ConnectException", "Connection refused")),
                Case.transientFailure("read timed out", s -> s.args.add("data.dir=" + FlakyFileSystem.uri("timeout", s.data)),
                        List.of("SocketTimeoutException", "timeout")),
                Case.transientFailure("filesystem closed", s -> s.args.add("data.dir=" + FlakyFileSystem.uri("closed", s.data)),
                        List.of("Filesystem closed")),

                new Case("unknown key", s -> s.args.add("train.epoch=3"),
                        List.of("unknown config key train.epoch (from the command line); did you mean train.epochs?")),
                new Case("wrong type", s -> s.args.add("train.epochs=many"),
                        List.of("train.epochs must be a whole number", "many")),
                new Case("zero epochs", s -> s.args.add("train.epochs=0"), List.of("train.epochs must be > 0, got 0")),
                new Case("negative batch size", s -> s.args.add("train.batch-size=-5"), List.of("train.batch-size must be > 0, got -5")),
                new Case("zero learning rate", s -> s.args.add("model.mlp.updater.learning-rate=0"),
                        List.of("model.mlp.updater.learning-rate must be > 0")),
                new Case("split larger than the data", s -> s.args.add("split.train=50000"),
                        List.of("split.train (50000)", "exceed the 30 examples")),
                new Case("batch larger than the training split", s -> s.args.add("train.batch-size=21"),
                        List.of("train.batch-size", "split.train (20)", "got 21")),
                new Case("network too large for this JVM", s -> s.args.addAll(List.of("spark.master=local[2]", "models=[mlp]",
                        "model.mlp.hidden-layers=[100000,100000]")),
                        List.of("model mlp needs at least", "in local mode (2 workers", "this JVM's max heap", "model.mlp.hidden-layers")),
                new Case("network too large for the executors", s -> s.args.addAll(List.of("spark.master=spark://127.0.0.1:7077",
                        "models=[mlp]", "model.mlp.hidden-layers=[40000,4000]")),
                        List.of("model mlp needs at least", "on each executor (1 worker)", "spark.executor.memory (1g, Spark's default)")),
                new Case("averaging frequency below 1", s -> s.args.add("train.averaging-frequency=0"),
                        List.of("train.averaging-frequency must be a whole number > 0")),
                new Case("unknown model", s -> s.args.add("models=[cnn]"), List.of("models", "\"cnn\"", "mlp, softmax")),
                new Case("unreadable config file", s -> {
                    Path conf = s.data.resolveSibling("broken.conf");
                    try {
                        Files.writeString(conf, "train {\n  epochs = 3\n  batch-size = = 12\n}\n", StandardCharsets.UTF_8,
                                StandardOpenOption.CREATE_NEW);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    s.args.add(0, conf.toString());
                }, List.of("broken.conf", "3:")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputExitsWithItsCodeNamesTheProblemAndTouchesNoRun(Case bad) throws IOException {
        Path output = tmp.resolve("runs");
        writeGoodRun(output);
        Map<String, byte[]> before = JobRuns.snapshot(output);

        Setup setup = new Setup(IdxFiles.dataset(tmp.resolve("mnist"), TRAIN, TEST));
        setup.args.addAll(List.of("data.dir=" + setup.data, "output.dir=" + output, "run.id=good", "split.train=20", "train.batch-size=8",
                "split.validation=10", "spark.master=local[1]"));
        bad.spoil().accept(setup);
        JobRuns.Result result = JobRuns.inProcess(setup.args);
        record(bad, result.lastLine());

        assertEquals(bad.exitCode(), result.exitCode(), result.stderr());
        String line = result.lastLine();
        assertTrue(line.startsWith(bad.exitCode() == JobExit.BAD_INPUT ? "spark-mnist: error: " : "spark-mnist: failed: "), line);
        for (String fragment : bad.mustName()) {
            assertTrue(line.contains(fragment), "expected \"" + fragment + "\" in: " + line);
        }
        assertSame(before, JobRuns.snapshot(output));
    }

    /** A complete earlier run of the same run.id, which bad input must leave exactly as it is. */
    private static void writeGoodRun(Path output) throws IOException {
        StoredRuns.commit(output.toString(), "good", "good");
    }

    private static void assertSame(Map<String, byte[]> before, Map<String, byte[]> after) {
        assertEquals(before.keySet(), after.keySet(), "files under output.dir (no _SUCCESS, no _temporary may appear)");
        for (String file : before.keySet()) {
            assertTrue(Arrays.equals(before.get(file), after.get(file)), file + " changed");
        }
    }

    private static synchronized void record(Case bad, String line) throws IOException {
        Files.createDirectories(MESSAGES.getParent());
        Files.writeString(MESSAGES, bad.name() + "\t" + line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

}
