package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.parquet.example.data.Group;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.job.MnistTrainingJob;
import org.sparkmnist.store.RunStore;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.Images;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.LocalSpark;
import org.sparkmnist.testing.MiniHdfs;
import org.sparkmnist.testing.MnistFiles;

/**
 * Batch scoring on the real MNIST test set with a really trained model, in local mode: the run is
 * trained here first (the MLP, one epoch), so the test stands alone. Scoring its own test set must
 * reproduce the run's test accuracy exactly, and so must MLlib's evaluator on the transformer's
 * output in a Spark program of the user's; the same digits as PNG files must score to the same
 * predictions; a directory with bad files must still score every good one; and all of it from and
 * to HDFS as from a local disk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MnistScoringJobIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TEST_IMAGES = 10_000;
    /** Good images of the directory with bad files: with its three bad ones, 0.99% of it is bad, within the default 1%. */
    private static final int GOOD_IMAGES = 300;

    private final Path root = Path.of("target", "it-scoring").toAbsolutePath();
    private final Path runs = root.resolve("runs");
    private final Path scores = root.resolve("scores");
    private Path mnist;
    private Path run;
    private JsonNode summary;
    private IdxImages testImages;
    private IdxLabels testLabels;
    /** Prediction and probabilities per test index, as scored from the idx file. */
    private Map<Integer, float[]> fromIdx;
    private JsonNode idxRecord;

    @BeforeAll
    void trainTheMlpThenScoreTheTestSet() throws IOException {
        mnist = MnistFiles.directory();
        deleteRecursively(root);
        int trained = MnistTrainingJob.execute(List.of("data.dir=" + mnist, "output.dir=" + runs, "run.id=trained", "models=[mlp]",
                "train.epochs=1", "spark.master=local[2]"));
        assertEquals(0, trained, "training exit code");
        run = runs.resolve("trained");
        summary = JSON.readTree(run.resolve("summary.json").toFile());
        IdxReader reader = new IdxReader(new Configuration());
        testImages = reader.readImages(hadoopPath(MnistFiles.files().get(2)), 28, 28);
        testLabels = reader.readLabels(hadoopPath(MnistFiles.files().get(3)), 10);

        JobRuns.Result scored = score("idx", "score.input.path=" + MnistFiles.files().get(2),
                "score.input.labels=" + MnistFiles.files().get(3));
        assertEquals(0, scored.exitCode(), scored.stderr());
        idxRecord = JSON.readTree(scores.resolve("idx/summary.json").toFile());
        fromIdx = new HashMap<>();
        for (Group row : parquet(scores.resolve("idx/predictions"))) {
            float[] values = new float[11];
            values[0] = row.getInteger("prediction", 0);
            for (int c = 0; c < 10; c++) {
                values[1 + c] = row.getFloat("p" + c, 0);
            }
            fromIdx.put(row.getInteger("index", 0), values);
        }
    }

    private JobRuns.Result score(String runId, String... args) {
        List<String> all = new ArrayList<>(List.of("score.model.run=" + run, "score.model.name=mlp", "output.dir=" + scores,
                "run.id=" + runId, "spark.master=local[2]"));
        all.addAll(List.of(args));
        return JobRuns.inProcess(MnistScoringJob::execute, all);
    }

    @Test
    void scoringTheTestSetWithTheRunsMlpGivesExactlyItsTestAccuracy() throws IOException {
        assertEquals(summary.at("/models/mlp/test_accuracy").asDouble(), idxRecord.get("accuracy").asDouble(), 0.0,
                "the run's summary.json against the scoring run's summary.json");
        assertEquals(TEST_IMAGES, idxRecord.get("inputs").asLong());
        assertEquals(0, idxRecord.get("rejects").asLong());
        assertTrue(idxRecord.at("/model/normalize").asBoolean(), "the run's own data.normalize");
        assertEquals(new TreeSet<>(java.util.stream.IntStream.range(0, TEST_IMAGES).boxed().toList()), new TreeSet<>(fromIdx.keySet()),
                "one prediction per test index");
        // The same predictions as the run's own evaluation, class by class.
        assertEquals(Files.readAllLines(run.resolve("mlp/confusion.csv")), Files.readAllLines(scores.resolve("idx/confusion.csv")));
        assertEquals(Files.readAllLines(run.resolve("mlp/classes.csv")), Files.readAllLines(scores.resolve("idx/classes.csv")));
        assertTrue(parquet(scores.resolve("idx/rejects")).isEmpty());
    }

    /**
     * The transformer as a Spark program uses it, on the 10,000 test digits as ML Vectors with their
     * labels: MLlib's own evaluator on its output gives exactly the run's test accuracy.
     */
    @Test
    void mllibsEvaluatorOnTheTransformersOutputGivesExactlyTheRunsTestAccuracy() {
        SparkSession spark = LocalSpark.session(MnistScoringJobIT.class);
        try (MnistClassifierModel model = MnistClassifierModel.fromRun(run.toString(), "mlp").setInputCol("pixels")) {
            List<Row> rows = new ArrayList<>(TEST_IMAGES);
            for (int i = 0; i < TEST_IMAGES; i++) {
                double[] pixels = new double[784];
                byte[] digit = digit(i);
                for (int p = 0; p < pixels.length; p++) {
                    pixels[p] = digit[p] & 0xFF;
                }
                rows.add(RowFactory.create((double) (testLabels.labels()[i] & 0xFF), Vectors.dense(pixels)));
            }
            StructType schema = new StructType().add("label", DataTypes.DoubleType).add("pixels", SQLDataTypes.VectorType());
            Dataset<Row> digits = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 4), schema);

            double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(digits));
            assertEquals(summary.at("/models/mlp/test_accuracy").asDouble(), accuracy, 0.0, "the run's summary.json against MLlib's evaluator");
        } finally {
            spark.stop();
        }
    }

    @Test
    void theGzippedTestSetScoresTheSame() throws IOException {
        Path gz = IdxFiles.write(root.resolve("gz/t10k-images-idx3-ubyte.gz"), IdxFiles.gzip(Files.readAllBytes(MnistFiles.files().get(2))));
        JobRuns.Result scored = score("gz", "score.input.path=" + gz, "score.format=csv");
        assertEquals(0, scored.exitCode(), scored.stderr());
        List<String> lines = new ArrayList<>();
        for (Path part : parts(scores.resolve("gz/predictions"), ".csv")) {
            List<String> partLines = Files.readAllLines(part);
            assertEquals("index,prediction,probability,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9", partLines.get(0), "no label column without labels");
            lines.addAll(partLines.subList(1, partLines.size()));
        }
        assertEquals(TEST_IMAGES, lines.size());
        for (String line : lines) {
            String[] fields = line.split(",");
            assertEquals((int) fromIdx.get(Integer.parseInt(fields[0]))[0], Integer.parseInt(fields[1]), line);
        }
    }

    @Test
    void theTestDigitsAsPngFilesScoreToTheSamePredictions() throws IOException {
        Path png = root.resolve("png");
        StringBuilder labels = new StringBuilder("file,label\n");
        for (int i = 0; i < TEST_IMAGES; i++) {
            String name = String.format("%05d.png", i);
            IdxFiles.write(png.resolve(name), Images.encode(Images.grey28(digit(i)), "png"));
            labels.append(name).append(',').append((testLabels.labels()[i] & 0xFF)).append('\n');
        }
        Files.writeString(png.resolve("labels.csv"), labels);
        JobRuns.Result scored = score("png", "score.input.path=" + png, "score.input.labels=" + png.resolve("labels.csv"));
        assertEquals(0, scored.exitCode(), scored.stderr());

        List<Group> rows = parquet(scores.resolve("png/predictions"));
        assertEquals(TEST_IMAGES, rows.size());
        double largestDifference = 0;
        for (Group row : rows) {
            int index = indexOf(row.getString("path", 0));
            float[] expected = fromIdx.get(index);
            assertEquals((int) expected[0], row.getInteger("prediction", 0), "prediction of " + index);
            assertEquals((testLabels.labels()[index] & 0xFF), row.getInteger("label", 0), "label of " + index + " from labels.csv");
            for (int c = 0; c < 10; c++) {
                largestDifference = Math.max(largestDifference, Math.abs(expected[1 + c] - row.getFloat("p" + c, 0)));
            }
        }
        // Same pixels, same model; only the minibatches the forward passes saw differ.
        assertTrue(largestDifference < 1e-6, "largest probability difference " + largestDifference);
        JsonNode record = JSON.readTree(scores.resolve("png/summary.json").toFile());
        assertEquals(idxRecord.get("accuracy").asDouble(), record.get("accuracy").asDouble(), 0.0);
        assertEquals(0, record.get("rejects").asLong());
    }

    @Test
    void aDirectoryWithBadFilesStillScoresEveryGoodOne() throws IOException {
        Path mixed = mixedDirectory(root.resolve("mixed"));
        JobRuns.Result scored = score("mixed", "score.input.path=" + mixed);
        assertEquals(0, scored.exitCode(), scored.stderr());
        assertMixedScored(parquet(scores.resolve("mixed/predictions")), parquet(scores.resolve("mixed/rejects")), "file:" + mixed + "/");
    }

    @Test
    void hdfsInAndOutScoresAsALocalDiskDoes() throws Exception {
        MiniDFSCluster hdfs = MiniHdfs.start(root.resolve("hdfs").toFile());
        try {
            FileSystem fs = hdfs.getFileSystem();
            String uri = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
            fs.copyFromLocalFile(hadoopPath(run), new org.apache.hadoop.fs.Path(uri + "/runs/trained"));
            fs.copyFromLocalFile(hadoopPath(MnistFiles.files().get(2)), new org.apache.hadoop.fs.Path(uri + "/in/t10k-images"));
            fs.copyFromLocalFile(hadoopPath(MnistFiles.files().get(3)), new org.apache.hadoop.fs.Path(uri + "/in/t10k-labels"));
            fs.copyFromLocalFile(hadoopPath(mixedDirectory(root.resolve("mixed-for-hdfs"))), new org.apache.hadoop.fs.Path(uri + "/in/mixed"));
            List<String> common = List.of("score.model.run=" + uri + "/runs/trained", "output.dir=" + uri + "/scores", "spark.master=local[2]");

            List<String> idx = new ArrayList<>(common);
            idx.addAll(List.of("run.id=idx", "score.input.path=" + uri + "/in/t10k-images", "score.input.labels=" + uri + "/in/t10k-labels"));
            JobRuns.Result scored = JobRuns.inProcess(MnistScoringJob::execute, idx);
            assertEquals(0, scored.exitCode(), scored.stderr());
            try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(uri + "/scores/idx/summary.json"))) {
                assertEquals(summary.at("/models/mlp/test_accuracy").asDouble(), JSON.readTree(in).get("accuracy").asDouble(), 0.0);
            }

            List<String> images = new ArrayList<>(common);
            images.addAll(List.of("run.id=mixed", "score.input.path=" + uri + "/in/mixed"));
            scored = JobRuns.inProcess(MnistScoringJob::execute, images);
            assertEquals(0, scored.exitCode(), scored.stderr());
            Path local = root.resolve("from-hdfs");
            fs.copyToLocalFile(new org.apache.hadoop.fs.Path(uri + "/scores/mixed"), hadoopPath(local));
            assertMixedScored(parquet(local.resolve("predictions")), parquet(local.resolve("rejects")), uri + "/in/mixed/");
            assertTrue(fs.isFile(new org.apache.hadoop.fs.Path(uri + "/scores/mixed/_SUCCESS")));
            FileStatus[] left = fs.exists(new org.apache.hadoop.fs.Path(uri + "/scores/" + RunStore.DIRECTORY))
                    ? fs.listStatus(new org.apache.hadoop.fs.Path(uri + "/scores/" + RunStore.DIRECTORY)) : new FileStatus[0];
            assertEquals(0, left.length, "no attempt or lock left on HDFS: " + Arrays.toString(left));
        } finally {
            hdfs.shutdown(true);
        }
    }

    /** The first {@link #GOOD_IMAGES} test digits as PNG files, then a truncated PNG, a text file named .png and an empty file. */
    private Path mixedDirectory(Path dir) throws IOException {
        for (int i = 0; i < GOOD_IMAGES; i++) {
            IdxFiles.write(dir.resolve(String.format("%05d.png", i)), Images.encode(Images.grey28(digit(i)), "png"));
        }
        byte[] png = Files.readAllBytes(dir.resolve("00000.png"));
        IdxFiles.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length - 20));
        IdxFiles.write(dir.resolve("notes.png"), "remember to scan the rest\n".getBytes());
        IdxFiles.write(dir.resolve("empty.png"), new byte[0]);
        return dir;
    }

    private void assertMixedScored(List<Group> predictions, List<Group> rejects, String prefix) {
        Map<String, String> reasons = new HashMap<>();
        for (Group reject : rejects) {
            reasons.put(reject.getString("path", 0).substring(prefix.length()), reject.getString("reason", 0));
        }
        assertEquals(Set.of("truncated.png", "notes.png", "empty.png"), reasons.keySet(), "the rejects");
        // Cut 20 bytes short, the image data may still inflate; the file is truncated all the same.
        assertTrue(reasons.get("truncated.png").matches("PNG (file is truncated|data cannot be decoded): .*"), reasons.toString());
        assertTrue(reasons.get("notes.png").startsWith("not an image"), reasons.toString());
        assertEquals("empty file", reasons.get("empty.png"));
        Set<Integer> scored = new TreeSet<>();
        for (Group row : predictions) {
            int index = indexOf(row.getString("path", 0));
            assertTrue(scored.add(index), "scored twice: " + index);
            assertEquals((int) fromIdx.get(index)[0], row.getInteger("prediction", 0));
        }
        assertEquals(new TreeSet<>(java.util.stream.IntStream.range(0, GOOD_IMAGES).boxed().toList()), scored, "every good file");
    }

    private byte[] digit(int index) {
        return Arrays.copyOfRange(testImages.pixels(), index * 784, (index + 1) * 784);
    }

    private static int indexOf(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return Integer.parseInt(name.substring(0, name.indexOf('.')));
    }

    /** The rows of a Parquet output directory, read with Parquet's own example reader (no Spark needed). */
    private static List<Group> parquet(Path dir) throws IOException {
        List<Group> rows = new ArrayList<>();
        for (Path part : parts(dir, ".parquet")) {
            try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), hadoopPath(part)).build()) {
                for (Group row = reader.read(); row != null; row = reader.read()) {
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static List<Path> parts(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("part-") && p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static org.apache.hadoop.fs.Path hadoopPath(Path local) {
        return new org.apache.hadoop.fs.Path(local.toUri());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
