package org.sparkmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.testing.IdxFiles;

/** The writer against MNIST's published layout (written out byte by byte here) and against the reader. */
class IdxWriterTest {

    @TempDir
    Path dir;

    @Test
    void imagesAreWrittenInMnistsLayout() {
        byte[] pixels = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, (byte) 255};
        assertArrayEquals(IdxFiles.rawImages(0x00000803, 2, 2, 3, pixels), IdxFiles.images(2, 3, pixels));
    }

    @Test
    void labelsAreWrittenInMnistsLayout() {
        byte[] labels = {5, 0, 4, 1, 9};
        assertArrayEquals(IdxFiles.rawLabels(0x00000801, 5, labels), IdxFiles.labels(labels));
    }

    @Test
    void whatTheReaderReadsTheWriterWritesBackByteForByte() throws IOException {
        IdxReader reader = new IdxReader(new Configuration());
        byte[] images = IdxFiles.randomImages(9, 4, 7, 3);
        byte[] labels = IdxFiles.cyclicLabels(9, 10);
        ByteArrayOutputStream imagesAgain = new ByteArrayOutputStream();
        IdxWriter.images(imagesAgain, reader.readImages(hadoopPath(IdxFiles.write(dir.resolve("images"), images)), 4, 7));
        ByteArrayOutputStream labelsAgain = new ByteArrayOutputStream();
        IdxWriter.labels(labelsAgain, reader.readLabels(hadoopPath(IdxFiles.write(dir.resolve("labels"), labels)), 10));
        assertArrayEquals(images, imagesAgain.toByteArray());
        assertArrayEquals(labels, labelsAgain.toByteArray());
    }

    @Test
    void aBodyShorterThanItsHeaderFailsOnClose() {
        IOException e = assertThrows(IOException.class, () -> {
            try (IdxWriter writer = IdxWriter.open(new ByteArrayOutputStream(), IdxHeader.images(3, 2, 2))) {
                writer.write(new byte[8]);
            }
        });
        assertTrue(e.getMessage().contains("8 bytes of the 12"), e.getMessage());
    }

    @Test
    void aBodyLongerThanItsHeaderIsRefusedBeforeItIsWritten() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IdxWriter writer = IdxWriter.open(out, IdxHeader.labels(3));
        writer.write(new byte[2]);
        assertThrows(IOException.class, () -> writer.write(new byte[2]));
        assertEquals(8 + 2, out.size());
    }

    private static org.apache.hadoop.fs.Path hadoopPath(Path file) {
        return new org.apache.hadoop.fs.Path(file.toUri());
    }
}
