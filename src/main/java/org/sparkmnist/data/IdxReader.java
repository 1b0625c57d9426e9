package org.sparkmnist.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkmnist.BadInputException;

/**
 * Reads and fully validates idx files through the Hadoop FileSystem API, so that plain paths,
 * file: and hdfs:// URIs all work. Gzip is recognised by its magic bytes, not by the name, because
 * mirrors serve both forms under both names. Every problem names the file and what was expected,
 * since a corrupt download is the most common way this job fails for a new user.
 */
public final class IdxReader {

    private static final int GZIP_MAGIC = 0x1f8b;
    /** The largest byte array a JVM allocates. */
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;
    /** Where a gzipped body's buffer starts before it doubles: a megabyte, a hundredth of MNIST's training images. */
    private static final int FIRST_GZIP_CHUNK = 1 << 20;
    /**
     * How far a gzip stream is inflated on, past a problem found in it, to look for corruption behind
     * the problem: more than any MNIST file holds (47 MB), and a bound, since a stream can inflate to
     * any length from a few megabytes on disk.
     */
    private static final long CORRUPTION_SEARCH_BYTES = 64L << 20;

    private final Configuration hadoop;

    public IdxReader(Configuration hadoop) {
        this.hadoop = hadoop;
    }

    /** The file {@code name} in {@code dir}, or {@code name.gz} when only the gzipped form is there. */
    public Path locate(String dir, String name) {
        Path plain = new Path(dir, name);
        Path gzipped = new Path(dir, name + ".gz");
        try {
            FileSystem fs = plain.getFileSystem(hadoop);
            if (fs.isFile(plain)) {
                return plain;
            }
            if (fs.isFile(gzipped)) {
                return gzipped;
            }
            String dirState = fs.isDirectory(new Path(dir)) ? "" : " (the directory " + dir + " does not exist)";
            throw new BadInputException("data file " + plain + " not found, nor " + gzipped.getName() + dirState
                    + "; run submit/fetch-mnist.sh or set data.dir");
        } catch (IOException e) {
            throw cannotRead("data directory " + dir, e);
        }
    }

    public IdxImages readImages(Path file, int rows, int cols) {
        return read(file, (in, opened) -> {
            IdxHeader header = readImagesHeader(file, in, rows, cols);
            byte[] pixels = readBody(file, in, opened, header);
            return new IdxImages(file.toString(), header.count(), header.rows(), header.cols(), pixels);
        });
    }

    /**
     * Checks an image file as {@link #readImages} does, with the same messages, without keeping its
     * pixels, so the driver's memory does not grow with the data: a plain file must be exactly as
     * long as its header says (its length is metadata, nothing is read), and a gzipped one is
     * decompressed through a small buffer to count its bytes. {@code rows} and {@code cols} of 0
     * accept any image size.
     */
    public IdxImageFile checkImages(Path file, int rows, int cols) {
        return read(file, (in, opened) -> {
            IdxHeader header = readImagesHeader(file, in, rows, cols);
            if (opened.gzipped()) {
                skipBody(file, in, header);
            } else {
                checkBodyLength(file, opened, header);
            }
            return new IdxImageFile(file.toString(), opened.uri(), header, opened.gzipped());
        });
    }

    /**
     * The header of an image file, checked as {@link #readImages} checks it, with a plain file's
     * length (metadata); nothing of the body is read. It is what the labels are compared with
     * before either body is read ({@link #readLabels(Path, int, IdxHeader, String)}).
     */
    public IdxHeader imagesHeader(Path file, int rows, int cols) {
        return read(file, (in, opened) -> {
            IdxHeader header = readImagesHeader(file, in, rows, cols);
            if (!opened.gzipped()) {
                checkBodyLength(file, opened, header);
            }
            return header;
        });
    }

    /**
     * The labels of the image file {@code imagesFile}, whose header is {@code images}: one label per
     * image. The counts are compared as soon as the label file's header is read, so a label file that
     * declares more (a gzip stream can inflate to gigabytes from a few megabytes) costs its header, not
     * its body; the body is then read as far as the header says and not a byte further.
     */
    public IdxLabels readLabels(Path file, int classes, IdxHeader images, String imagesFile) {
        return readLabels(file, classes, header -> {
            if (header.count() != images.count()) {
                throw bad(file, "declares " + header.count() + " labels but " + imagesFile + " declares " + images.count()
                        + " images; expected one label per image");
            }
        });
    }

