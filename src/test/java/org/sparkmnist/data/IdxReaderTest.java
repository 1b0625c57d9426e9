package org.sparkmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;
import org.sparkmnist.testing.IdxFiles;

class IdxReaderTest {

    @TempDir
    Path dir;

    private final IdxReader reader = new IdxReader(new Configuration());

    private IdxImages readImages(byte[] content) {
        Path file = IdxFiles.write(dir.resolve("images"), content);
        return reader.readImages(new org.apache.hadoop.fs.Path(file.toUri()), 2, 3);
    }

    private IdxLabels readLabels(byte[] content) {
        Path file = IdxFiles.write(dir.resolve("labels"), content);
        return reader.readLabels(new org.apache.hadoop.fs.Path(file.toUri()), 10);
    }

    private static String failure(Runnable read) {
        return assertThrows(BadInputException.class, read::run).getMessage();
    }

    @Test
    void readsEveryPixelOfAValidImageFile() {
        byte[] pixels = {0, 1, 2, 3, 4, 5, (byte) 250, 7, 8, 9, 10, (byte) 255};
        IdxImages images = readImages(IdxFiles.images(0x803, 2, 2, 3, pixels));
        assertEquals(2, images.count());
        assertArrayEquals(pixels, images.pixels());
        assertEquals(255, images.pixel(1, 5));
        assertEquals(250, images.pixel(1, 0));
    }

    @Test
    void readsGzippedFilesWhateverTheirName() {
        byte[] content = IdxFiles.randomImages(5, 2, 3, 9);
        IdxImages plain = readImages(content);
        IdxImages gzipped = readImages(IdxFiles.gzip(content));
        assertArrayEquals(plain.pixels(), gzipped.pixels());
    }

    @Test
    void locatesTheGzippedFormWhenOnlyItExists() {
        IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxFiles.gzip(IdxFiles.cyclicLabels(4, 10)));
        org.apache.hadoop.fs.Path found = reader.locate(dir.toString(), "t10k-labels-idx1-ubyte");
        assertTrue(found.getName().endsWith(".gz"));
        assertEquals(4, reader.readLabels(found, 10).count());
    }

    @Test
    void missingFileNamesTheFileAndHowToGetIt() {
        String message = failure(() -> reader.locate(dir.toString(), "train-images-idx3-ubyte"));
        assertTrue(message.contains("train-images-idx3-ubyte"), message);
        assertTrue(message.contains("fetch-mnist"), message);
    }

    @Test
    void missingDirectoryIsSaidToBeMissing() {
        String message = failure(() -> reader.locate(dir.resolve("nowhere").toString(), "x"));
        assertTrue(message.contains("does not exist"), message);
    }

    @Test
    void wrongMagicNumberIsRejectedWithBothNumbers() {
        String message = failure(() -> readImages(IdxFiles.images(0x801, 1, 2, 3, new byte[6])));
        assertTrue(message.contains("0x00000801") && message.contains("0x00000803"), message);
    }

    @Test
    void labelFileGivenAsImagesIsRejected() {
        String message = failure(() -> readLabels(IdxFiles.randomImages(1, 2, 3, 1)));
        assertTrue(message.contains("magic number"), message);
    }

    @Test
    void truncationAnywhereIsDetected() {
        byte[] whole = IdxFiles.randomImages(3, 2, 3, 4);
        for (int length = 1; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            String message = failure(() -> readImages(cut));
            assertTrue(message.contains("truncated"), "length " + length + ": " + message);
        }
    }

    @Test
    void truncatedGzipStreamIsDetected() {
        byte[] gz = IdxFiles.gzip(IdxFiles.randomImages(30, 2, 3, 4));
        String message = failure(() -> readImages(Arrays.copyOf(gz, gz.length / 2)));
        assertTrue(message.contains("truncated") || message.contains("gzip"), message);
    }

    @Test
    void corruptGzipIsReportedAsSuch() {
        byte[] gz = IdxFiles.gzip(IdxFiles.randomImages(30, 2, 3, 4));
        gz[3] = (byte) 0xFF; // reserved flag bits
        String message = failure(() -> readImages(gz));
        assertTrue(message.contains("gzip"), message);
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] whole = IdxFiles.randomImages(3, 2, 3, 4);
        String message = failure(() -> readImages(Arrays.copyOf(whole, whole.length + 1)));
        assertTrue(message.contains("after"), message);
    }

    @Test
    void emptyFileIsCalledEmpty() {
        String message = failure(() -> readImages(new byte[0]));
        assertTrue(message.contains("empty"), message);
    }

    @Test
    void unexpectedImageSizeNamesTheConfigKeys() {
        String message = failure(() -> readImages(IdxFiles.images(0x803, 1, 3, 2, new byte[6])));
        assertTrue(message.contains("3x2") && message.contains("2x3") && message.contains("data.rows"), message);
    }

    @Test
    void labelOutsideTheClassesIsRejectedWithItsPosition() {
        String message = failure(() -> readLabels(IdxFiles.labels(0x801, 3, new byte[] {1, 10, 2})));
        assertTrue(message.contains("label 1 is 10") && message.contains("0..9"), message);
    }

    @Test
    void negativeCountIsRejected() {
        String message = failure(() -> readLabels(IdxFiles.labels(0x801, -1, new byte[0])));
        assertTrue(message.contains("-1"), message);
    }

    @Test
    void messagesNameTheFile() throws Exception {
        Path file = IdxFiles.write(dir.resolve("broken-file"), new byte[] {0, 0, 8, 3, 0});
        String message = failure(() -> reader.readImages(new org.apache.hadoop.fs.Path(file.toUri()), 2, 3));
        assertTrue(message.contains("broken-file"), message);
        assertTrue(Files.exists(file));
    }
}
