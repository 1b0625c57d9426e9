package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkmnist.benchmark.SmallSource.COLS;
import static org.sparkmnist.benchmark.SmallSource.COUNT;
import static org.sparkmnist.benchmark.SmallSource.ROWS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.testing.IdxFiles;

class ScoringImagesTest {

    @TempDir
    Path dir;

    private org.apache.hadoop.fs.Path images(boolean gzipped) {
        byte[] idx = SmallSource.randomImages(COUNT, 7);
        Path file = IdxFiles.write(dir.resolve("source/images" + (gzipped ? ".gz" : "")), gzipped ? IdxFiles.gzip(idx) : idx);
        return new org.apache.hadoop.fs.Path(file.toUri());
    }

    private org.apache.hadoop.fs.Path labels() {
        return new org.apache.hadoop.fs.Path(IdxFiles.write(dir.resolve("source/labels"), SmallSource.labels()).toUri());
    }

    private IdxImages read(Path written) {
        return SmallSource.readImages(written.resolve(ScoringImages.IMAGES));
    }

    @Test
    void theSourceComesFirstThenItsShiftedCopiesCutAtTheCount() throws IOException {
        org.apache.hadoop.fs.Path source = images(true);
        Path written = ScoringImages.write(source, labels(), 8, dir.resolve("out"));
        IdxImages out = read(written);
        IdxImages original = SmallSource.readImages(Path.of(source.toUri()));
        assertEquals(8, out.count());
        int width = ROWS * COLS;
        for (int i = 0; i < 8; i++) {
            PixelShift shift = PixelShift.COPIES.get(i / COUNT);
            byte[] expected = new byte[width];
            shift.apply(Arrays.copyOfRange(original.pixels(), (i % COUNT) * width, (i % COUNT + 1) * width), expected, ROWS, COLS);
            assertArrayEquals(expected, Arrays.copyOfRange(out.pixels(), i * width, (i + 1) * width), "image " + i + ", " + shift.name());
        }
        // Copy 0 is the source unshifted: the 10,000-image input is the test set itself.
        assertArrayEquals(Arrays.copyOf(original.pixels(), COUNT * width), Arrays.copyOf(out.pixels(), COUNT * width));
        IdxLabels labels = IdxFiles.readLabels(written.resolve(ScoringImages.LABELS));
        assertArrayEquals(new byte[] {3, 1, 4, 3, 1, 4, 3, 1}, labels.labels());
    }

    @Test
    void aRewriteReplacesThePreviousInputAndLeavesNothingBeside() throws IOException {
        Path out = dir.resolve("out");
        ScoringImages.write(images(false), labels(), 6, out);
        ScoringImages.write(images(false), labels(), 2, out);
        assertEquals(2, read(out).count());
        try (Stream<Path> siblings = Files.list(dir)) {
            assertEquals(2, siblings.count(), "source/ and out/, no temporary directory left");
        }
    }

    @Test
    void moreImagesThanTheShiftsCanMakeIsRefusedBeforeWriting() {
        int most = COUNT * PixelShift.COPIES.size();
        String message = assertThrows(BadInputException.class, () -> ScoringImages.write(images(false), labels(), most + 1,
                dir.resolve("out"))).getMessage();
        assertTrue(message.contains("expected 1.." + most), message);
        assertFalse(Files.exists(dir.resolve("out")));
    }
}
