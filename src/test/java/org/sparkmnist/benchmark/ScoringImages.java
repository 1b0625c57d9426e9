package org.sparkmnist.benchmark;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.conf.Configuration;
import org.sparkmnist.BadInputException;
import org.sparkmnist.data.IdxHeader;
import org.sparkmnist.data.IdxImageFile;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.data.IdxWriter;

/**
 * The input of the scoring-throughput table: {@code count} images made of an idx image file (MNIST's
 * test set) followed by copies of it shifted as {@link ScaledMnist}'s copies are ({@link PixelShift#COPIES}
 * order: the original, then right, left, down, up by one pixel, ...), cut at {@code count}, with the labels
 * copied alongside. 10,000 is the test set itself, 100,000 the test set and its first nine shifts.
 * Written as plain idx (the scoring job reads a plain file in parallel chunks) beside the target
 * directory and renamed into place, so the directory is always whole; written anew every time (half a
 * second for 100,000 images), so it always comes from the data the benchmark was given.
 */
final class ScoringImages {

    static final String IMAGES = "images-idx3-ubyte";
    static final String LABELS = "labels-idx1-ubyte";

    private ScoringImages() {
    }

    /** Writes {@code dir} with {@link #IMAGES} and {@link #LABELS}, replacing what a previous benchmark wrote there. */
    static Path write(org.apache.hadoop.fs.Path sourceImages, org.apache.hadoop.fs.Path sourceLabels, int count, Path dir) throws IOException {
        Configuration hadoop = new Configuration();
        IdxReader reader = new IdxReader(hadoop);
        IdxImageFile images = reader.checkImages(sourceImages, 0, 0);
        IdxLabels labels = reader.readLabels(sourceLabels, 256, images.header(), sourceImages.toString());
        long most = (long) images.count() * PixelShift.COPIES.size();
        if (count < 1 || count > most) {
            throw new BadInputException("cannot make " + count + " scoring images of " + images.count() + " in " + sourceImages
                    + ": expected 1.." + most + " (" + PixelShift.COPIES.size() + " shifted copies at most)");
        }
        Files.createDirectories(dir.toAbsolutePath().getParent());
        Path temporary = Files.createTempDirectory(dir.toAbsolutePath().getParent(), "." + dir.getFileName() + ".tmp-");
        try {
            writeImages(images, count, temporary.resolve(IMAGES), hadoop);
            writeLabels(labels, count, temporary.resolve(LABELS));
            deleteWritten(dir);
            Files.move(temporary, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteWritten(temporary);
        }
        return dir;
    }

    /** A directory this class wrote: its two files, then itself. */
    private static void deleteWritten(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(IMAGES));
        Files.deleteIfExists(dir.resolve(LABELS));
        Files.deleteIfExists(dir);
    }

    private static void writeImages(IdxImageFile images, int count, Path file, Configuration hadoop) throws IOException {
        int width = images.pixelsPerImage();
        byte[] source = new byte[width];
        byte[] shifted = new byte[width];
        IdxHeader header = IdxHeader.images(count, images.rows(), images.cols());
        try (IdxWriter out = IdxWriter.open(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), header)) {
            int written = 0;
            for (PixelShift shift : PixelShift.COPIES) {
                if (written == count) {
                    break;
                }
                try (DataInputStream in = new DataInputStream(images.openAt(0, hadoop))) {
                    for (int i = 0; i < images.count() && written < count; i++, written++) {
                        in.readFully(source);
                        shift.apply(source, shifted, images.rows(), images.cols());
                        out.write(shifted);
                    }
                }
            }
        }
    }

    private static void writeLabels(IdxLabels labels, int count, Path file) throws IOException {
        try (IdxWriter out = IdxWriter.open(new BufferedOutputStream(Files.newOutputStream(file)), IdxHeader.labels(count))) {
            for (int written = 0; written < count; written += labels.count()) {
                out.write(labels.labels(), 0, Math.min(labels.count(), count - written));
            }
        }
    }
}
