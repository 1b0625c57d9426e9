package org.sparkmnist.benchmark;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparkmnist.data.Encoding;

/**
 * The one-JVM baseline's scoring loop: images gathered into a minibatch of {@code batch} pixel rows,
 * each minibatch through {@code MultiLayerNetwork.output} in the model's encoding, and the predictions
 * that match a known label counted. One buffer is reused for every minibatch, so memory stays that of
 * a minibatch however many images there are.
 */
final class SingleJvmMinibatches {

    /** An image whose label is not known. */
    static final int UNLABELLED = -1;

    private final MultiLayerNetwork network;
    private final Encoding encoding;
    private final int width;
    private final byte[] pixels;
    private final int[] labels;
    private int filled;
    private long scored;
    private long labelled;
    private long correct;

    SingleJvmMinibatches(MultiLayerNetwork network, Encoding encoding, int batch, int width) {
        this.network = network;
        this.encoding = encoding;
        this.width = width;
        this.pixels = new byte[batch * width];
        this.labels = new int[batch];
    }

    /** The buffer the next {@code n} images' pixels go into, row-major, from offset 0 (n at most the minibatch size). */
    byte[] buffer() {
        return pixels;
    }

    /** Scores the {@code n} images the caller wrote into {@link #buffer()}, with their labels (or {@link #UNLABELLED}). */
    void scoreBuffer(int n, int[] theirLabels) {
        System.arraycopy(theirLabels, 0, labels, 0, n);
        filled = n;
        flush();
    }

    /** Adds one image, scoring the minibatch once it is full. */
    void add(byte[] image, int label) {
        System.arraycopy(image, 0, pixels, filled * width, width);
        labels[filled++] = label;
        if (filled == labels.length) {
            flush();
        }
    }

    /** Scores what {@link #add} gathered since the last full minibatch. */
    void flush() {
        if (filled == 0) {
            return;
        }
        int[] best = network.output(encoding.features(pixels, filled, width), false).argMax(1).toIntVector();
        for (int i = 0; i < filled; i++) {
            if (labels[i] != UNLABELLED) {
                labelled++;
                correct += best[i] == labels[i] ? 1 : 0;
            }
        }
        scored += filled;
        filled = 0;
    }

    long scored() {
        return scored;
    }

    long labelled() {
        return labelled;
    }

    long correct() {
        return correct;
    }
}
