package org.sparkmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.testing.IdxFiles;

class IdxImageFileTest {

    @TempDir
    Path dir;

    private final Configuration hadoop = new Configuration();

    private IdxImageFile check(String name, byte[] content) {
        Path file = IdxFiles.write(dir.resolve(name), content);
        return new IdxReader(hadoop).checkImages(new org.apache.hadoop.fs.Path(file.toUri()), 2, 3);
    }

    private static byte[] pixelsOf(byte[] idx) {
        return Arrays.copyOfRange(idx, IdxHeader.Kind.IMAGES.headerBytes(), idx.length);
    }

    @Test
    void opensAPlainFileAtAnyImage() throws IOException {
        byte[] content = IdxFiles.randomImages(7, 2, 3, 5);
        IdxImageFile file = check("plain", content);
        for (int first = 0; first < 7; first++) {
            try (InputStream in = file.openAt(first, hadoop)) {
                assertArrayEquals(Arrays.copyOfRange(pixelsOf(content), first * 6, 42), in.readAllBytes(), "from image " + first);
            }
        }
    }

    @Test
    void opensAGzippedFileAtAnyImage() throws IOException {
        byte[] content = IdxFiles.randomImages(7, 2, 3, 5);
        IdxImageFile file = check("gzipped", IdxFiles.gzip(content));
        try (InputStream in = file.openAt(4, hadoop)) {
            assertArrayEquals(Arrays.copyOfRange(pixelsOf(content), 24, 42), in.readAllBytes());
        }
    }

    @Test
    void aFileReplacedAfterItsCheckIsNotRead() {
        IdxImageFile file = check("replaced", IdxFiles.randomImages(7, 2, 3, 5));
        IdxFiles.write(dir.resolve("replaced"), IdxFiles.randomImages(6, 2, 3, 5));
        IOException e = assertThrows(IOException.class, () -> file.openAt(0, hadoop).close());
        assertTrue(e.getMessage().contains("changed"), e.getMessage());
        assertEquals(7, file.count());
    }
}
