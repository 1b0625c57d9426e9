package org.sparkmnist.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Writes small idx files byte by byte, so tests control every header field and can corrupt any of them. */
public final class IdxFiles {

    private IdxFiles() {
    }

    public static byte[] images(int magic, int count, int rows, int cols, byte[] pixels) {
        return bytes(out -> {
            out.writeInt(magic);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(pixels);
        });
    }

    public static byte[] labels(int magic, int count, byte[] labels) {
        return bytes(out -> {
            out.writeInt(magic);
            out.writeInt(count);
            out.write(labels);
        });
    }

    /** {@code count} random images of the given size, with pixel values 0..255. */
    public static byte[] randomImages(int count, int rows, int cols, long seed) {
        byte[] pixels = new byte[count * rows * cols];
        new Random(seed).nextBytes(pixels);
        return images(0x803, count, rows, cols, pixels);
    }

    /** Labels 0, 1, ..., classes-1, 0, 1, ... */
    public static byte[] cyclicLabels(int count, int classes) {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % classes);
        }
        return labels(0x801, count, labels);
    }

    public static byte[] gzip(byte[] content) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buffer)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
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
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] bytes(Body body) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }
}
