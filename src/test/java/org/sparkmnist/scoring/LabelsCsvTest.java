package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;

/** The labels CSV of an image directory: "file,label", then one line per image. */
class LabelsCsvTest {

    @TempDir
    Path dir;

    private Map<String, Integer> read(String content) throws IOException {
        Path file = Files.writeString(dir.resolve("labels.csv"), content);
        return LabelsCsv.read(new org.apache.hadoop.fs.Path(file.toUri()), 10, new Configuration());
    }

    private String refusal(String content) {
        return assertThrows(BadInputException.class, () -> read(content)).getMessage();
    }

    @Test
    void pathsRelativeToTheDirectoryWithTheLabelAfterTheLastComma() throws IOException {
        Map<String, Integer> labels = read("file,label\n0001.png,7\nbatch 2/odd, name.png,3\n\n  x.jpg , 0 \n");
        assertEquals(Map.of("0001.png", 7, "batch 2/odd, name.png", 3, "x.jpg", 0), labels);
    }

    @Test
    void theHeaderIsRequired() {
        assertTrue(refusal("0001.png,7\n").contains("line 1 must be the header \"file,label\", got \"0001.png,7\""));
        assertTrue(refusal("").contains("line 1 must be the header \"file,label\", got an empty file"));
    }

    @Test
    void badLinesAreNamedByNumber() {
        assertTrue(refusal("file,label\na.png,7\nb.png,ten\n").contains("line 3 has label \"ten\"; expected a whole number 0..9"));
        assertTrue(refusal("file,label\na.png,10\n").contains("line 2 has label 10; expected 0..9"));
        assertTrue(refusal("file,label\na.png\n").contains("line 2 must be \"<file>,<label>\""));
        assertTrue(refusal("file,label\na.png,1\na.png,2\n").contains("line 3 labels a.png a second time"));
        assertTrue(refusal("file,label\n\n").contains("labels no image"));
    }
}
