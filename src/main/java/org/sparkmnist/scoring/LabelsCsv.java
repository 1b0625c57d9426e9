package org.sparkmnist.scoring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.sparkmnist.BadInputException;

/**
 * The labels of a directory of images: a CSV file whose first line is {@code file,label} and whose
 * other lines are an image's path relative to the directory, with '/' between directories, and its
 * label, e.g. {@code 2024-05/seven.png,7}. The label is after the last comma, so file names may
 * hold commas; blank lines are skipped. Read and checked whole on the driver, before Spark starts:
 * a label per image is a few dozen bytes. What is read is bounded by the directory, whatever the
 * file holds: at most one label per file to score, and no line longer than {@link #LONGEST_LINE}.
 */
final class LabelsCsv {

    static final String HEADER = "file,label";
    /** Characters of one line: a path four times as long as Linux allows one (4,096), and its label. */
    static final int LONGEST_LINE = 16 * 1024;

    private LabelsCsv() {
    }

    /**
     * @param directory the directory the labels are of, for messages
     * @param files     how many files to score it holds: a label file with more lines is refused at the first line too many
     */
    static Map<String, Integer> read(Path file, int classes, String directory, long files, Configuration hadoop) {
        Map<String, Integer> labels = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(file.getFileSystem(hadoop).open(file), StandardCharsets.UTF_8))) {
            String header = readLine(in, file, 1);
            if (header == null || !header.strip().replace("\uFEFF", "").equals(HEADER)) {
                throw bad(file, 1, "must be the header \"" + HEADER + "\", got " + (header == null ? "an empty file" : "\"" + header + "\""));
            }
            int number = 1;
            for (String line = readLine(in, file, ++number); line != null; line = readLine(in, file, ++number)) {
                if (line.isBlank()) {
                    continue;
                }
                if (labels.size() == files) {
                    throw bad(file, number, "is one label too many: the directory " + directory + " (score.input.path) holds " + files
                            + (files == 1 ? " file" : " files") + " to score; expected at most one line per image");
                }
                int comma = line.lastIndexOf(',');
                if (comma <= 0) {
                    throw bad(file, number, "must be \"<file>,<label>\", got \"" + line + "\"");
                }
                String name = line.substring(0, comma).strip();
                String text = line.substring(comma + 1).strip();
                int label;
                try {
                    label = Integer.parseInt(text);
                } catch (NumberFormatException e) {
                    throw bad(file, number, "has label \"" + text + "\"; expected a whole number 0.." + (classes - 1));
                }
                if (label < 0 || label >= classes) {
                    throw bad(file, number, "has label " + label + "; expected 0.." + (classes - 1) + " (the model's classes)");
                }
                if (labels.put(name, label) != null) {
                    throw bad(file, number, "labels " + name + " a second time");
                }
            }
        } catch (IOException e) {
            throw new BadInputException("labels file " + file + " (score.input.labels) cannot be read: " + e.getMessage(), e);
        }
        if (labels.isEmpty()) {
            throw new BadInputException("labels file " + file + " (score.input.labels) labels no image; expected lines \"<file>,<label>\" after its header");
        }
        return labels;
    }

    /**
     * The next line without its end ("\n", "\r" or "\r\n", as {@link BufferedReader#readLine} has
     * them), or null at the end; refused once it is longer than {@link #LONGEST_LINE}, before more is read.
     */
    private static String readLine(BufferedReader in, Path file, int number) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); ; c = in.read()) {
            if (c < 0) {
                return line.isEmpty() ? null : line.toString();
            }
            if (c == '\n') {
                return line.toString();
            }
            if (c == '\r') {
                in.mark(1);
                if (in.read() != '\n') {
                    in.reset();
                }
                return line.toString();
            }
            if (line.length() == LONGEST_LINE) {
                throw bad(file, number, "is longer than " + LONGEST_LINE + " characters; expected an image's path and its label");
            }
            line.append((char) c);
        }
    }

    private static BadInputException bad(Path file, int line, String problem) {
        return new BadInputException("labels file " + file + " line " + line + " " + problem);
    }
}
