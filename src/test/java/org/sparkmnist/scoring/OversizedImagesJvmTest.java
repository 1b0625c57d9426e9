package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.ImageBytes;
import org.sparkmnist.testing.Images;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.Scripts;
import org.sparkmnist.testing.TinyModels;

/**
 * The scoring job, in a JVM of its own with Spark's default memory (a 1 GiB heap, which in local mode
 * is the executor's too), on a directory of ordinary images beside three files made to exhaust it:
 * a 1 GB file that is no image (sparse: it costs no disk), a 20,000 x 20,000 PNG of a few hundred KB,
 * and a 7,000 x 7,000 16-bit RGBA PNG, within score.images.max-pixels, whose whole raster and float
 * planes would take more than the heap. The first two are rejected with their reasons, the third is
 * decoded subsampled and scored, and the job succeeds.
 */
class OversizedImagesJvmTest {

    /** spark.driver.memory's default, which in local mode is all the executor has. */
    private static final String DEFAULT_MEMORY = "-Xmx1g";

    @TempDir
    Path tmp;

    @Test
    void hugeFilesAreRejectedByTheirSizeOrHeaderAndTheOthersScoredWithinADefaultHeap() throws Exception {
        Path run = TinyModels.run(tmp.resolve("runs/trained"), "mlp", TinyModels.softmax(), true);
        Path images = Files.createDirectories(tmp.resolve("digits"));
        Random random = new Random(5);
        Set<String> ordinary = new TreeSet<>();
        for (int i = 0; i < 4; i++) {
            IdxFiles.write(images.resolve(i + ".png"), Images.encode(Images.grey28(Images.mnistLikeDigit(random)), "png"));
            ordinary.add(i + ".png");
        }
        IdxFiles.write(images.resolve("seven.jpg"), Images.encode(Images.drawn(60, 80, BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK,
                g -> g.fillPolygon(new int[] {10, 50, 30, 22}, new int[] {10, 10, 72, 72}, 4)), "jpg"));
        ordinary.add("seven.jpg");
        // A "1": a bar of opaque black on transparent paper, 8 bytes a pixel.
        ImageBytes.streamedPng(images.resolve("poster.png"), 7000, 7000, 16, 6, 8, (y, row) -> {
            Arrays.fill(row, (byte) 0);
            if (y >= 700 && y < 6300) {
                for (int x = 3200; x < 3800; x++) {
                    row[x * 8 + 6] = (byte) 0xFF;
                    row[x * 8 + 7] = (byte) 0xFF;
                }
            }
        });
        ordinary.add("poster.png");
        Path huge = ImageBytes.uniformGreyPng(images.resolve("huge.png"), 20_000, 20_000, 255);
        assertTrue(Files.size(huge) < 1 << 20, Files.size(huge) + " bytes");
        try (RandomAccessFile file = new RandomAccessFile(images.resolve("disk.img").toFile(), "rw")) {
            file.setLength(1L << 30);
        }

        Path output = tmp.resolve("scores");
        Path log = tmp.resolve("job.log");
        Process process = JobRuns.startMain(List.of(DEFAULT_MEMORY), Map.of(), List.of(), MnistScoringJob.class.getName(),
                List.of("score.model.run=" + run, "score.input.path=" + images, "output.dir=" + output, "run.id=s1", "spark.master=local[2]",
                        "score.format=csv", "score.max-reject-share=0.5"), log);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            Scripts.killTree(process.toHandle());
            throw new AssertionError("the job did not end; log " + log);
        }
        assertEquals(0, process.exitValue(), String.join("\n", Files.readAllLines(log)));

        Map<String, String> rejects = csv(output.resolve("s1/rejects"));
        assertEquals(Set.of("huge.png", "disk.img"), rejects.keySet(), rejects.toString());
        assertEquals("PNG image of 20000x20000 pixels is larger than 50000000 pixels (score.images.max-pixels)", rejects.get("huge.png"));
        assertEquals("file of 1073741824 bytes is larger than 67108864 bytes (score.images.max-file-bytes)", rejects.get("disk.img"));
        assertEquals(ordinary, csv(output.resolve("s1/predictions")).keySet(), "every ordinary image predicted");
    }

    /** The rows of a CSV output directory, by the file name of their first column (a path) to the second. */
    private static Map<String, String> csv(Path dir) throws IOException {
        Map<String, String> rows = new TreeMap<>();
        try (Stream<Path> parts = Files.list(dir)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(part).stream().skip(1).toList()) {
                    String[] fields = line.split(",", 3);
                    rows.put(fields[0].substring(fields[0].lastIndexOf('/') + 1), fields[1].replace("\"", ""));
                }
            }
        }
        return rows;
    }
}
