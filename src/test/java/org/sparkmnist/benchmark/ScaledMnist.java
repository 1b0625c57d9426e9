package org.sparkmnist.benchmark;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.BadInputException;
import org.sparkmnist.data.IdxHeader;
import org.sparkmnist.data.IdxImageFile;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.data.IdxWriter;
import org.sparkmnist.runtime.JobExit;

/**
 * Writes k x MNIST, the data of the benchmark's data-size table: MNIST's training set followed by
 * k-1 copies of it, each shifted by one or two pixels ({@link PixelShift#COPIES} gives the order:
 * right, left, down, up, the four diagonals, by one pixel then by two), with the labels copied
 * alongside. The test files are copied unchanged, so test accuracy stays comparable across sizes.
 *
 * <pre>
 * java -cp &lt;classpath&gt; org.sparkmnist.benchmark.ScaledMnist --copies K --from DIR --to DIR [--overwrite]
 * </pre>
 *
 * <p>Copy c holds images c*n .. (c+1)*n-1 of the output, n being the source's count: --copies 1 is
 * MNIST itself, 4 adds the right, left and down shifts by one pixel, 16 everything but the two-pixel
 * up-left shift, 17 is the most. The output's training files are plain idx (never gzipped: the job
 * reads plain files in parallel) under MNIST's names; the test files keep their names and form.
 * DIR is a path or any Hadoop URI (hdfs://...). The source may be plain or gzipped.
 *
 * <p>It streams: memory holds two images and the source's labels, whatever k. The output is
 * written beside --to and renamed into place when complete, so a directory at --to is always a
 * whole dataset ({@code [ -d DIR ] || java ... ScaledMnist ...} is a safe cache). An existing --to
 * is an error unless --overwrite is given. Exit codes: 0 done, 1 failed, 2 bad arguments or input.
 */
public final class ScaledMnist {

    private static final Logger LOG = LoggerFactory.getLogger(ScaledMnist.class);

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final List<String> TEST_FILES = List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    static final String USAGE = """
            usage: ScaledMnist --copies K --from DIR --to DIR [--overwrite]

            Writes K x MNIST into DIR (--to): the training set of --from, then K-1 copies of it shifted
            by one or two pixels (right, left, down, up, down-right, down-left, up-right, up-left; one
            pixel, then two), labels copied; test files copied unchanged. K is 1..%d.

              --copies K     copies of the training set, the original included (1..%d)
              --from DIR     directory with MNIST's four idx files, plain or .gz (path or Hadoop URI)
              --to DIR       directory to create (path or Hadoop URI); written beside it, then renamed
              --overwrite    replace DIR if it exists (otherwise that is an error)
              --help         this text
            """.formatted(PixelShift.COPIES.size(), PixelShift.COPIES.size());

    private final Configuration hadoop;

    ScaledMnist(Configuration hadoop) {
        this.hadoop = hadoop;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs with command-line arguments and returns the exit code. */
    static int run(String... args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(USAGE);
            return JobExit.OK;
        }
        return JobExit.run(() -> {
            Arguments parsed = Arguments.parse(args);
            new ScaledMnist(new Configuration()).write(parsed.from(), parsed.to(), parsed.copies(), parsed.overwrite());
        });
    }

    record Arguments(int copies, String from, String to, boolean overwrite) {

