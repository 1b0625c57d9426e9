package org.sparkmnist.scoring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.sparkmnist.BadInputException;

/**
 * The labels of a directory of images: a CSV file whose first line is {@code file,label} and whose
 * other lines are an image's path relative to the directory, with '/' between directories, and its
 * label, e.g. {@code 2024-05/seven.png,7}. Read as spreadsheets and pandas write CSV (RFC 4180): a
 * field may be quoted, a quote inside it doubled ({@code "a ""b"", c.png",7}), and a quoted field may
 * span lines; a UTF-8 byte order mark before the header is dropped, and "\n", "\r\n" and "\r" each
 * end a line. An unquoted path may hold commas too, as files written before quoting was read do: the
 * label is then after the last comma. Blank lines are skipped. Read and checked whole on the driver,
 * before Spark starts: a label per image is a few dozen bytes. What is read is bounded by the
 * directory, whatever the file holds: at most one label per file to score, and no row longer than
 * {@link #LONGEST_LINE}. Public for the benchmark's one-JVM baseline, which reads the same labels.
 */
public final class LabelsCsv {

    static final String HEADER = "file,label";
    /** Characters of one row: a path four times as long as Linux allows one (4,096), and its label. */
    static final int LONGEST_LINE = 16 * 1024;

    private LabelsCsv() {
    }

    /**
     * @param directory the directory the labels are of, for messages
     * @param files     how many files to score it holds: a label file with more lines is refused at the first line too many
     */
    public static Map<String, Integer> read(Path file, int classes, String directory, long files, Configuration hadoop) {
        Map<String, Integer> labels = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(file.getFileSystem(hadoop).open(file), StandardCharsets.UTF_8))) {
            Rows rows = new Rows(in, file);
            Row header = rows.next();
            if (header == null || !header.isHeader()) {
                throw bad(file, 1, "must be the header \"" + HEADER + "\", got " + (header == null ? "an empty file" : "\"" + header.text() + "\""));
            }
            for (Row row = rows.next(); row != null; row = rows.next()) {
                if (row.isBlank()) {
                    continue;
                }
                int number = row.line();
                if (labels.size() == files) {
                    throw bad(file, number, "is one label too many: the directory " + directory + " (score.input.path) holds " + files
                            + (files == 1 ? " file" : " files") + " to score; expected at most one line per image");
                }
                String name = row.name();
                if (name == null) {
                    throw bad(file, number, "must be \"<file>,<label>\", got \"" + row.text() + "\"");
                }
                String text = row.fields().get(row.fields().size() - 1);
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
     * One row: its fields (unquoted ones stripped of surrounding blanks, quoted ones exactly as
     * quoted), whether any was quoted, the line it starts on, and its text as read, for messages.
     */
    private record Row(List<String> fields, boolean quoted, int line, String text) {

        boolean isBlank() {
            return !quoted && fields.size() == 1 && fields.get(0).isEmpty();
        }

        boolean isHeader() {
            return fields.equals(List.of("file", "label"));
        }

        /** The image's path, or null when the row is not a path and a label. */
        String name() {
            if (fields.size() < 2) {
                return null;
            }
            if (fields.size() == 2) {
                return fields.get(0).isEmpty() ? null : fields.get(0);
            }
            if (quoted) {
                // Whoever quotes quotes a path with commas: more fields are a mistake, not a path.
                return null;
            }
            String name = text.substring(0, text.lastIndexOf(',')).strip();
            return name.isEmpty() ? null : name;
        }
    }

    /** The rows of a CSV file, one at a time, each refused once longer than {@link #LONGEST_LINE}. */
    private static final class Rows {

        private final BufferedReader in;
        private final Path file;
        /** The line the next row starts on. */
        private int line = 1;

        Rows(BufferedReader in, Path file) throws IOException {
            this.in = in;
            this.file = file;
            in.mark(1);
            if (in.read() != '\uFEFF') {
                in.reset();
            }
        }

        /** The next row, or null at the end of the file. */
        Row next() throws IOException {
            int start = line;
            List<String> fields = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean anyQuoted = false;
            // Inside quotes; after the closing quote, before the next comma.
            boolean inQuotes = false;
            boolean closed = false;
            for (int c = in.read(); ; c = in.read()) {
                if (c < 0) {
                    if (inQuotes) {
                        throw bad(file, start, "has a quote that is never closed; expected a closing \" before the end of the file");
                    }
                    if (text.isEmpty() && fields.isEmpty()) {
                        return null;
                    }
                    fields.add(quoted ? field.toString() : field.toString().strip());
                    return new Row(List.copyOf(fields), anyQuoted, start, text.toString());
                }
                if (text.length() == LONGEST_LINE) {
                    throw bad(file, start, "is longer than " + LONGEST_LINE + " characters; expected an image's path and its label");
                }
                if (inQuotes) {
                    if (c == '"') {
                        in.mark(1);
                        if (in.read() == '"') {
                            field.append('"');
                            text.append("\"\"");
                            continue;
                        }
                        in.reset();
                        inQuotes = false;
                        closed = true;
                    } else {
                        if (c == '\n' || c == '\r' && peek() != '\n') {
                            line++;
                        }
                        field.append((char) c);
                    }
                    text.append((char) c);
                    continue;
                }
                if (c == '\n' || c == '\r') {
                    if (c == '\r') {
                        crlf();
                    }
                    line++;
                    fields.add(quoted ? field.toString() : field.toString().strip());
                    return new Row(List.copyOf(fields), anyQuoted, start, text.toString());
                }
                text.append((char) c);
                if (c == ',') {
                    fields.add(quoted ? field.toString() : field.toString().strip());
                    field.setLength(0);
                    quoted = false;
                    closed = false;
                } else if (c == '"' && !quoted && field.toString().isBlank()) {
                    field.setLength(0);
                    quoted = true;
                    anyQuoted = true;
                    inQuotes = true;
                } else if (closed) {
                    if (!Character.isWhitespace(c)) {
                        throw bad(file, start, "has '" + (char) c + "' after a closing quote; expected a comma or the end of the line");
                    }
                } else {
                    field.append((char) c);
                }
            }
        }

        /** After a '\r': consumes a '\n' that follows it. */
        private void crlf() throws IOException {
            if (peek() == '\n') {
                in.read();
            }
        }

        /** The next character, left to be read. */
        private int peek() throws IOException {
            in.mark(1);
            int c = in.read();
            in.reset();
            return c;
        }
    }

    private static BadInputException bad(Path file, int line, String problem) {
        return new BadInputException("labels file " + file + " line " + line + " " + problem);
    }
}
