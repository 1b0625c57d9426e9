package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkmnist.benchmark.SmallSource.COLS;
import static org.sparkmnist.benchmark.SmallSource.COUNT;
import static org.sparkmnist.benchmark.SmallSource.LABELS;
import static org.sparkmnist.benchmark.SmallSource.ROWS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.runtime.JobExit;
import org.sparkmnist.testing.IdxFiles;

class ScaledMnistTest {

    @TempDir
    Path dir;

    /** Pixel (row, col) of image i is 1 + 20 i + 5 row + col: every pixel distinct and non-zero. */
    private static int sourcePixel(int image, int row, int col) {
        return 1 + 20 * image + COLS * row + col;
    }

    private Path source(boolean gzipped) {
        byte[] pixels = new byte[COUNT * ROWS * COLS];
        for (int i = 0; i < COUNT; i++) {
            for (int r = 0; r < ROWS; r++) {
                for (int c = 0; c < COLS; c++) {
                    pixels[(i * ROWS + r) * COLS + c] = (byte) sourcePixel(i, r, c);
                }
            }
        }
        Path from = dir.resolve(gzipped ? "gz" : "plain");
        String ext = gzipped ? ".gz" : "";
        byte[] images = IdxFiles.images(ROWS, COLS, pixels);
        byte[] labels = SmallSource.labels();
        IdxFiles.write(from.resolve("train-images-idx3-ubyte" + ext), gzipped ? IdxFiles.gzip(images) : images);
        IdxFiles.write(from.resolve("train-labels-idx1-ubyte" + ext), gzipped ? IdxFiles.gzip(labels) : labels);
        IdxFiles.write(from.resolve("t10k-images-idx3-ubyte" + ext), SmallSource.randomImages(2, 3));
        IdxFiles.write(from.resolve("t10k-labels-idx1-ubyte" + ext), IdxFiles.cyclicLabels(2, 10));
        return from;
    }

    private IdxImages images(Path dir) {
        return SmallSource.readImages(dir.resolve("train-images-idx3-ubyte"));
    }

    private IdxLabels labels(Path dir) {
        return IdxFiles.readLabels(dir.resolve("train-labels-idx1-ubyte"));
    }

    private static int run(String... args) {
        return ScaledMnist.run(args);
    }

    @Test
    void everyCopyIsTheSourceMovedByItsShiftWithBackgroundShiftedIn() {
        Path to = dir.resolve("x17");
        assertEquals(JobExit.OK, run("--copies", "17", "--from", source(false).toString(), "--to", to.toString()));
        IdxImages out = images(to);
        assertEquals(17 * COUNT, out.count());
        for (int copy = 0; copy < 17; copy++) {
            PixelShift shift = PixelShift.COPIES.get(copy);
            for (int i = 0; i < COUNT; i++) {
                // Forward: each source pixel lands dx right and dy down, if it stays inside; all else is 0.
                int[] expected = new int[ROWS * COLS];
                for (int r = 0; r < ROWS; r++) {
                    for (int c = 0; c < COLS; c++) {
                        int toRow = r + shift.dy();
                        int toCol = c + shift.dx();
                        if (toRow >= 0 && toRow < ROWS && toCol >= 0 && toCol < COLS) {
                            expected[toRow * COLS + toCol] = sourcePixel(i, r, c);
                        }
                    }
                }
                int[] actual = new int[ROWS * COLS];
                for (int p = 0; p < actual.length; p++) {
                    actual[p] = out.pixels()[(copy * COUNT + i) * ROWS * COLS + p] & 0xFF;
                }
                assertArrayEquals(expected, actual, "copy " + copy + " (" + shift.name() + "), image " + i);
            }
        }
    }