        static Arguments parse(String[] args) {
            Integer copies = null;
            String from = null;
            String to = null;
            boolean overwrite = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--copies" -> copies = copies(value(args, i++));
                    case "--from" -> from = value(args, i++);
                    case "--to" -> to = value(args, i++);
                    case "--overwrite" -> overwrite = true;
                    default -> throw usage("unknown argument " + args[i]);
                }
            }
            if (copies == null || from == null || to == null) {
                throw usage("--copies, --from and --to are required");
            }
            return new Arguments(copies, from, to, overwrite);
        }

        private static String value(String[] args, int i) {
            if (i + 1 >= args.length) {
                throw usage(args[i] + " needs a value");
            }
            return args[i + 1];
        }

        private static int copies(String value) {
            try {
                int copies = Integer.parseInt(value);
                if (copies >= 1 && copies <= PixelShift.COPIES.size()) {
                    return copies;
                }
            } catch (NumberFormatException e) {
                // Reported below with the allowed range.
            }
            throw usage("--copies must be a whole number in 1.." + PixelShift.COPIES.size() + ", got " + value);
        }

        private static BadInputException usage(String problem) {
            return new BadInputException("ScaledMnist: " + problem + " (--help for usage)");
        }
    }

    /** Writes {@code copies} x the dataset in {@code from} to {@code to}, atomically. */
    void write(String from, String to, int copies, boolean overwrite) throws IOException {
        long start = System.nanoTime();
        IdxReader reader = new IdxReader(hadoop);
        IdxImageFile images = reader.checkImages(reader.locate(from, TRAIN_IMAGES), 0, 0);
        IdxLabels labels = reader.readLabels(reader.locate(from, TRAIN_LABELS), 256, images.header(), images.source());
        if ((long) images.count() * copies > Integer.MAX_VALUE) {
            throw new BadInputException("--copies " + copies + " of " + images.count() + " images exceed what an idx file can count");
        }
        List<Path> tests = TEST_FILES.stream().map(name -> reader.locate(from, name)).toList();

        Path target = new Path(to);
        FileSystem fs = target.getFileSystem(hadoop);
        target = fs.makeQualified(target);
        if (fs.exists(target) && !overwrite) {
            throw new BadInputException(target + " already exists; pass --overwrite to replace it");
        }
        // A sibling, so the final rename stays within one directory of one filesystem.
        Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
        fs.setWriteChecksum(false);
        try {
            fs.mkdirs(temporary);
            writeImages(fs, new Path(temporary, TRAIN_IMAGES), images, copies);
            writeLabels(fs, new Path(temporary, TRAIN_LABELS), labels, copies);
            for (Path test : tests) {
                try (InputStream in = test.getFileSystem(hadoop).open(test);
                     OutputStream out = fs.create(new Path(temporary, test.getName()), true)) {
                    in.transferTo(out);
                }
            }
            moveIntoPlace(fs, temporary, target);
        } finally {
            fs.delete(temporary, true);
        }
        LOG.info("wrote {} x {} training images ({} MB) and the test files to {} in {}s", copies, images.count(),
                (images.header().headerBytes() + images.pixelBytes() * copies) >> 20, target,
                String.format("%.1f", (System.nanoTime() - start) / 1e9));
    }

    /** One pass over the source per copy, an image at a time. */
    private void writeImages(FileSystem fs, Path file, IdxImageFile images, int copies) throws IOException {
        int width = images.pixelsPerImage();
        byte[] source = new byte[width];
        byte[] shifted = new byte[width];
        IdxHeader header = IdxHeader.images(images.count() * copies, images.rows(), images.cols());
        try (IdxWriter out = IdxWriter.open(new BufferedOutputStream(fs.create(file, true), 1 << 16), header)) {
            for (PixelShift shift : PixelShift.COPIES.subList(0, copies)) {
                try (DataInputStream in = new DataInputStream(images.openAt(0, hadoop))) {
                    for (int i = 0; i < images.count(); i++) {
                        in.readFully(source);
                        shift.apply(source, shifted, images.rows(), images.cols());
                        out.write(shifted);
                    }
                }
                LOG.info("copy {}: {}", PixelShift.COPIES.indexOf(shift), shift.name());
            }
        }
    }

    private static void writeLabels(FileSystem fs, Path file, IdxLabels labels, int copies) throws IOException {
        try (IdxWriter out = IdxWriter.open(new BufferedOutputStream(fs.create(file, true), 1 << 16),
                IdxHeader.labels(labels.count() * copies))) {
            for (int copy = 0; copy < copies; copy++) {
                out.write(labels.labels());
            }
        }
    }

    /** Renames the finished dataset to {@code target}; an old one is moved aside first and deleted only after. */
    private static void moveIntoPlace(FileSystem fs, Path temporary, Path target) throws IOException {
        Path previous = null;
        if (fs.exists(target)) {
            previous = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID().toString().substring(0, 8));
            if (!fs.rename(target, previous)) {
                throw new IOException("cannot move the existing " + target + " aside");
            }
        }
        if (!fs.rename(temporary, target)) {
            if (previous != null) {
                fs.rename(previous, target);
            }
            throw new IOException("cannot rename " + temporary + " to " + target);
        }
        if (previous != null) {
            fs.delete(previous, true);
        }
    }
}
