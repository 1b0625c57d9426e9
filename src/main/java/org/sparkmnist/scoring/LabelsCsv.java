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
 * a label per image is a few dozen bytes.
 */
final class LabelsCsv {

    static final String HEADER = "file,label";

    private LabelsCsv() {
    }

    static Map<String, Integer> read(Path file, int classes, Configuration hadoop) {
        Map<String, Integer> labels = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(file.getFileSystem(hadoop).open(file), StandardCharsets.UTF_8))) {
            String header = in.readLine();
            if (header == null || !header.strip().replace("\uFEFF", "").equals(HEADER)) {
                throw bad(file, 1, "must be the header \"" + HEADER + "\", got " + (header == null ? "an empty file" : "\"" + header + "\""));
            }
            int number = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
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

    private static BadInputException bad(Path file, int line, String problem) {
        return new BadInputException("labels file " + file + " line " + line + " " + problem);
    }
}
