package org.sparkmnist.benchmark;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.sparkmnist.BadInputException;
import org.sparkmnist.data.IdxHeader;
import org.sparkmnist.data.IdxImageFile;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.data.IdxWriter;

/**
 * The input of the scoring-throughput table: {@code count} labelled images, always the same ones for
 * the same sources. Each source (MNIST's test set, then its training set) is copied once for every
 * shift of {@link PixelShift#WITHIN_THREE} in its order (the original, then right, left, down, up by
 * one pixel, ...), and the sequence is cut at {@code count}. The test set comes first, with the shifts
 * of {@link PixelShift#COPIES} first, so 10,000 is the test set itself and 100,000 the test set and its
 * first nine shifts, as in tables published before the training set was added. Shifts alone stop at
 * 49 copies of the test set (490,000 images); moving digits further than three pixels would push
 * strokes off the image, and other distortions would change what a person reads. The 60,000 training
 * images are digits as real as the test set's, so they carry the sequence on, to 49 x 70,000: the model
 * has seen them unshifted, which moves the accuracy at a size but not the cost of a forward pass.
 *
 * <p>Written as plain idx with its labels (the scoring job reads a plain file in parallel chunks) and,
 * on request, the same images as a directory of PNG files with a labels CSV ({@link PngDigits}), beside
 * the target directory, renamed into place, so the directory is always whole; written anew every
 * time, so it always comes from the data the benchmark was given.
 */
final class ScoringImages {

    static final String IMAGES = "images-idx3-ubyte";
    static final String LABELS = "labels-idx1-ubyte";

    /** An idx image file and its labels. */
    record Source(org.apache.hadoop.fs.Path images, org.apache.hadoop.fs.Path labels) {
    }

    private record Checked(IdxImageFile images, IdxLabels labels) {
    }

    private ScoringImages() {
    }

    /**
     * Writes {@code dir} with {@link #IMAGES} and {@link #LABELS} and, if {@code png}, {@link PngDigits}'s
     * directory and labels, replacing what a previous benchmark wrote there.
     */
    static Path write(List<Source> sources, int count, boolean png, Path dir) throws IOException {
        Configuration hadoop = new Configuration();
        IdxReader reader = new IdxReader(hadoop);
        List<Checked> checked = new ArrayList<>();
        long most = 0;
        for (Source source : sources) {
            IdxImageFile images = reader.checkImages(source.images(), 0, 0);
            if (!checked.isEmpty() && images.pixelsPerImage() != checked.get(0).images().pixelsPerImage()) {
                throw new BadInputException(source.images() + " holds images of " + images.rows() + "x" + images.cols() + "; expected "
                        + checked.get(0).images().rows() + "x" + checked.get(0).images().cols() + " as in " + sources.get(0).images());
            }
            checked.add(new Checked(images, reader.readLabels(source.labels(), 256, images.header(), source.images().toString())));
            most += (long) images.count() * PixelShift.WITHIN_THREE.size();
        }
        if (count < 1 || count > most) {
            throw new BadInputException("cannot make " + count + " scoring images of " + describe(checked) + ": expected 1.." + most
                    + " (each image moved by the " + PixelShift.WITHIN_THREE.size() + " shifts of at most 3 pixels)");
        }
        Files.createDirectories(dir.toAbsolutePath().getParent());
        Path temporary = Files.createTempDirectory(dir.toAbsolutePath().getParent(), "." + dir.getFileName() + ".tmp-");
        try {
            writeImages(checked, count, temporary, png, hadoop);
            deleteWritten(dir);
            Files.move(temporary, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteWritten(temporary);
        }
        return dir;
    }

    private static String describe(List<Checked> sources) {
        List<String> parts = new ArrayList<>();
        for (Checked source : sources) {
            parts.add(source.images().count() + " in " + source.images().source());
        }
        return String.join(" and ", parts);
    }

    /** A directory this class wrote: its files, then itself. */
    private static void deleteWritten(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(IMAGES));
        Files.deleteIfExists(dir.resolve(LABELS));
        PngDigits.deleteWritten(dir);
        Files.deleteIfExists(dir);
    }

    private static void writeImages(List<Checked> sources, int count, Path dir, boolean png, Configuration hadoop) throws IOException {
        IdxImageFile first = sources.get(0).images();
        int width = first.pixelsPerImage();
        byte[] source = new byte[width];
        byte[] shifted = new byte[width];
        byte[] labels = new byte[count];
        Optional<PngDigits> pngs = png ? Optional.of(PngDigits.create(dir, count, first.rows(), first.cols())) : Optional.empty();
        try (IdxWriter out = IdxWriter.open(new BufferedOutputStream(Files.newOutputStream(dir.resolve(IMAGES)), 1 << 16),
                IdxHeader.images(count, first.rows(), first.cols()))) {
            int written = 0;
            for (Checked from : sources) {
                for (PixelShift shift : PixelShift.WITHIN_THREE) {
                    if (written == count) {
                        break;
                    }
                    try (DataInputStream in = new DataInputStream(from.images().openAt(0, hadoop))) {
                        for (int i = 0; i < from.images().count() && written < count; i++, written++) {
                            in.readFully(source);
                            shift.apply(source, shifted, first.rows(), first.cols());
                            out.write(shifted);
                            labels[written] = from.labels().labels()[i];
                            if (pngs.isPresent()) {
                                pngs.get().add(shifted, labels[written] & 0xFF);
                            }
                        }
                    }
                }
            }
        } finally {
            if (pngs.isPresent()) {
                pngs.get().close();
            }
        }
        try (IdxWriter out = IdxWriter.open(new BufferedOutputStream(Files.newOutputStream(dir.resolve(LABELS))), IdxHeader.labels(count))) {
            out.write(labels, 0, count);
        }
    }
}
