package org.sparkmnist.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns raw examples into the network's input: flattened pixels (raw 0..255 or scaled to 0..1)
 * and one-hot labels, exactly the tutorial's reshape, astype('float32') and to_categorical.
 */
public final class ExampleEncoder {

    private ExampleEncoder() {
    }

    /**
     * {@code n} examples whose pixels lie back to back in {@code pixels} and whose labels are in
     * {@code labels}, as one DataSet.
     */
    public static DataSet encode(byte[] pixels, byte[] labels, int n, int width, int classes, boolean normalize) {
        float[] oneHot = new float[n * classes];
        for (int row = 0; row < n; row++) {
            oneHot[row * classes + (labels[row] & 0xFF)] = 1f;
        }
        INDArray y = Nd4j.create(oneHot, new long[] {n, classes}, DataType.FLOAT);
        return new DataSet(features(pixels, n, width, normalize), y);
    }

    /** The network's input for {@code n} images whose pixels lie back to back in {@code pixels}: one row each. */
    public static INDArray features(byte[] pixels, int n, int width, boolean normalize) {
        float scale = normalize ? 1f / 255f : 1f;
        float[] features = new float[n * width];
        for (int i = 0; i < features.length; i++) {
            features[i] = (pixels[i] & 0xFF) * scale;
        }
        return Nd4j.create(features, new long[] {n, width}, DataType.FLOAT);
    }

    /** All of an idx image/label pair, in file order (the test set on the driver). */
    public static DataSet encodeAll(IdxImages images, IdxLabels labels, int classes, boolean normalize) {
        return encode(images.pixels(), labels.labels(), images.count(), images.pixelsPerImage(), classes, normalize);
    }
}