    /** A label file on its own, bounded by its own header: for tools and tests that have no images to compare it with. */
    public IdxLabels readLabels(Path file, int classes) {
        return readLabels(file, classes, header -> {
        });
    }

    private IdxLabels readLabels(Path file, int classes, Consumer<IdxHeader> agreesWithImages) {
        return read(file, (in, opened) -> {
            IdxHeader header = readHeader(file, in, IdxHeader.Kind.LABELS);
            int count = header.count();
            if (count <= 0) {
                throw bad(file, "declares " + count + " labels; expected at least one");
            }
            if (!opened.gzipped()) {
                // A plain file's length is metadata: a short or long file is named as such before anything else.
                checkBodyLength(file, opened, header);
            }
            agreesWithImages.accept(header);
            byte[] labels = readBody(file, in, opened, header);
            for (int i = 0; i < count; i++) {
                int label = labels[i] & 0xFF;
                if (label >= classes) {
                    throw bad(file, "label " + i + " is " + label + "; expected 0.." + (classes - 1) + " (data.classes)");
                }
            }
            return new IdxLabels(file.toString(), labels);
        });
    }

    /** What the body holds, for messages: "60000 images of 28x28", "60000 labels". */
    private static String what(IdxHeader header) {
        return header.kind() == IdxHeader.Kind.IMAGES
                ? header.count() + " images of " + header.rows() + "x" + header.cols()
                : header.count() + " labels";
    }

    private static IdxHeader readHeader(Path file, DataInputStream in, IdxHeader.Kind kind) throws IOException {
        int magic = in.readInt();
        if (magic != kind.magic()) {
            throw bad(file, String.format("starts with magic number 0x%08x; expected 0x%08x for %s", magic, kind.magic(),
                    kind.description()));
        }
        return IdxHeader.readSizes(kind, in);
    }

    private static IdxHeader readImagesHeader(Path file, DataInputStream in, int rows, int cols) throws IOException {
        IdxHeader header = readHeader(file, in, IdxHeader.Kind.IMAGES);
        int count = header.count();
        int fileRows = header.rows();
        int fileCols = header.cols();
        if (count <= 0) {
            throw bad(file, "declares " + count + " images; expected at least one");
        }
        if ((rows > 0 && fileRows != rows) || (cols > 0 && fileCols != cols)) {
            throw bad(file, "holds " + fileRows + "x" + fileCols + " images; expected " + rows + "x" + cols
                    + " (data.rows, data.cols)");
        }
        if (fileRows <= 0 || fileCols <= 0) {
            throw bad(file, "holds " + fileRows + "x" + fileCols + " images; expected a positive size");
        }
        return header;
    }

    /** What is known of an opened file without reading it: its qualified URI, whether it is gzipped, its length in bytes. */
    private record Opened(String uri, boolean gzipped, long length) {
    }

    private interface Body<T> {
        T read(DataInputStream in, Opened opened) throws IOException;
    }

