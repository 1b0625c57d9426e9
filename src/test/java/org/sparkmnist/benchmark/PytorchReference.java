package org.sparkmnist.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.DataSettings;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.data.MnistData;
import org.sparkmnist.data.MnistLoader;
import org.sparkmnist.data.MnistSplit;
import org.sparkmnist.model.HiddenActivation;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.model.UpdaterKind;
import org.sparkmnist.model.WeightInitScheme;

/**
 * (d): what a user would write instead of the Spark job, a short PyTorch script
 * ({@code submit/benchmark/pytorch_mlp.py}) training the same network the same way on the same
 * cores. Java decides everything the script does, in a recipe file: the split's exact training,
 * validation and test examples, read by the job's own idx reader and written beside the recipe as raw
 * bytes in {@link MnistSplit}'s order (so both sides train and validate on the same examples, and the
 * script parses no idx file), the normalisation, the layers, the optimizer and its schedule, the epochs and the
 * minibatch size. The script writes the same kind of result file as {@link SingleJvmBaseline}, plus
 * what it found about its own maths library.
 */
final class PytorchReference {

    static final Path SCRIPT = Path.of("submit", "benchmark", "pytorch_mlp.py");
    /**
     * What the script runs on, from Debian: PyTorch, threadpoolctl (which tells it what BLAS it got) and OpenBLAS's
     * OpenMP build, without which PyTorch falls back to the far slower reference BLAS (docs/BENCHMARKS.md).
     */
    static final List<String> DEBIAN_PACKAGES = List.of("python3-torch", "python3-threadpoolctl", "libopenblas0-openmp");
    /** Debian's interpreter: Debian's python3-torch is installed for it, not for another python3 on the PATH. */
    static final String PYTHON = "/usr/bin/python3";
    /** Where Debian's libopenblas0-openmp puts its libblas.so.3 on this architecture. */
    static final Path OPENMP_BLAS = Path.of("/usr/lib", multiarch(), "openblas-openmp");

    private static final ObjectMapper JSON = new ObjectMapper();

    private PytorchReference() {
    }

