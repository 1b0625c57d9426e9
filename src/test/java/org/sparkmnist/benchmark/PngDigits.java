package org.sparkmnist.benchmark;

import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The scoring images as a user's directory of image files: one 8-bit grey PNG per image, named
 * {@code <index>_<label>.png} (the index zero-padded, so the names sort in the idx file's order), and
 * beside the directory, not in it, a labels CSV in the scoring job's format ({@code file,label}, README
 * "Scoring"), so the directory holds nothing but images. A 28x28 grey image is what the job's decoder
 * takes byte for byte, so every PNG scores as its idx twin does.
 */
final class PngDigits implements AutoCloseable {

    static final String DIRECTORY = "png";
    static final String LABELS = "png-labels.csv";
    private static final Pattern NAME = Pattern.compile("[0-9]+_[0-9]+\\.png");

    private final Path directory;
    private final String nameFormat;
    private final BufferedWriter labels;
    private final ImageWriter encoder;
    private final BufferedImage image;
    private int written;

    private PngDigits(Path directory, String nameFormat, BufferedWriter labels, int rows, int cols) {
        this.directory = directory;
        this.nameFormat = nameFormat;
        this.labels = labels;
        this.encoder = ImageIO.getImageWritersByFormatName("png").next();
        this.image = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
    }

    /** Starts {@link #DIRECTORY} and {@link #LABELS} in {@code parent}, for {@code count} images of rows x cols. */
    static PngDigits create(Path parent, int count, int rows, int cols) throws IOException {
        Path directory = Files.createDirectory(parent.resolve(DIRECTORY));
        BufferedWriter labels = Files.newBufferedWriter(parent.resolve(LABELS), StandardCharsets.UTF_8);
        labels.write("file,label\n");
        return new PngDigits(directory, "%0" + String.valueOf(Math.max(0, count - 1)).length() + "d_%d.png", labels, rows, cols);
    }

    /** Writes the next image, its pixels row-major, one unsigned byte each. */
    void add(byte[] pixels, int label) throws IOException {
        image.getRaster().setDataElements(0, 0, image.getWidth(), image.getHeight(), pixels);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        // In memory: ImageIO's default output stream would go through a temporary file for every image.
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            encoder.setOutput(out);
            encoder.write(image);
        }
        String name = String.format(nameFormat, written++, label);
        Files.write(directory.resolve(name), bytes.toByteArray());
        labels.write(name + "," + label + "\n");
    }

    @Override
    public void close() throws IOException {
        encoder.dispose();
        labels.close();
    }

    /** What {@link #create} wrote in {@code parent}: the PNG files it names as it does, the directory once empty, the labels. */
    static void deleteWritten(Path parent) throws IOException {
        Path directory = parent.resolve(DIRECTORY);
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, p -> NAME.matcher(p.getFileName().toString()).matches())) {
                for (Path file : files) {
                    Files.delete(file);
                }
            }
            Files.delete(directory);
        }
        Files.deleteIfExists(parent.resolve(LABELS));
    }
}
