package org.sparkmnist.data;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The staged minibatch file: a small header, then the examples' raw pixel bytes and label bytes.
 * It replaces DataSet.save, whose element-by-element float stream made loading minibatches the
 * dominant cost of an epoch (measured with JFR); raw bytes are also four times smaller, and decoding
 * them is one pass over an array. The header makes each file self-describing, so executors need no config.
 */
public final class MinibatchFormat {

    private static final int MAGIC = 0x534d4e42; // "SMNB"
    private static final int VERSION = 1;

    private MinibatchFormat() {
    }

    /** Writes the examples {@code indices[from..to)} of an idx pair as one minibatch. */
    public static void write(IdxImages images, IdxLabels labels, int[] indices, int from, int to, int classes, boolean normalize,
                             OutputStream out) throws IOException {
        write(images.gather(indices, from, to), labels.gather(indices, from, to), to - from, images.pixelsPerImage(), classes,
                normalize, out);
    }

    /** Writes {@code n} examples whose pixels lie back to back in {@code pixels}, in that order, as one minibatch. */
    public static void write(byte[] pixels, byte[] labels, int n, int width, int classes, boolean normalize, OutputStream out)
            throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeInt(n);
        data.writeInt(width);
        data.writeInt(classes);
        data.writeBoolean(normalize);
        data.write(pixels, 0, n * width);
        data.write(labels, 0, n);
        data.flush();
    }

    public static DataSet read(InputStream in, String source) throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != MAGIC || data.readInt() != VERSION) {
            throw new IOException(source + " is not a spark-mnist minibatch file (version " + VERSION + ")");
        }
        int n = data.readInt();
        int width = data.readInt();
        int classes = data.readInt();
        boolean normalize = data.readBoolean();
        byte[] pixels = new byte[n * width];
        byte[] labels = new byte[n];
        data.readFully(pixels);
        data.readFully(labels);
        return ExampleEncoder.encode(pixels, labels, n, width, classes, normalize);
    }
}
