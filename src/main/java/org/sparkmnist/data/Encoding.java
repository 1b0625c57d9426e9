package org.sparkmnist.data;

import java.io.Serializable;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkmnist.config.DataSettings;

/**
 * How examples become the network's input: flattened pixels, raw 0..255 or scaled to 0..1
 * ({@code normalize}), and labels one-hot over {@code classes}; exactly the tutorial's reshape,
 * astype('float32'), /255 and to_categorical. It is data.classes and data.normalize as one value,
 * passed wherever examples are encoded, and written into every staged minibatch (staging's
 * {@code MinibatchFormat}) so that executors need no config.
 */
public record Encoding(int classes, boolean normalize) implements Serializable {

    public Encoding {
        if (classes < 2 || classes > 256) {
            throw new IllegalArgumentException("an encoding of " + classes + " classes; a label byte holds 2..256");
        }
    }

    public static Encoding of(DataSettings data) {
        return new Encoding(data.classes(), data.normalize());
    }

    /** What a pixel byte (0..255) is multiplied by. */
    public float pixelScale() {
        return normalize ? 1f / 255f : 1f;
    }

    /** {@code n} examples whose pixels lie back to back in {@code pixels}, {@code width} each, and whose labels are in {@code labels}. */
    public DataSet encode(byte[] pixels, byte[] labels, int n, int width) {
        float[] oneHot = new float[n * classes];
        for (int row = 0; row < n; row++) {
            oneHot[row * classes + (labels[row] & 0xFF)] = 1f;
        }
        return new DataSet(features(pixels, n, width), matrix(oneHot, n, classes));
    }

    /** The network's input for {@code n} images whose pixels lie back to back in {@code pixels}: one row each. */
    public INDArray features(byte[] pixels, int n, int width) {
        float scale = pixelScale();
        float[] features = new float[n * width];
        for (int i = 0; i < features.length; i++) {
            features[i] = (pixels[i] & 0xFF) * scale;
        }
        return matrix(features, n, width);
    }

    /** The network's input for {@code n} images whose pixel values (0..255) lie back to back in {@code pixels}: scaled in place. */
    public INDArray features(float[] pixels, int n, int width) {
        float scale = pixelScale();
        for (int i = 0; i < n * width; i++) {
            pixels[i] *= scale;
        }
        return matrix(pixels, n, width);
    }

    /**
     * A rows x columns float matrix holding {@code values}, copied in one block: ND4J's
     * {@code Nd4j.create(float[], ...)} copies element by element, on every minibatch loaded.
     */
    private static INDArray matrix(float[] values, int rows, int columns) {
        INDArray matrix = Nd4j.createUninitialized(DataType.FLOAT, rows, columns);
        new FloatPointer(matrix.data().addressPointer()).put(values);
        return matrix;
    }

    /** All of an idx image/label pair, in file order (the test set on the driver). */
    public DataSet encodeAll(IdxImages images, IdxLabels labels) {
        return encode(images.pixels(), labels.labels(), images.count(), images.pixelsPerImage());
    }
}
