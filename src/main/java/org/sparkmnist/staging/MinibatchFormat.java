package org.sparkmnist.staging;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkmnist.data.Encoding;

/**
 * The staged minibatch file: a small header, then the examples' raw pixel bytes and label bytes.
 * It replaces DataSet.save, whose element-by-element float stream made loading minibatches the
 * dominant cost of an epoch (docs/BENCHMARKS.md); a pixel is one byte instead of a float's four, and
 * decoding them is one pass over an array. The header makes each file self-describing, so executors need no config.
 */
public final class MinibatchFormat {

    private static final int MAGIC = 0x534d4e42; // "SMNB"
    private static final int VERSION = 1;

    private MinibatchFormat() {
    }

    /** Writes {@code n} examples whose pixels lie back to back in {@code pixels}, in that order, as one minibatch. */
    public static void write(byte[] pixels, byte[] labels, int n, int width, Encoding encoding, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeInt(n);
        data.writeInt(width);
        data.writeInt(encoding.classes());
        data.writeBoolean(encoding.normalize());
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
        Encoding encoding;
        try {
            encoding = new Encoding(data.readInt(), data.readBoolean());
        } catch (IllegalArgumentException e) {
            throw new IOException(source + " is not a valid spark-mnist minibatch file: " + e.getMessage(), e);
        }
        byte[] pixels = new byte[n * width];
        byte[] labels = new byte[n];
        data.readFully(pixels);
        data.readFully(labels);
        return encoding.encode(pixels, labels, n, width);
    }
}
