package org.sparkmnist.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.data.IdxWriter;

/**
 * Small idx files for tests. Valid ones are written by the job's own {@link IdxWriter}; the raw
 * ones are written byte by byte, so that a test can set every header field to anything, wrong
 * included.
 */
public final class IdxFiles {

    private IdxFiles() {
    }

    /** A valid image file of {@code pixels.length / (rows * cols)} images. */
    public static byte[] images(int rows, int cols, byte[] pixels) {
        return bytes(out -> IdxWriter.images(out, new IdxImages("test", pixels.length / (rows * cols), rows, cols, pixels)));
    }

    /** A valid label file. */
    public static byte[] labels(byte[] labels) {
        return bytes(out -> IdxWriter.labels(out, new IdxLabels("test", labels)));
    }

    /** {@code count} random images of the given size, with pixel values 0..255. */
    public static byte[] randomImages(int count, int rows, int cols, long seed) {
        byte[] pixels = new byte[count * rows * cols];
        new Random(seed).nextBytes(pixels);
        return images(rows, cols, pixels);
    }

    /** Labels 0, 1, ..., classes-1, 0, 1, ... */
    public static byte[] cyclicLabels(int count, int classes) {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % classes);
        }
        return labels(labels);
    }

    /** An image file with whatever header fields a test wants, right or wrong, then {@code pixels}. */
    public static byte[] rawImages(int magic, int count, int rows, int cols, byte[] pixels) {
        return bytes(out -> {
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(magic);
            data.writeInt(count);
            data.writeInt(rows);
            data.writeInt(cols);
            data.write(pixels);
            data.flush();
        });
    }

    /** A label file with whatever header fields a test wants, right or wrong, then {@code labels}. */
    public static byte[] rawLabels(int magic, int count, byte[] labels) {
        return bytes(out -> {
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(magic);
            data.writeInt(count);
            data.write(labels);
            data.flush();
        });
    }

    public static byte[] gzip(byte[] content) {
        return bytes(out -> {
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(content);
            }
        });
    }

    /** The images of the local idx file {@code file} (plain or gzipped), read as the job reads them. */
    public static IdxImages readImages(Path file, int rows, int cols) {
        return new IdxReader(new Configuration()).readImages(new org.apache.hadoop.fs.Path(file.toUri()), rows, cols);
    }

    /** The labels of the local idx file {@code file} (plain or gzipped), of ten classes, read as the job reads them. */
    public static IdxLabels readLabels(Path file) {
        return new IdxReader(new Configuration()).readLabels(new org.apache.hadoop.fs.Path(file.toUri()), 10);
    }

    /**
     * A gzipped label file whose body inflates to far more than it takes on disk: a header declaring
     * {@code count} labels, then {@code labels}, then {@code zeros} bytes of label 0. The zeros are
     * gzip members of 16 MB each, compressed once and repeated (a gzip file may be several members
     * in a row, read as one stream), so that a gigabyte costs a megabyte and no time to make.
     */
    public static Path gzippedLabels(Path file, int count, byte[] labels, long zeros) {
        int member = 16 << 20;
        byte[] zeroMember = gzip(new byte[member]);
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(gzip(rawLabels(0x801, count, labels)));
                for (long left = zeros; left > 0; left -= member) {
                    out.write(left >= member ? zeroMember : gzip(new byte[(int) left]));
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A complete, valid dataset of random 28x28 digits in the MNIST file names. */
    public static Path dataset(Path dir, int train, int test) {
        write(dir.resolve("train-images-idx3-ubyte"), randomImages(train, 28, 28, 1));
        write(dir.resolve("train-labels-idx1-ubyte"), cyclicLabels(train, 10));
        write(dir.resolve("t10k-images-idx3-ubyte"), randomImages(test, 28, 28, 2));
        write(dir.resolve("t10k-labels-idx1-ubyte"), cyclicLabels(test, 10));
        return dir;
    }

    private interface Body {
        void write(ByteArrayOutputStream out) throws IOException;
    }

    private static byte[] bytes(Body body) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            body.write(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }
}
