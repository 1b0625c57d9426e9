package org.sparkmnist.data;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/**
 * The header of an idx file, MNIST's format: a big-endian magic number that says what follows, then
 * one big-endian 32-bit size per dimension (count for labels; count, rows and cols for images).
 * The body is {@code count x rows x cols} unsigned bytes, row-major, and the file ends there.
 * {@link IdxReader} and {@link IdxWriter} are the only code that reads or writes one; this record
 * is the layout they share. Sizes are kept as read, unchecked, so the reader can say what is wrong.
 */
public record IdxHeader(Kind kind, int count, int rows, int cols) implements Serializable {

    /** The two kinds of idx file MNIST uses, by magic number. */
    public enum Kind {
        IMAGES(0x00000803, 3, "an idx3 image file"),
        LABELS(0x00000801, 1, "an idx1 label file");

        private final int magic;
        private final int dimensions;
        private final String description;

        Kind(int magic, int dimensions, String description) {
            this.magic = magic;
            this.dimensions = dimensions;
            this.description = description;
        }

        public int magic() {
            return magic;
        }

        /** Bytes before the body: the magic number and one size per dimension. */
        public int headerBytes() {
            return 4 + 4 * dimensions;
        }

        /** What a file of this kind is, for messages: "an idx3 image file". */
        public String description() {
            return description;
        }
    }

    public static IdxHeader images(int count, int rows, int cols) {
        return new IdxHeader(Kind.IMAGES, count, rows, cols);
    }

    /** A label is one byte: a label file is a count of 1x1 "images". */
    public static IdxHeader labels(int count) {
        return new IdxHeader(Kind.LABELS, count, 1, 1);
    }

    public int headerBytes() {
        return kind.headerBytes();
    }

    /** Bytes of one example: an image's pixels, or a label's one byte. */
    public int exampleBytes() {
        return rows * cols;
    }

    /** Bytes of body the header declares. */
    public long bodyBytes() {
        return (long) count * rows * cols;
    }

    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(kind.magic);
        out.writeInt(count);
        if (kind == Kind.IMAGES) {
            out.writeInt(rows);
            out.writeInt(cols);
        }
    }

    /** The sizes that follow a magic number of {@code kind}, which the caller has read and checked. */
    static IdxHeader readSizes(Kind kind, DataInput in) throws IOException {
        int count = in.readInt();
        return kind == Kind.IMAGES ? images(count, in.readInt(), in.readInt()) : labels(count);
    }
}
