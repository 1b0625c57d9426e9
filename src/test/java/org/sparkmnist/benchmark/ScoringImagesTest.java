package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkmnist.benchmark.SmallSource.COLS;
import static org.sparkmnist.benchmark.SmallSource.COUNT;
import static org.sparkmnist.benchmark.SmallSource.ROWS;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.testing.IdxFiles;

class ScoringImagesTest {

    /** The second source, standing for MNIST's training set: two images labelled 9 and 0. */
    private static final byte[] SECOND_LABELS = {9, 0};
    private static final int SHIFTS = PixelShift.WITHIN_THREE.size();
    private static final int WIDTH = ROWS * COLS;

    @TempDir
    Path dir;

    private org.apache.hadoop.fs.Path file(String name, byte[] content) {
        return new org.apache.hadoop.fs.Path(IdxFiles.write(dir.resolve("source").resolve(name), content).toUri());
    }

    /** SmallSource's three images (gzipped or not), then two more of another seed: a test set and a training set. */
    private List<ScoringImages.Source> sources(boolean gzipped) {
        byte[] first = SmallSource.randomImages(COUNT, 7);
        return List.of(new ScoringImages.Source(file("test" + (gzipped ? ".gz" : ""), gzipped ? IdxFiles.gzip(first) : first),
                        file("test-labels", SmallSource.labels())),
                new ScoringImages.Source(file("train", SmallSource.randomImages(SECOND_LABELS.length, 8)), file("train-labels",
                        IdxFiles.labels(SECOND_LABELS))));
    }

    private static byte[] image(IdxImages images, int index) {
        return Arrays.copyOfRange(images.pixels(), index * WIDTH, (index + 1) * WIDTH);
    }

    private static byte[] shifted(IdxImages source, int index, PixelShift shift) {
        byte[] expected = new byte[WIDTH];
        shift.apply(image(source, index), expected, ROWS, COLS);
        return expected;
    }

    @Test
    void theShiftsStartWithTheScaledCopiesAndReachEveryMoveOfAtMostThreePixels() {
        assertEquals(PixelShift.COPIES, PixelShift.WITHIN_THREE.subList(0, PixelShift.COPIES.size()));
        Set<List<Integer>> moves = new HashSet<>();
        for (PixelShift shift : PixelShift.WITHIN_THREE) {
            assertTrue(Math.abs(shift.dx()) <= 3 && Math.abs(shift.dy()) <= 3, shift.toString());
            moves.add(List.of(shift.dx(), shift.dy()));
        }
        assertEquals(49, moves.size(), "every move of -3..3 pixels each way, once");
        assertEquals(49, PixelShift.WITHIN_THREE.size());
    }

    @Test
    void theFirstSourceComesWithEveryShiftThenTheSecondCutAtTheCount() throws IOException {
        List<ScoringImages.Source> sources = sources(true);
        int count = COUNT * SHIFTS + 3;
        Path written = ScoringImages.write(sources, count, false, dir.resolve("out"));
        IdxImages out = SmallSource.readImages(written.resolve(ScoringImages.IMAGES));
        IdxImages first = SmallSource.readImages(Path.of(sources.get(0).images().toUri()));
        IdxImages second = SmallSource.readImages(Path.of(sources.get(1).images().toUri()));
        IdxLabels labels = IdxFiles.readLabels(written.resolve(ScoringImages.LABELS));
        assertEquals(count, out.count());
        assertEquals(count, labels.count());
        for (int i = 0; i < count; i++) {
            boolean inFirst = i < COUNT * SHIFTS;
            int k = inFirst ? i : i - COUNT * SHIFTS;
            int size = inFirst ? COUNT : SECOND_LABELS.length;
            PixelShift shift = PixelShift.WITHIN_THREE.get(k / size);
            assertArrayEquals(shifted(inFirst ? first : second, k % size, shift), image(out, i), "image " + i + ", " + shift.name());
            assertEquals(inFirst ? SmallSource.LABELS[k % size] : SECOND_LABELS[k % size], labels.labels()[i], "label of image " + i);
        }
        // Copy 0 is the first source unshifted: the 10,000-image input is the test set itself.
        assertArrayEquals(Arrays.copyOf(first.pixels(), COUNT * WIDTH), Arrays.copyOf(out.pixels(), COUNT * WIDTH));
    }

    @Test
    void thePngDirectoryHoldsTheIdxImagesInOrderAndItsCsvLabelsEach() throws IOException {
        Path written = ScoringImages.write(sources(false), 12, true, dir.resolve("out"));
        IdxImages idx = SmallSource.readImages(written.resolve(ScoringImages.IMAGES));
        byte[] idxLabels = IdxFiles.readLabels(written.resolve(ScoringImages.LABELS)).labels();
        List<String> csv = Files.readAllLines(written.resolve(PngDigits.LABELS));
        assertEquals("file,label", csv.get(0));
        assertEquals(13, csv.size(), "the header and a line per image");
        List<Path> files;
        try (Stream<Path> listed = Files.list(written.resolve(PngDigits.DIRECTORY))) {
            files = listed.sorted().toList();
        }
        assertEquals(12, files.size(), "nothing but the images in the directory");
        for (int i = 0; i < 12; i++) {
            String name = files.get(i).getFileName().toString();
            assertEquals(String.format("%02d_%d.png", i, idxLabels[i]), name, "names sort in the idx file's order");
            assertEquals(name + "," + idxLabels[i], csv.get(i + 1));
            BufferedImage png = ImageIO.read(files.get(i).toFile());
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, png.getType(), name);
            byte[] pixels = (byte[]) png.getRaster().getDataElements(0, 0, COLS, ROWS, null);
            assertArrayEquals(image(idx, i), pixels, name);
        }
    }

    @Test
    void aRewriteReplacesThePreviousInputPngFilesIncludedAndLeavesNothingBeside() throws IOException {
        Path out = dir.resolve("out");
        ScoringImages.write(sources(false), 6, true, out);
        ScoringImages.write(sources(false), 2, false, out);
        assertEquals(2, SmallSource.readImages(out.resolve(ScoringImages.IMAGES)).count());
        assertFalse(Files.exists(out.resolve(PngDigits.DIRECTORY)));
        assertFalse(Files.exists(out.resolve(PngDigits.LABELS)));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertEquals(2, siblings.count(), "source/ and out/, no temporary directory left");
        }
    }

    @Test
    void aFileTheBenchmarkDidNotWriteIsNeverDeleted() throws IOException {
        Path out = dir.resolve("out");
        ScoringImages.write(sources(false), 4, true, out);
        Path foreign = Files.writeString(out.resolve(PngDigits.DIRECTORY).resolve("mine.png"), "someone else's");
        assertThrows(IOException.class, () -> ScoringImages.write(sources(false), 4, true, out));
        assertTrue(Files.exists(foreign));
    }

    @Test
    void moreImagesThanTheShiftsOfBothSourcesCanMakeAreRefusedBeforeWriting() {
        int most = (COUNT + SECOND_LABELS.length) * SHIFTS;
        String message = assertThrows(BadInputException.class, () -> ScoringImages.write(sources(false), most + 1, true,
                dir.resolve("out"))).getMessage();
        assertTrue(message.contains("expected 1.." + most), message);
        assertFalse(Files.exists(dir.resolve("out")));
    }
}
