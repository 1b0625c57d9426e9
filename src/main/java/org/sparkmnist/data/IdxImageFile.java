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
public record IdxImageFile(String source, String uri, int count, int rows, int cols, boolean gzipped) implements Serializable {

    /** Bytes before the first pixel: magic, count, rows, cols. */
    public static final int HEADER_BYTES = 16;

    public int pixelsPerImage() {
        return rows * cols;
    }

    /** Bytes of pixels the header declares. */
    public long pixelBytes() {
        return (long) count * pixelsPerImage();
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
            int fileCount = in.readInt();
            int fileRows = in.readInt();
            int fileCols = in.readInt();
            if (magic != IdxReader.IMAGES_MAGIC || fileCount != count || fileRows != rows || fileCols != cols) {
                throw new IOException(source + " changed after it was checked: its header now declares " + fileCount + " images of "
                        + fileRows + "x" + fileCols);
            }
            long skip = (long) first * pixelsPerImage();
            if (gzipped) {
                in.skipNBytes(skip);
                return in;
            }
            raw.seek(HEADER_BYTES + skip);
            return new BufferedInputStream(raw, 1 << 16);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }
}