    @Test
    void theDirectionsAreWhatTheirNamesSay() {
        byte[] image = new byte[ROWS * COLS];
        image[COLS + 1] = 9; // row 1, col 1
        byte[] moved = new byte[image.length];
        PixelShift.COPIES.get(1).apply(image, moved, ROWS, COLS);
        assertEquals(9, moved[COLS + 2], "right 1");
        PixelShift.COPIES.get(3).apply(image, moved, ROWS, COLS);
        assertEquals(9, moved[2 * COLS + 1], "down 1");
        PixelShift.COPIES.get(16).apply(image, moved, ROWS, COLS);
        assertTrue(Arrays.equals(new byte[image.length], moved), "up-left 2 pushes (1, 1) off the image");
        assertEquals(17, PixelShift.COPIES.stream().map(s -> s.dx() + "," + s.dy()).distinct().count(), "17 distinct shifts");
    }

    @Test
    void fourCopiesHaveFourTimesTheImagesAndTheLabelsRepeated() {
        Path to = dir.resolve("x4");
        assertEquals(JobExit.OK, run("--copies", "4", "--from", source(false).toString(), "--to", to.toString()));
        assertEquals(4 * COUNT, images(to).count());
        byte[] expected = new byte[4 * COUNT];
        for (int copy = 0; copy < 4; copy++) {
            System.arraycopy(LABELS, 0, expected, copy * COUNT, COUNT);
        }
        assertArrayEquals(expected, labels(to).labels());
    }

    @Test
    void oneCopyOfAGzippedSourceIsThePlainSourceAndTestFilesAreCopiedAsTheyAre() throws IOException {
        Path from = source(true);
        Path to = dir.resolve("x1");
        assertEquals(JobExit.OK, run("--copies", "1", "--from", from.toString(), "--to", to.toString()));
        IdxImages original = SmallSource.readImages(from.resolve("train-images-idx3-ubyte.gz"));
        assertArrayEquals(original.pixels(), images(to).pixels());
        for (String test : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            assertArrayEquals(Files.readAllBytes(from.resolve(test)), Files.readAllBytes(to.resolve(test)), test);
        }
        try (Stream<Path> files = Files.list(to)) {
            assertEquals(4, files.count(), "the four idx files and nothing else");
        }
    }

    @Test
    void anExistingTargetIsKeptUnlessOverwriteIsGiven() throws IOException {
        Path from = source(false);
        Path to = dir.resolve("out");
        assertEquals(JobExit.OK, run("--copies", "2", "--from", from.toString(), "--to", to.toString()));
        assertEquals(JobExit.BAD_INPUT, run("--copies", "3", "--from", from.toString(), "--to", to.toString()));
        assertEquals(2 * COUNT, images(to).count());
        assertEquals(JobExit.OK, run("--copies", "3", "--from", from.toString(), "--to", to.toString(), "--overwrite"));
        assertEquals(3 * COUNT, images(to).count());
        try (Stream<Path> siblings = Files.list(dir)) {
            assertEquals(List.of("out", "plain"), siblings.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary or old directory is left beside the target");
        }
    }

    @Test
    void aBrokenSourceLeavesNoTarget() {
        Path from = source(false);
        IdxFiles.write(from.resolve("train-images-idx3-ubyte"), Arrays.copyOf(SmallSource.randomImages(COUNT, 1), 30));
        Path to = dir.resolve("broken");
        assertEquals(JobExit.BAD_INPUT, run("--copies", "2", "--from", from.toString(), "--to", to.toString()));
        assertFalse(Files.exists(to));
    }

    @Test
    void badArgumentsAreRefusedWithExitTwo() {
        String from = source(false).toString();
        String to = dir.resolve("never").toString();
        assertEquals(JobExit.BAD_INPUT, run("--copies", "18", "--from", from, "--to", to));
        assertEquals(JobExit.BAD_INPUT, run("--copies", "0", "--from", from, "--to", to));
        assertEquals(JobExit.BAD_INPUT, run("--copies", "two", "--from", from, "--to", to));
        assertEquals(JobExit.BAD_INPUT, run("--copies", "2", "--from", from));
        assertEquals(JobExit.BAD_INPUT, run("--copies", "2", "--from", from, "--to", to, "--fast"));
        assertEquals(JobExit.BAD_INPUT, run("--copies"));
        assertEquals(JobExit.OK, run("--help"));
        assertFalse(Files.exists(Path.of(to)));
    }
}
