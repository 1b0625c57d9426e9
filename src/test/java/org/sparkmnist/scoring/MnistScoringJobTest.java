package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.store.RunStore;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.Images;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.TinyModels;

/**
 * The scoring job end to end in local[2] on small generated inputs and an untrained model: what
 * it writes, what it rejects, when it refuses to publish, and how a rerun replaces its own run.
 * How well it predicts is MnistScoringJobIT's business, on real MNIST with a trained model.
 */
class MnistScoringJobTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static Path run;
    private static Path images;
    /** The good images of {@link #images}, by path relative to it. */
    private static final Map<String, Integer> GOOD = new TreeMap<>();

    @BeforeAll
    static void aModelAndADirectoryOfImages() throws IOException {
        MultiLayerNetwork network = TinyModels.softmax();
        run = TinyModels.run(tmp.resolve("runs/trained"), "mlp", network, true);
        images = tmp.resolve("digits");
        Random random = new Random(11);
        for (int i = 0; i < 8; i++) {
            good(String.format("%02d.png", i), Images.encode(Images.grey28(Images.mnistLikeDigit(random)), "png"), i);
        }
        good("batch-2/seven.png", Images.encode(drawing(Color.WHITE, Color.BLACK, BufferedImage.TYPE_INT_RGB), "png"), 7);
        good("batch-2/seven.jpg", Images.encode(drawing(new Color(240, 235, 200), new Color(20, 20, 120), BufferedImage.TYPE_INT_RGB), "jpg"), 7);
        good("batch-2/clear.png", Images.encode(drawing(new Color(0, 0, 0, 0), Color.BLACK, BufferedImage.TYPE_INT_ARGB), "png"), 1);
        byte[] png = Files.readAllBytes(images.resolve("00.png"));
        IdxFiles.write(images.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
        IdxFiles.write(images.resolve("batch-2/notes.png"), "a text file, named like an image\n".getBytes());
        IdxFiles.write(images.resolve("empty.png"), new byte[0]);
        // Skipped as Spark skips them: hidden files and directories.
        IdxFiles.write(images.resolve(".DS_Store"), "x".getBytes());
        IdxFiles.write(images.resolve("_scratch/00.png"), png);
        StringBuilder labels = new StringBuilder("file,label\n");
        GOOD.forEach((file, label) -> labels.append(file).append(',').append(label).append('\n'));
        Files.writeString(images.resolve("labels.csv"), labels);
    }

    private static void good(String name, byte[] file, int label) {
        IdxFiles.write(images.resolve(name), file);
        GOOD.put(name, label);
    }

    /** A "7" of 60x80 pixels, in the given colours. */
    private static BufferedImage drawing(Color paper, Color ink, int type) {
        return Images.drawn(60, 80, type, paper, ink, g -> {
            g.fillRect(10, 10, 40, 8);
            g.fillPolygon(new int[] {42, 50, 28, 20}, new int[] {10, 18, 72, 72}, 4);
        });
    }

    private static List<String> args(Path output, String... more) {
        List<String> args = new ArrayList<>(List.of("score.model.run=" + run, "score.input.path=" + images,
                "score.input.labels=" + images.resolve("labels.csv"), "output.dir=" + output, "spark.master=local[2]"));
        args.addAll(List.of(more));
        return args;
    }

    /** The rows of a CSV output directory written by Spark (header once per part file), each as column name to value. */
    private static List<Map<String, String>> csvRows(Path dir) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Stream<Path> parts = Files.list(dir)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                List<String> lines = Files.readAllLines(part);
                if (lines.isEmpty()) {
                    continue;
                }
                String[] header = lines.get(0).split(",");
                for (String line : lines.subList(1, lines.size())) {
                    List<String> values = splitCsv(line);
                    Map<String, String> row = new HashMap<>();
                    for (int i = 0; i < header.length; i++) {
                        row.put(header[i], values.get(i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** One CSV line as Spark writes it: fields quoted only when they hold a comma or a quote. */
    private static List<String> splitCsv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private static String relative(String uri) {
        String prefix = images.toUri().toString().replace("file:///", "file:/");
        return uri.substring(prefix.length());
    }

    @Test
    void aDirectoryOfImagesIsScoredWithItsBadFilesRejectedAndListed() throws IOException {
        Path output = tmp.resolve("out-dir");
        JobRuns.Result result = JobRuns.inProcess(MnistScoringJob::execute, args(output, "run.id=d1", "score.format=csv",
                "score.max-reject-share=0.25"));
        assertEquals(0, result.exitCode(), result.stderr());
        Path scored = output.resolve("d1");

        Map<String, String> rejects = csvRows(scored.resolve("rejects")).stream()
                .collect(Collectors.toMap(r -> relative(r.get("path")), r -> r.get("reason")));
        assertEquals(new TreeSet<>(List.of("truncated.png", "batch-2/notes.png", "empty.png")), new TreeSet<>(rejects.keySet()));
        assertTrue(rejects.get("truncated.png").startsWith("PNG data cannot be decoded"), rejects.toString());
        assertTrue(rejects.get("batch-2/notes.png").startsWith("not an image"), rejects.toString());
        assertEquals("empty file", rejects.get("empty.png"));

        List<Map<String, String>> predictions = csvRows(scored.resolve("predictions"));
        Map<String, Integer> labels = predictions.stream().collect(Collectors.toMap(r -> relative(r.get("path")),
                r -> Integer.parseInt(r.get("label"))));
        assertEquals(GOOD, new TreeMap<>(labels), "every good image once, with its label from the CSV, and nothing else");
        for (Map<String, String> row : predictions) {
            int predicted = Integer.parseInt(row.get("prediction"));
            double sum = 0;
            for (int c = 0; c < 10; c++) {
                sum += Double.parseDouble(row.get("p" + c));
            }
            assertEquals(1.0, sum, 1e-4, "the ten probabilities of " + row.get("path"));
            assertEquals(Double.parseDouble(row.get("p" + predicted)), Double.parseDouble(row.get("probability")), 1e-9);
        }

        JsonNode record = JSON.readTree(scored.resolve("summary.json").toFile());
        assertEquals(GOOD.size() + 3, record.get("inputs").asLong());
        assertEquals(3, record.get("rejects").asLong());
        assertEquals(GOOD.size(), record.get("labelled").asLong());
        assertEquals(0, record.get("labels_unmatched").asLong(), "every row of the labels file names an image");
        assertEquals("images", record.at("/input/kind").asText());
        assertFalse(record.at("/model/normalize").isMissingNode());
        long confusionTotal = Files.readAllLines(scored.resolve("confusion.csv")).stream().skip(1)
                .flatMap(r -> Arrays.stream(r.split(",")).skip(1)).mapToLong(Long::parseLong).sum();
        assertEquals(GOOD.size(), confusionTotal);
        assertEquals(11, Files.readAllLines(scored.resolve("classes.csv")).size());
        assertTrue(Files.exists(scored.resolve("_SUCCESS")));
        assertFalse(Files.exists(output.resolve(RunStore.DIRECTORY)), "the attempt and the lock are gone");
    }

    /**
     * A labels file as pandas writes one (byte order mark, CRLF, every field quoted) whose rows also
     * name a file that is not there and one Spark skips: read, and the two counted and warned of.
     */
    @Test
    void labelRowsMatchingNoImageAreCountedInTheSummaryAndWarnedOfOnce() throws IOException {
        StringBuilder csv = new StringBuilder("\uFEFF\"file\",\"label\"\r\n");
        GOOD.forEach((file, label) -> csv.append('"').append(file).append("\",\"").append(label).append("\"\r\n"));
        csv.append("\"gone/missing.png\",\"3\"\r\n\"_scratch/00.png\",\"0\"\r\n");
        Path labels = Files.writeString(tmp.resolve("pandas-labels.csv"), csv);
        Path output = tmp.resolve("out-unmatched");
        // The directory's own labels.csv is then a file to score, and a fourth reject.
        List<String> args = args(output, "run.id=d3", "score.max-reject-share=0.3");
        args.set(args.indexOf("score.input.labels=" + images.resolve("labels.csv")), "score.input.labels=" + labels);
        JobRuns.Result result = JobRuns.inProcess(MnistScoringJob::execute, args);
        assertEquals(0, result.exitCode(), result.stderr());

        JsonNode record = JSON.readTree(output.resolve("d3/summary.json").toFile());
        assertEquals(2, record.get("labels_unmatched").asLong());
        assertEquals(GOOD.size(), record.get("labelled").asLong());
        List<String> warnings = result.stderr().lines().filter(l -> l.contains("match no image scored")).toList();
        assertEquals(1, warnings.size(), result.stderr());
        assertTrue(warnings.get(0).contains("2 of the " + (GOOD.size() + 2) + " rows") && warnings.get(0).contains("\"_scratch/00.png\""),
                warnings.get(0));
    }

    @Test
    void tooManyRejectsStopTheRunWithExitTwoAndWriteNothing() throws IOException {
        Path output = tmp.resolve("out-strict");
        JobRuns.Result result = JobRuns.inProcess(MnistScoringJob::execute, args(output, "run.id=d2"));
        assertEquals(2, result.exitCode(), result.stderr());
        String line = result.lastLine();
        assertTrue(line.startsWith("spark-mnist: error: 3 of 14 inputs (21.43%) were rejected, more than score.max-reject-share = 0.01"
                + " allows; nothing was written; e.g. file:"), line);
        try (Stream<Path> left = Files.walk(output)) {
            assertEquals(List.of(output), left.filter(p -> !p.equals(output.resolve(RunStore.DIRECTORY))).toList(),
                    "no run directory and nothing in _temporary");
        }
        assertFalse(Files.exists(output.resolve(RunStore.DIRECTORY)) && Files.list(output.resolve(RunStore.DIRECTORY)).findAny().isPresent());
    }

    @Test
    void aModelDl4jBuiltAndSavedScoresThroughTheJobAsDl4jScoresIt() throws IOException {
        MultiLayerNetwork stock = TinyModels.stockDl4j();
        assertScoredAs(stock, TinyModels.writeWithModelSerializer(stock, tmp.resolve("dl4j/model.zip")), "dl4j");
    }

    @Test
    void aModelOfEarlierVersionsNamingTheProjectsClassesStillScores() throws IOException {
        // Earlier versions saved what ModelSerializer writes for the network as it trained.
        MultiLayerNetwork earlier = TinyModels.softmax();
        assertScoredAs(earlier, TinyModels.writeWithModelSerializer(earlier, tmp.resolve("earlier/model.zip")), "earlier");
    }

    /** The job, scoring 200 random images with the model.zip {@code file}, gives each the probabilities {@code network} gives it. */
    private static void assertScoredAs(MultiLayerNetwork network, Path file, String runId) throws IOException {
        Path idx = IdxFiles.write(tmp.resolve(runId + "-images/images-idx3-ubyte"), IdxFiles.randomImages(200, 28, 28, 9));
        Path output = tmp.resolve("out-" + runId);
        JobRuns.Result result = JobRuns.inProcess(MnistScoringJob::execute, List.of("score.model.file=" + file, "score.model.normalize=true",
                "score.input.path=" + idx, "output.dir=" + output, "run.id=" + runId, "spark.master=local[2]", "score.format=csv"));
        assertEquals(0, result.exitCode(), result.stderr());

        IdxImages images = new IdxReader(new Configuration()).readImages(new org.apache.hadoop.fs.Path(idx.toUri()), 28, 28);
        float[][] expected = network.output(new Encoding(10, true).features(images.pixels(), images.count(), images.pixelsPerImage()), false)
                .toFloatMatrix();
        List<Map<String, String>> rows = csvRows(output.resolve(runId).resolve("predictions"));
        assertEquals(200, rows.size());
        for (Map<String, String> row : rows) {
            float[] probabilities = expected[Integer.parseInt(row.get("index"))];
            for (int c = 0; c < 10; c++) {
                assertEquals(probabilities[c], Double.parseDouble(row.get("p" + c)), 1e-5, "p" + c + " of image " + row.get("index"));
            }
            float best = probabilities[0];
            for (float p : probabilities) {
                best = Math.max(best, p);
            }
            assertEquals(best, probabilities[Integer.parseInt(row.get("prediction"))], 1e-5, "the most probable class of image " + row.get("index"));
        }
    }

    @Test
    void anIdxFileIsScoredByIndexAndARerunReplacesItsOwnRunWhole() throws IOException {
        Path output = tmp.resolve("out-idx");
        Path idx = IdxFiles.write(tmp.resolve("idx/images-idx3-ubyte.gz"), IdxFiles.gzip(IdxFiles.randomImages(300, 28, 28, 4)));
        Path labels = IdxFiles.write(tmp.resolve("idx/labels-idx1-ubyte"), IdxFiles.cyclicLabels(300, 10));
        List<String> first = List.of("score.model.run=" + run, "score.input.path=" + idx, "score.input.labels=" + labels,
                "output.dir=" + output, "run.id=i1", "spark.master=local[2]", "score.format=csv", "score.batch-size=7");
        assertEquals(0, JobRuns.inProcess(MnistScoringJob::execute, first).exitCode());
        List<Map<String, String>> rows = csvRows(output.resolve("i1/predictions"));
        assertEquals(300, rows.size());
        assertEquals(300, rows.stream().map(r -> Integer.parseInt(r.get("index"))).distinct().filter(i -> i >= 0 && i < 300).count());
        for (Map<String, String> row : rows) {
            assertEquals(Integer.parseInt(row.get("index")) % 10, Integer.parseInt(row.get("label")), "labels follow their index");
        }
        assertTrue(csvRows(output.resolve("i1/rejects")).isEmpty());

        // The same run.id again, in Parquet and without labels: the first run's files are all gone.
        List<String> again = new ArrayList<>(first.subList(0, 2));
        again.addAll(List.of("output.dir=" + output, "run.id=i1", "spark.master=local[2]"));
        assertEquals(0, JobRuns.inProcess(MnistScoringJob::execute, again).exitCode());
        try (Stream<Path> files = Files.walk(output.resolve("i1"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.endsWith(".parquet")), names.toString());
            assertTrue(names.stream().noneMatch(n -> n.endsWith(".csv")), "no CSV of the first run is left: " + names);
        }
        assertFalse(JSON.readTree(output.resolve("i1/summary.json").toFile()).has("accuracy"), "no labels, no accuracy");
    }
}