    private <T> T read(Path file, Body<T> body) {
        FileSystem fs;
        long length;
        try {
            fs = file.getFileSystem(hadoop);
            length = fs.getFileStatus(file).getLen();
        } catch (IOException e) {
            throw cannotRead("data file " + file, e);
        }
        try (InputStream raw = fs.open(file);
             BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16)) {
            boolean gzipped = isGzip(file, buffered);
            DataInputStream in = new DataInputStream(gzipped ? new GZIPInputStream(buffered, 1 << 16) : buffered);
            try {
                return body.read(in, new Opened(fs.makeQualified(file).toString(), gzipped, length));
            } catch (BadInputException e) {
                throw gzipped ? gzipCorruptionBehind(file, in, e) : e;
            }
        } catch (BadInputException e) {
            throw e;
        } catch (ZipException e) {
            throw bad(file, "is not a valid gzip file: " + e.getMessage());
        } catch (EOFException e) {
            throw bad(file, "is truncated inside its header (or the gzip stream ends early)");
        } catch (IOException e) {
            throw cannotRead("data file " + file, e);
        }
    }

    /**
     * Bad input (exit 2) when the failure is about the file, its directory or its bytes; otherwise
     * a failure of the job (exit 1), so that a scheduler retries it (see {@link TransientFailures}).
     */
    private static RuntimeException cannotRead(String what, IOException e) {
        if (TransientFailures.isTransient(e)) {
            return new UncheckedIOException(what + " cannot be read now (a retry may succeed): " + e.getMessage(), e);
        }
        return new BadInputException(what + " cannot be read: " + e.getMessage(), e);
    }

    /**
     * A corrupt gzip stream can decompress into a plausible but wrong header (absurd sizes, a bad
     * magic number) long before its checksum is reached. Reading on to the checksum tells the user
     * the real problem; a gzip that checks out, or that is still inflating after
     * {@link #CORRUPTION_SEARCH_BYTES}, keeps the original message.
     */
    private static BadInputException gzipCorruptionBehind(Path file, DataInputStream in, BadInputException original) {
        try {
            byte[] buffer = new byte[1 << 16];
            for (long read = 0; read < CORRUPTION_SEARCH_BYTES; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, CORRUPTION_SEARCH_BYTES - read));
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return original;
        } catch (ZipException e) {
            return bad(file, "is not a valid gzip file: " + e.getMessage());
        } catch (EOFException e) {
            return bad(file, "is not a valid gzip file: it ends before its checksum");
        } catch (IOException e) {
            return original;
        }
    }

    private static boolean isGzip(Path file, BufferedInputStream in) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if (first < 0) {
            throw bad(file, "is empty; expected an idx file");
        }
        return ((first << 8) | second) == GZIP_MAGIC;
    }

    /**
     * The body {@code header} declares, insisting that nothing follows it. Memory follows what the
     * file holds, not what its header claims, so a header that lies is refused before its body is
     * allocated: a plain file's length is compared with the header first, and a gzip stream, whose
     * length only decompressing it tells, is read into a buffer that grows as its data arrives.
     */
    private static byte[] readBody(Path file, DataInputStream in, Opened opened, IdxHeader header) throws IOException {
        long expected = header.bodyBytes();
        if (!opened.gzipped()) {
            checkBodyLength(file, opened, header);
        }
        if (expected > MAX_ARRAY_BYTES) {
            throw bad(file, "declares " + what(header) + ", more than one array can hold");
        }
        byte[] body = new byte[(int) (opened.gzipped() ? Math.min(expected, FIRST_GZIP_CHUNK) : expected)];
        int done = 0;
        while (done < expected) {
            if (done == body.length) {
                body = Arrays.copyOf(body, (int) Math.min(expected, 2L * body.length));
            }
            int n = in.read(body, done, body.length - done);
            if (n < 0) {
                throw truncated(file, what(header), expected, done);
            }
            done += n;
        }
        if (in.read() >= 0) {
            throw trailing(file, what(header));
        }
        return body;
    }

    /** {@link #readBody} through one small buffer, for bodies that are not kept. */
    private static void skipBody(Path file, DataInputStream in, IdxHeader header) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long expected = header.bodyBytes();
        long done = 0;
        while (done < expected) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, expected - done));
            if (n < 0) {
                throw truncated(file, what(header), expected, done);
            }
            done += n;
        }
        if (in.read() >= 0) {
            throw trailing(file, what(header));
        }
    }

    /** A plain file must be exactly as long as its header says; its length is metadata, so nothing is read. */
    private static void checkBodyLength(Path file, Opened opened, IdxHeader header) {
        long follows = opened.length() - header.headerBytes();
        if (follows < header.bodyBytes()) {
            throw truncated(file, what(header), header.bodyBytes(), follows);
        }
        if (follows > header.bodyBytes()) {
            throw trailing(file, what(header));
        }
    }

    private static BadInputException truncated(Path file, String what, long expected, long found) {
        return bad(file, "is truncated: the header declares " + what + " (" + expected + " bytes) but only " + found
                + " bytes follow it");
    }

    private static BadInputException trailing(Path file, String what) {
        return bad(file, "has data after the " + what + " its header declares; expected the file to end there");
    }

    private static BadInputException bad(Path file, String problem) {
        return new BadInputException("data file " + file + " " + problem);
    }
}
