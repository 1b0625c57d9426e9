package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkmnist.BadInputException;

/** The labels CSV of an image directory: "file,label", then one line per image. */
class LabelsCsvTest {

    @TempDir
    Path dir;

    /** The labels of a directory of {@code files} files to score. */
    private Map<String, Integer> read(String content, long files) throws IOException {
        Path file = Files.writeString(dir.resolve("labels.csv"), content);
        return LabelsCsv.read(new org.apache.hadoop.fs.Path(file.toUri()), 10, "images", files, new Configuration());
    }

    private Map<String, Integer> read(String content) throws IOException {
        return read(content, 100);
    }

    private String refusal(String content) {
        return refusal(content, 100);
    }

    private String refusal(String content, long files) {
        return assertThrows(BadInputException.class, () -> read(content, files)).getMessage();
    }

    /** What this thread has allocated on the heap so far. */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void pathsRelativeToTheDirectoryWithTheLabelAfterTheLastComma() throws IOException {
        Map<String, Integer> labels = read("file,label\n0001.png,7\nbatch 2/odd, name.png,3\n\n  x.jpg , 0 \n");
        assertEquals(Map.of("0001.png", 7, "batch 2/odd, name.png", 3, "x.jpg", 0), labels);
    }

    /** Each way a labels file can be malformed, and what its refusal must say. */
    static Stream<Arguments> malformedFiles() {
        return Stream.of(
                refused("no header", "0001.png,7\n", "line 1 must be the header \"file,label\", got \"0001.png,7\""),
                refused("an empty file", "", "line 1 must be the header \"file,label\", got an empty file"),
                refused("a label that is no number", "file,label\na.png,7\nb.png,ten\n", "line 3 has label \"ten\"; expected a whole number 0..9"),
                refused("a label above 9", "file,label\na.png,10\n", "line 2 has label 10; expected 0..9"),
                refused("a row without a label", "file,label\na.png\n", "line 2 must be \"<file>,<label>\""),
                refused("a file labelled twice", "file,label\na.png,1\na.png,2\n", "line 3 labels a.png a second time"),
                refused("no row at all", "file,label\n\n", "labels no image"),
                refused("a quoted path spanning lines, then a bad label", "file,label\r\n\"two\r\nlines.png\",1\r\nc.png,ten\r\n",
                        "line 4 has label \"ten\""),
                refused("an unterminated quote", "file,label\na.png,1\n\"b.png,2\nc.png,3\n", "labels.csv line 3 has a quote that is never closed"),
                refused("text after a closing quote", "file,label\n\"a\"b.png,1\n", "line 2 has 'b' after a closing quote"),
                refused("a quoted row with three fields", "file,label\n\"a.png\",extra,1\n", "line 2 must be \"<file>,<label>\""));
    }

    private static Arguments refused(String fault, String content, String expected) {
        return Arguments.of(Named.of(fault, content), expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFiles")
    void aMalformedFileIsRefusedNamingItsLineAndWhatWasExpected(String content, String expected) {
        String message = refusal(content);
        assertTrue(message.contains(expected), message);
    }

    @Test
    void everyLineEndEndsALine() throws IOException {
        assertEquals(Map.of("a.png", 1, "b.png", 2, "c.png", 3), read("file,label\r\na.png,1\rb.png,2\r\n\nc.png,3"));
    }

    /** What pandas' {@code to_csv(..., quoting=csv.QUOTE_ALL, encoding="utf-8-sig", lineterminator="\r\n")} writes. */
    @Test
    void aPandasFileWithItsByteOrderMarkQuotesAndCrLfIsRead() throws IOException {
        Map<String, Integer> labels = read("\uFEFF\"file\",\"label\"\r\n\"batch 2/a, b.png\",\"3\"\r\nplain.png,7\r\n");
        assertEquals(Map.of("batch 2/a, b.png", 3, "plain.png", 7), labels);
    }

    @Test
    void aDoubledQuoteInAQuotedPathIsOneQuote() throws IOException {
        assertEquals(Map.of("say \"hi\".png", 4, " spaced .png", 5), read("file,label\n\"say \"\"hi\"\".png\",4\n\" spaced .png\",5\n"));
    }

    @Test
    void moreLabelsThanTheDirectoryHoldsFilesAreRefusedAtTheFirstOneTooMany() throws IOException {
        assertEquals(2, read("file,label\na.png,1\n\nb.png,2\n", 2).size());
        String message = refusal("file,label\na.png,1\nb.png,2\nc.png,3\nd.png,4\n", 2);
        assertTrue(message.contains("line 4 is one label too many: the directory images (score.input.path) holds 2 files to score"), message);
    }

    /** A file of one 32 MB line: refused at the bound, having read a little more than the bound. */
    @Test
    void aLineLongerThanAnyPathIsRefusedWithoutBeingReadWhole() throws IOException {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(
                Files.writeString(dir.resolve("labels.csv"), "file,label\n" + "a".repeat(32 << 20)).toUri());
        Configuration hadoop = new Configuration();
        // The filesystem and its configuration are loaded before the count starts: they are not the file's cost.
        file.getFileSystem(hadoop).getFileStatus(file);
        long before = allocatedBytes();
        String message = assertThrows(BadInputException.class, () -> LabelsCsv.read(file, 10, "images", 100, hadoop)).getMessage();
        long allocated = allocatedBytes() - before;
        assertTrue(message.contains("line 2 is longer than " + LabelsCsv.LONGEST_LINE + " characters"), message);
        assertTrue(allocated < 4L << 20, allocated + " bytes allocated to refuse one long line");
    }
}
