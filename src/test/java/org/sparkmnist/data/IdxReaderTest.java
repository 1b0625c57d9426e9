package org.sparkmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkmnist.BadInputException;
import org.sparkmnist.testing.IdxFiles;

class IdxReaderTest {

    @TempDir
    Path dir;

    private final IdxReader reader = new IdxReader(new Configuration());

    /** The driver loads the test images and only checks the training images; both must reject the same files alike. */
    enum Mode { LOAD, CHECK }

    private IdxImages readImages(byte[] content) {
        Path file = IdxFiles.write(dir.resolve("images"), content);
        return reader.readImages(new org.apache.hadoop.fs.Path(file.toUri()), 2, 3);
    }

    private Object readImages(Mode mode, byte[] content) {
        Path file = IdxFiles.write(dir.resolve("images"), content);
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
        return mode == Mode.LOAD ? reader.readImages(path, 2, 3) : reader.checkImages(path, 2, 3);
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
        IdxImages images = readImages(IdxFiles.images(2, 3, pixels));
        assertEquals(2, images.count());
        assertArrayEquals(pixels, images.pixels());
        assertEquals(255, images.pixels()[6 + 5] & 0xFF);
        assertEquals(250, images.pixels()[6] & 0xFF);
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

    @ParameterizedTest
    @EnumSource(Mode.class)
    void wrongMagicNumberIsRejectedWithBothNumbers(Mode mode) {
        String message = failure(() -> readImages(mode, IdxFiles.rawImages(0x801, 1, 2, 3, new byte[6])));
        assertTrue(message.contains("0x00000801") && message.contains("0x00000803"), message);
    }

    @Test
    void labelFileGivenAsImagesIsRejected() {
        String message = failure(() -> readLabels(IdxFiles.randomImages(1, 2, 3, 1)));
        assertTrue(message.contains("magic number"), message);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void truncationAnywhereIsDetected(Mode mode) {
        byte[] whole = IdxFiles.randomImages(3, 2, 3, 4);
        for (int length = 1; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            String message = failure(() -> readImages(mode, cut));
            assertTrue(message.contains("truncated"), "length " + length + ": " + message);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void truncatedGzipStreamIsDetected(Mode mode) {
        byte[] gz = IdxFiles.gzip(IdxFiles.randomImages(30, 2, 3, 4));
        String message = failure(() -> readImages(mode, Arrays.copyOf(gz, gz.length / 2)));
        assertTrue(message.contains("truncated") || message.contains("gzip"), message);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void corruptGzipIsReportedAsSuch(Mode mode) {
        byte[] gz = IdxFiles.gzip(IdxFiles.randomImages(30, 2, 3, 4));
        gz[3] = (byte) 0xFF; // reserved flag bits
        String message = failure(() -> readImages(mode, gz));
        assertTrue(message.contains("gzip"), message);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void corruptionInsideTheCompressedDataIsReportedAsGzipNotAsABadHeader(Mode mode) {
        byte[] gz = IdxFiles.gzip(IdxFiles.randomImages(30, 28, 28, 4));
        // Flipped bits in the deflate data decompress into a garbage header before the checksum is reached.
        for (int i = 20; i < 60; i++) {
            gz[i] ^= 0x5a;
        }
        String message = failure(() -> readImages(mode, gz));
        assertTrue(message.contains("is not a valid gzip file"), message);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aValidGzipKeepsTheRealProblem(Mode mode) {
        String message = failure(() -> readImages(mode, IdxFiles.gzip(IdxFiles.randomImages(3, 20, 20, 4))));
        assertTrue(message.contains("holds 20x20 images"), message);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void trailingBytesAreRejected(Mode mode) {
        byte[] whole = IdxFiles.randomImages(3, 2, 3, 4);
        String message = failure(() -> readImages(mode, Arrays.copyOf(whole, whole.length + 1)));
        assertTrue(message.contains("after"), message);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void emptyFileIsCalledEmpty(Mode mode) {
        String message = failure(() -> readImages(mode, new byte[0]));
        assertTrue(message.contains("empty"), message);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void unexpectedImageSizeNamesTheConfigKeys(Mode mode) {
        String message = failure(() -> readImages(mode, IdxFiles.images(3, 2, new byte[6])));
        assertTrue(message.contains("3x2") && message.contains("2x3") && message.contains("data.rows"), message);
    }

    @Test
    void labelOutsideTheClassesIsRejectedWithItsPosition() {
        String message = failure(() -> readLabels(IdxFiles.labels(new byte[] {1, 10, 2})));
        assertTrue(message.contains("label 1 is 10") && message.contains("0..9"), message);
    }

    @Test
    void negativeCountIsRejected() {
        String message = failure(() -> readLabels(IdxFiles.rawLabels(0x801, -1, new byte[0])));
        assertTrue(message.contains("-1"), message);
    }

    /** What this thread has allocated on the heap so far. */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private org.apache.hadoop.fs.Path write(String name, byte[] content, boolean gzipped) {
        return new org.apache.hadoop.fs.Path(IdxFiles.write(dir.resolve(name), gzipped ? IdxFiles.gzip(content) : content).toUri());
    }

    /** A header that claims 1.5 GB of pixels over ten images: refused, having allocated about what the file holds. */
    @ParameterizedTest(name = "gzipped: {0}")
    @ValueSource(booleans = {false, true})
    void imagesAHeaderClaimsButTheFileLacksAreNeverAllocated(boolean gzipped) {
        org.apache.hadoop.fs.Path file = write("images", IdxFiles.rawImages(0x803, 2_000_000, 28, 28, new byte[10 * 784]), gzipped);
        long before = allocatedBytes();
        String message = failure(() -> reader.readImages(file, 28, 28));
        long allocated = allocatedBytes() - before;
        assertTrue(message.contains("is truncated") && message.contains("2000000 images of 28x28 (1568000000 bytes)"), message);
        assertTrue(allocated < 64L << 20, allocated + " bytes allocated to read a file of 10 images");
    }

    /** The same for two billion labels declared and ten present. */
    @ParameterizedTest(name = "gzipped: {0}")
    @ValueSource(booleans = {false, true})
    void labelsAHeaderClaimsButTheFileLacksAreNeverAllocated(boolean gzipped) {
        org.apache.hadoop.fs.Path file = write("labels", IdxFiles.rawLabels(0x801, 2_000_000_000, new byte[10]), gzipped);
        long before = allocatedBytes();
        String message = failure(() -> reader.readLabels(file, 10));
        long allocated = allocatedBytes() - before;
        assertTrue(message.contains("is truncated") && message.contains("2000000000 labels"), message);
        assertTrue(allocated < 64L << 20, allocated + " bytes allocated to read a file of 10 labels");
    }

    /** Bytes this thread has read from local files through Hadoop's filesystem. */
    private static long bytesReadFromLocalFiles() {
        return FileSystem.getStatistics("file", RawLocalFileSystem.class).getThreadStatistics().getBytesRead();
    }

    /**
     * Ten labels as declared, then a gigabyte more inside the gzip stream: refused as data after the
     * labels, having read a small part of the file, not inflated to its end (which only costs time,
     * but a stream can inflate for as long as anyone likes).
     */
    @Test
    void aGzippedBodyInflatingFarPastItsHeaderIsRefusedWithoutFollowingItToItsEnd() throws Exception {
        Path file = IdxFiles.gzippedLabels(dir.resolve("labels.gz"), 10, new byte[10], 1L << 30);
        long before = bytesReadFromLocalFiles();
        String message = failure(() -> reader.readLabels(new org.apache.hadoop.fs.Path(file.toUri()), 10));
        long read = bytesReadFromLocalFiles() - before;
        assertTrue(message.contains("labels.gz has data after the 10 labels"), message);
        assertTrue(read < Files.size(file) / 4, read + " bytes read of a file of " + Files.size(file));
    }

    /**
     * Two billion labels declared for ten images, in a gzip stream that really inflates to 256 MB:
     * refused for the count once the header is read, without allocating for the body.
     */
    @Test
    void labelsDeclaringMoreThanTheirImagesAreRefusedBeforeTheirBodyIsRead() {
        Path file = IdxFiles.gzippedLabels(dir.resolve("labels.gz"), 2_000_000_000, new byte[0], 256L << 20);
        long before = allocatedBytes();
        String message = failure(() -> reader.readLabels(new org.apache.hadoop.fs.Path(file.toUri()), 10, IdxHeader.images(10, 28, 28),
                "images"));
        long allocated = allocatedBytes() - before;
        assertTrue(message.contains("labels.gz declares 2000000000 labels but images declares 10 images; expected one label per image"),
                message);
        assertTrue(allocated < 16L << 20, allocated + " bytes allocated to refuse a header");
    }

    @Test
    void labelsAgreeingWithTheirImagesAreReadWhole() {
        org.apache.hadoop.fs.Path file = write("labels", IdxFiles.cyclicLabels(12, 10), true);
        assertEquals(12, reader.readLabels(file, 10, IdxHeader.images(12, 28, 28), "images").count());
    }

    /** A plain file's length is metadata: a file shorter than its header says is called truncated, whatever the images say. */
    @Test
    void aShortPlainLabelFileIsCalledTruncatedBeforeItsCountIsCompared() {
        org.apache.hadoop.fs.Path file = write("labels", IdxFiles.rawLabels(0x801, 2_000_000_000, new byte[10]), false);
        String message = failure(() -> reader.readLabels(file, 10, IdxHeader.images(10, 28, 28), "images"));
        assertTrue(message.contains("is truncated") && message.contains("2000000000 labels"), message);
    }

    @Test
    void anImageHeaderIsReadAloneWithAPlainFilesLengthChecked() {
        assertEquals(IdxHeader.images(5, 2, 3), reader.imagesHeader(write("images", IdxFiles.randomImages(5, 2, 3, 9), false), 2, 3));
        String message = failure(() -> reader.imagesHeader(write("short", IdxFiles.rawImages(0x803, 6, 2, 3, new byte[30]), false), 2, 3));
        assertTrue(message.contains("is truncated"), message);
    }

    @Test
    void aGzippedBodyLargerThanItsFirstBufferIsReadWhole() {
        byte[] content = IdxFiles.randomImages(3000, 28, 28, 8);
        IdxImages images = reader.readImages(write("images", content, true), 28, 28);
        assertArrayEquals(Arrays.copyOfRange(content, 16, content.length), images.pixels());
    }

    @Test
    void messagesNameTheFile() throws Exception {
        Path file = IdxFiles.write(dir.resolve("broken-file"), new byte[] {0, 0, 8, 3, 0});
        String message = failure(() -> reader.readImages(new org.apache.hadoop.fs.Path(file.toUri()), 2, 3));
        assertTrue(message.contains("broken-file"), message);
        assertTrue(Files.exists(file));
    }

    @Test
    void checkingAPlainFileGivesItsShapeAndQualifiedUriWithoutItsPixels() {
        IdxImageFile file = (IdxImageFile) readImages(Mode.CHECK, IdxFiles.randomImages(5, 2, 3, 9));
        assertEquals(5, file.count());
        assertEquals(2, file.rows());
        assertEquals(3, file.cols());
        assertEquals(30, file.pixelBytes());
        assertTrue(file.uri().startsWith("file:/"), file.uri());
        assertTrue(!file.gzipped());
    }

    @Test
    void checkingAGzippedFileSaysItIsGzipped() {
        IdxImageFile file = (IdxImageFile) readImages(Mode.CHECK, IdxFiles.gzip(IdxFiles.randomImages(5, 2, 3, 9)));
        assertEquals(5, file.count());
        assertTrue(file.gzipped());
    }

    @Test
    void truncationAnywhereInsideAGzipStreamIsDetectedByTheStreamingCheck() {
        byte[] whole = IdxFiles.randomImages(3, 2, 3, 4);
        for (int length = 1; length < whole.length; length++) {
            byte[] cut = IdxFiles.gzip(Arrays.copyOf(whole, length));
            String message = failure(() -> readImages(Mode.CHECK, cut));
            assertTrue(message.contains("truncated"), "length " + length + ": " + message);
        }
    }

    @Test
    void trailingBytesInsideAGzipStreamAreDetectedByTheStreamingCheck() {
        byte[] whole = IdxFiles.randomImages(3, 2, 3, 4);
        String message = failure(() -> readImages(Mode.CHECK, IdxFiles.gzip(Arrays.copyOf(whole, whole.length + 1))));
        assertTrue(message.contains("after"), message);
    }

    @Test
    void loadingAndCheckingRejectEveryBrokenFileWithTheSameMessage() {
        byte[] whole = IdxFiles.randomImages(3, 2, 3, 4);
        byte[] gz = IdxFiles.gzip(whole);
        byte[] badGzip = gz.clone();
        badGzip[3] = (byte) 0xFF;
        java.util.List<byte[]> broken = java.util.List.of(new byte[0], Arrays.copyOf(whole, 7), Arrays.copyOf(whole, 20),
                Arrays.copyOf(whole, whole.length + 3), IdxFiles.gzip(Arrays.copyOf(whole, 20)), Arrays.copyOf(gz, gz.length / 2),
                badGzip, IdxFiles.rawImages(0x801, 1, 2, 3, new byte[6]), IdxFiles.images(3, 2, new byte[6]),
                IdxFiles.rawImages(0x803, 0, 2, 3, new byte[0]));
        for (byte[] content : broken) {
            assertEquals(failure(() -> readImages(Mode.LOAD, content)), failure(() -> readImages(Mode.CHECK, content)));
        }
    }
}
