import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A user's program that has nothing but DL4J 1.0.0-M2 (deeplearning4j-core and nd4j-native) on its
 * class path: it opens model.zip files with ModelSerializer, as DL4J's documentation says, and scores
 * the MNIST test set with them. It is not the project's code and never sees it: java's source-file
 * launcher compiles and runs it against DL4J's jars alone (PlainDl4jScoresEverySavedModelIT).
 *
 * <p>Usage: {@code java -cp <DL4J's jars> ScoreWithPlainDl4j.java IMAGES LABELS NORMALIZE MODEL.zip ...}
 * with the idx test images and labels (raw or gzipped), and whether the models were trained on pixels
 * scaled to 0..1. Prints one tab-separated line per model: "scored", its path, its layers' classes, its updaters'
 * classes, the length of its updater state, the accuracy, the mean cross-entropy (probabilities clipped
 * to 1e-7, as Keras and the job clip them), and the predicted class of every image.
 */
public class ScoreWithPlainDl4j {

    public static void main(String[] args) throws IOException {
        boolean normalize = Boolean.parseBoolean(args[2]);
        INDArray images = images(Path.of(args[0]), normalize);
        byte[] labels = labels(Path.of(args[1]));
        for (int i = 3; i < args.length; i++) {
            File model = new File(args[i]);
            MultiLayerNetwork withUpdater = ModelSerializer.restoreMultiLayerNetwork(model, true);
            MultiLayerNetwork withoutUpdater = ModelSerializer.restoreMultiLayerNetwork(model, false);
            INDArray probabilities = withUpdater.output(images, false);
            if (!probabilities.equals(withoutUpdater.output(images, false))) {
                throw new IllegalStateException(model + ": loaded without its updater state, it predicts otherwise");
            }
            System.out.println(String.join("\t", "scored", model.getPath(), layers(withUpdater), updaters(withUpdater),
                    Long.toString(stateLength(withUpdater)), scores(probabilities.toFloatMatrix(), labels)));
        }
    }

    /** The idx image file's images, one row of pixels each: raw 0..255, or times 1/255 as the job scales them. */
    private static INDArray images(Path file, boolean normalize) throws IOException {
        try (DataInputStream in = open(file)) {
            if (in.readInt() != 0x803) {
                throw new IOException(file + " is not an idx image file");
            }
            int count = in.readInt();
            int pixels = in.readInt() * in.readInt();
            byte[] bytes = in.readAllBytes();
            float scale = normalize ? 1f / 255f : 1f;
            float[] values = new float[count * pixels];
            for (int p = 0; p < values.length; p++) {
                values[p] = (bytes[p] & 0xFF) * scale;
            }
            return Nd4j.create(values, new long[] {count, pixels}, DataType.FLOAT);
        }
    }

    private static byte[] labels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            if (in.readInt() != 0x801) {
                throw new IOException(file + " is not an idx label file");
            }
            in.readInt();
            return in.readAllBytes();
        }
    }

    /** An idx file, raw or gzipped. */
    private static DataInputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in);
    }

    private static String layers(MultiLayerNetwork network) {
        List<String> classes = new ArrayList<>();
        for (Layer layer : network.getLayers()) {
            classes.add(layer.conf().getLayer().getClass().getName() + "/" + layer.getClass().getName());
        }
        return String.join(",", classes);
    }

    private static String updaters(MultiLayerNetwork network) {
        TreeSet<String> classes = new TreeSet<>();
        for (UpdaterBlock block : ((BaseMultiLayerUpdater<?>) network.getUpdater()).getUpdaterBlocks()) {
            classes.add(block.getGradientUpdater().getConfig().getClass().getName() + "/" + block.getGradientUpdater().getClass().getName());
        }
        return String.join(",", classes);
    }

    private static long stateLength(MultiLayerNetwork network) {
        INDArray state = network.getUpdater().getStateViewArray();
        return state == null ? 0 : state.length();
    }

    /** Accuracy, mean loss and the predictions, tab-separated; the first largest probability is the prediction. */
    private static String scores(float[][] probabilities, byte[] labels) {
        long correct = 0;
        double lossSum = 0;
        List<String> predictions = new ArrayList<>();
        for (int row = 0; row < probabilities.length; row++) {
            int best = 0;
            for (int c = 1; c < probabilities[row].length; c++) {
                if (probabilities[row][c] > probabilities[row][best]) {
                    best = c;
                }
            }
            int label = labels[row] & 0xFF;
            correct += best == label ? 1 : 0;
            lossSum -= Math.log(Math.min(Math.max(probabilities[row][label], 1e-7), 1.0));
            predictions.add(Integer.toString(best));
        }
        return (double) correct / probabilities.length + "\t" + lossSum / probabilities.length + "\t" + String.join(",", predictions);
    }
}
