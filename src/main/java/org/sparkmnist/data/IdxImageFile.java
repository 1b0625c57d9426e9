package org.sparkmnist.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

/**
 * An idx3 image file that was checked whole but not read into memory: where it is and what it
 * holds. The training file stays like this on the driver, because its size grows with the data;
 * executors open it themselves ({@link #openAt}) to read the images they stage.
 *
 * @param source the name used in messages, as the user gave it
 * @param uri    the fully qualified URI, so that executors with another working directory open the same file
 */
public record IdxImageFile(String source, String uri, IdxHeader header, boolean gzipped) implements Serializable {

    public int count() {
        return header.count();
    }

    public int rows() {
        return header.rows();
    }

    public int cols() {
        return header.cols();
    }

    public int pixelsPerImage() {
        return header.exampleBytes();
    }

    /** Bytes of pixels the header declares. */
    public long pixelBytes() {
        return header.bodyBytes();
    }

    /**
     * The pixels from image {@code first} on. A plain file seeks there; a gzipped one cannot, and is
     * decompressed from its start. The header is read again and must still be the one that was
     * checked, so a file replaced since then fails here instead of staging wrong examples.
     */
    public InputStream openAt(int first, Configuration hadoop) throws IOException {
        Path path = new Path(uri);
        FSDataInputStream raw = path.getFileSystem(hadoop).open(path);
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            DataInputStream in = new DataInputStream(gzipped ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16)
                    : buffered);
            int magic = in.readInt();
            IdxHeader now = magic == header.kind().magic() ? IdxHeader.readSizes(header.kind(), in) : null;
            if (!header.equals(now)) {
                throw new IOException(source + " changed after it was checked: its header now "
                        + (now == null ? String.format("starts with magic number 0x%08x", magic)
                                : "declares " + now.count() + " images of " + now.rows() + "x" + now.cols()));
            }
            long skip = (long) first * pixelsPerImage();
            if (gzipped) {
                in.skipNBytes(skip);
                return in;
            }
            raw.seek(header.headerBytes() + skip);
            return new BufferedInputStream(raw, 1 << 16);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }
}