    /**
     * Writes the recipe for {@code spec} under {@code settings} to {@code recipe}, and beside it the split's
     * examples as Java read them: each part's pixels (a byte each, one image after another, in the split's
     * order) and labels (a byte each). Only what the script implements is accepted: dense ReLU layers with
     * Glorot-uniform weights, no dropout or L2, Adam or RMSprop.
     */
    static void write(JobSettings settings, ModelSpec spec, Path recipe) throws IOException {
        checkSupported(spec);
        DataSettings data = settings.data();
        // The job's own loading checks the four files against each other; it only checks the training images, which are read here.
        MnistData mnist = MnistLoader.load(data, new Configuration());
        IdxReader reader = new IdxReader(new Configuration());
        IdxImages trainImages = reader.readImages(reader.locate(data.dir(), data.trainImages()), data.rows(), data.cols());
        IdxLabels trainLabels = mnist.trainLabels();
        IdxImages testImages = mnist.testImages();
        IdxLabels testLabels = mnist.testLabels();
        MnistSplit split = MnistSplit.of(trainImages.count(), settings.split());

        ObjectNode root = JSON.createObjectNode();
        root.put("model", spec.name());
        ObjectNode examples = root.putObject("examples");
        Path dir = recipe.toAbsolutePath().getParent();
        examples(examples, dir, "train", trainImages.select(split.train()), trainLabels.gather(split.train(), 0, split.train().length));
        examples(examples, dir, "validation", trainImages.select(split.validation()),
                trainLabels.gather(split.validation(), 0, split.validation().length));
        examples(examples, dir, "test", testImages, testLabels.labels());
        root.put("rows", data.rows());
        root.put("cols", data.cols());
        root.put("classes", data.classes());
        // The factor the job's own encoding multiplies each pixel byte by, as a float, so both sides see the same inputs.
        root.put("pixel_scale", Encoding.of(data).pixelScale());
        spec.hiddenLayers().forEach(root.putArray("hidden_layers")::add);
        root.put("init_seed", spec.seed());
        ObjectNode updater = root.putObject("updater");
        updater.put("name", spec.updater().kind().configName());
        updater.put("learning_rate", spec.updater().learningRate());
        updater.put("learning_rate_decay", spec.updater().learningRateDecay());
        updater.put("beta1", spec.updater().beta1());
        updater.put("beta2", spec.updater().beta2());
        updater.put("rho", spec.updater().rho());
        updater.put("epsilon", spec.updater().epsilon());
        root.put("epochs", settings.train().epochs());
        root.put("batch_size", settings.train().batchSize());
        root.put("shuffle_seed", settings.train().seed());
        Files.writeString(recipe, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
    }

    /** One part of the split, written as {@code <part>-pixels} and {@code <part>-labels} in {@code dir} and named in the recipe. */
    private static void examples(ObjectNode examples, Path dir, String part, IdxImages images, byte[] labels) throws IOException {
        Path pixels = Files.write(dir.resolve(part + "-pixels"), images.pixels());
        Path labelFile = Files.write(dir.resolve(part + "-labels"), labels);
        ObjectNode node = examples.putObject(part);
        node.put("count", images.count());
        node.put("pixels", pixels.toString());
        node.put("labels", labelFile.toString());
    }

    /** The script's command line; {@code threads} is the number of cores it may use. */
    static List<String> command(Path recipe, Path result, int threads) {
        return List.of(PYTHON, SCRIPT.toString(), "--recipe", recipe.toString(), "--result", result.toString(),
                "--threads", String.valueOf(threads));
    }

    /**
     * {@code threads} OpenMP threads, shared by PyTorch and Debian's OpenMP build of OpenBLAS, which
     * goes first on the library path. Debian's default build (libopenblas0-pthread) starts threads of
     * its own that spin beside PyTorch's OpenMP threads: with two of each on two cores, an epoch took
     * 4 to 8 times as long (docs/BENCHMARKS.md).
     */
    static Map<String, String> environment(int threads) {
        String inherited = System.getenv("LD_LIBRARY_PATH");
        String blas = OPENMP_BLAS.toString() + (inherited == null || inherited.isBlank() ? "" : ":" + inherited);
        if (!Files.isRegularFile(OPENMP_BLAS.resolve("libblas.so.3"))) {
            throw new IllegalStateException("Debian's libopenblas0-openmp is not installed (no " + OPENMP_BLAS.resolve("libblas.so.3")
                    + "); submit/benchmark.sh installs it when run as root, or leave (d) out with --no-pytorch");
        }
        return Map.of("OMP_NUM_THREADS", String.valueOf(threads), "OPENBLAS_NUM_THREADS", String.valueOf(threads),
                "LD_LIBRARY_PATH", blas);
    }

    /** The line under the comparison table that says how PyTorch ran: its packages, threads and maths library. */
    static String describe(Path result) throws IOException {
        JsonNode json = JSON.readTree(result.toFile());
        int gemm = json.path("gemm_size").asInt();
        return String.format(Locale.ROOT, "(d) ran torch %s (Debian python3-torch %s) on %d threads with flush-to-zero %s; "
                        + "its matrix products went to %s (%s, %s kernels), where a %d x %d x %d sgemm ran at %.0f GFLOP/s.",
                json.path("torch_version").asText("?"), json.path("torch_package").asText("?"), json.path("threads").asInt(),
                json.path("flush_denormal").asBoolean() ? "on" : "off", json.path("blas_package").asText("?"), json.path("blas").asText("?"),
                json.path("blas_kernels").asText("?"), gemm, gemm, gemm, json.path("gemm_gflops").asDouble());
    }

    /** The row's name: Debian's version of PyTorch when it is Debian's, and the threads it had. */
    static String rowName(Path result) throws IOException {
        JsonNode json = JSON.readTree(result.toFile());
        String version = json.path("torch_package").isTextual() ? json.path("torch_package").asText().replaceAll("[+~-].*", "")
                : json.path("torch_version").asText("?");
        return "(d) PyTorch " + version + ", " + json.path("threads").asInt() + " threads";
    }

    /** Debian's multiarch triplet for this JVM's architecture. */
    private static String multiarch() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64" -> "aarch64-linux-gnu";
            case "ppc64le" -> "powerpc64le-linux-gnu";
            default -> System.getProperty("os.arch") + "-linux-gnu";
        };
    }

    private static void checkSupported(ModelSpec spec) {
        boolean supported = spec.activation() == HiddenActivation.RELU && spec.weightInit() == WeightInitScheme.XAVIER_UNIFORM
                && spec.dropout() == 0 && spec.l2() == 0
                && (spec.updater().kind() == UpdaterKind.ADAM || spec.updater().kind() == UpdaterKind.RMSPROP);
        if (!supported) {
            throw new BadInputException("the PyTorch reference implements relu layers with xavier-uniform weights, no dropout or l2, "
                    + "and adam or rmsprop; model." + spec.name() + " asks for activation " + spec.activation().configName()
                    + ", weight-init " + spec.weightInit().configName() + ", dropout " + spec.dropout() + ", l2 " + spec.l2()
                    + ", updater " + spec.updater().kind().configName() + " (leave (d) out with --no-pytorch)");
        }
    }
}
