package org.sparkmnist.data;

import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes idx files that tools reading MNIST can read: a header, then exactly the body it declares.
 * A body that ends short, or would run past the header's size, fails here, so no file written
 * through this class can disagree with its own header. Streams are written as they come, so a file
 * larger than memory (k x MNIST) can be written an image at a time.
 */
public final class IdxWriter implements Closeable {

    private final DataOutputStream out;
    private final IdxHeader header;
    private long written;

    private IdxWriter(DataOutputStream out, IdxHeader header) {
        this.out = out;
        this.header = header;
    }

    /** Writes {@code header} to {@code out}; the body follows through {@link #write}. */
    public static IdxWriter open(OutputStream out, IdxHeader header) throws IOException {
        if (header.count() < 0 || header.rows() <= 0 || header.cols() <= 0) {
            throw new IllegalArgumentException("an idx file of " + header.count() + " examples of " + header.rows() + "x"
                    + header.cols());
        }
        DataOutputStream data = new DataOutputStream(out);
        header.writeTo(data);
        return new IdxWriter(data, header);
    }

    /** All of {@code images} as one idx3 file. */
    public static void images(OutputStream out, IdxImages images) throws IOException {
        IdxWriter writer = open(out, IdxHeader.images(images.count(), images.rows(), images.cols()));
        writer.write(images.pixels(), 0, images.pixels().length);
        writer.finish();
    }

    /** All of {@code labels} as one idx1 file. */
    public static void labels(OutputStream out, IdxLabels labels) throws IOException {
        IdxWriter writer = open(out, IdxHeader.labels(labels.count()));
        writer.write(labels.labels(), 0, labels.count());
        writer.finish();
    }

    public void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (written + length > header.bodyBytes()) {
            throw new IOException("idx body overflows its header: " + (written + length) + " bytes for the " + header.bodyBytes()
                    + " it declares");
        }
        out.write(bytes, offset, length);
        written += length;
    }

    /** Checks that the whole body was written and flushes it, leaving the stream open. */
    public void finish() throws IOException {
        if (written != header.bodyBytes()) {
            throw new IOException("idx body ends short of its header: " + written + " bytes of the " + header.bodyBytes()
                    + " it declares");
        }
        out.flush();
    }

    /** {@link #finish}, then closes the stream (also when the body is incomplete). */
    @Override
    public void close() throws IOException {
        try (out) {
            finish();
        }
    }
}
