package org.sparkmnist.scoring;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.config.Inversion;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.testing.Images;
import org.sparkmnist.testing.LocalSpark;
import org.sparkmnist.testing.TinyModels;

/**
 * MnistClassifierModel as Spark ML users meet it, on local[2]: in a saved and loaded Pipeline over the
 * image and binaryFile sources, under MLlib's evaluator, and refusing a column it cannot read.
 */
class MnistClassifierModelTest {

    private static SparkSession spark;
    /** A freshly initialised softmax network: random weights, so that its probabilities differ from image to image. */
    private static MultiLayerNetwork network;

    @TempDir
    static Path dir;

    /** The test's image files, by name: the probabilities the job's own decoding and the network give each, or null for a reject. */
    private static final Map<String, float[]> EXPECTED = new HashMap<>();

    @BeforeAll
    static void sparkAModelAndImages() throws IOException {
        spark = LocalSpark.session(MnistClassifierModelTest.class);
        network = TinyModels.softmax();
        TinyModels.run(dir.resolve("run"), "mlp", network, true);
        Path images = Files.createDirectories(dir.resolve("images"));
        Random random = new Random(22);
        for (int i = 0; i < 8; i++) {
            // MNIST's own form, and a digit drawn in two inks on a larger colour picture, as a phone or scanner
            // saves one: the inks' different red and blue make the colour channels' order matter.
            byte[] file = i % 2 == 0 ? Images.encode(Images.grey28(Images.mnistLikeDigit(random)), "png")
                    : Images.encode(Images.drawn(60 + i, 80, BufferedImage.TYPE_INT_RGB, new Color(250, 240, 200), new Color(200, 30, 20), g -> {
                        g.setStroke(new BasicStroke(6));
                        g.drawLine(15 + random.nextInt(20), 10, 30, 70 - random.nextInt(20));
                        g.setColor(new Color(20, 40, 190));
                        g.drawOval(10, 10 + random.nextInt(10), 30, 25);
                    }), "png");
            expect(Files.write(images.resolve("digit" + i + ".png"), file));
        }
        expect(Files.writeString(images.resolve("broken.png"), "no image in here"));
    }

    private static void expect(Path file) throws IOException {
        float[] expected;
        try {
            byte[] digit = new DigitImage(Inversion.AUTO, 50_000_000L).convert(Files.readAllBytes(file));
            expected = network.output(new Encoding(10, true).features(digit, 1, 784), false).toFloatVector();
        } catch (RejectedImage e) {
            expected = null;
        }
        EXPECTED.put(file.getFileName().toString(), expected);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** {@code model} alone in a Pipeline, fitted, saved, its model run deleted, and loaded back. */
    private static PipelineModel savedAndLoaded(MnistClassifierModel model, Dataset<Row> frame, String name) throws IOException {
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {model}).fit(frame);
        String saved = dir.resolve(name).toString();
        fitted.write().save(saved);
        return PipelineModel.load(saved);
    }

    /**
     * Asserts that {@code scored} has a row for each of the test's files, giving the probabilities the
     * job's decoding and the network give the file (to float rounding: the executors score in
     * minibatches) and predicting the likeliest; and that a rejected file has no prediction but a reason.
     */
    private static void assertScoredAsExpected(Dataset<Row> scored, String pathColumn) {
        Map<String, float[]> unseen = new HashMap<>(EXPECTED);
        for (Row row : scored.select(col(pathColumn), col("prediction"), col("probability"), col("rejection")).collectAsList()) {
            String name = Path.of(row.getString(0).replaceFirst("^file:", "")).getFileName().toString();
            assertTrue(unseen.containsKey(name), "one row for " + name);
            float[] expected = unseen.remove(name);
            if (expected == null) {
                assertTrue(row.isNullAt(1) && row.isNullAt(2) && !row.isNullAt(3), name + " is a reject with a reason and no prediction");
                continue;
            }
            assertNull(row.get(3), name);
            Vector probability = (Vector) row.get(2);
            for (int c = 0; c < expected.length; c++) {
                assertEquals(expected[c], probability.apply(c), 1e-6, name + ", class " + c);
            }
            assertEquals(probability.argmax(), row.getDouble(1), name);
        }
        assertEquals(Map.of(), unseen);
    }

    @Test
    void aSavedPipelineScoresTheImageSourceAsTheJobDecodesEachFile() throws IOException {
        Dataset<Row> images = spark.read().format("image").load(dir.resolve("images").toString());
        PipelineModel loaded = savedAndLoaded(MnistClassifierModel.fromRun(dir.resolve("run").toString(), "mlp"), images, "image-pipeline");
        assertScoredAsExpected(loaded.transform(images), "image.origin");
    }

    @Test
    void aSavedPipelineScoresBinaryFilesAndNeedsNothingButItsOwnDirectory() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("copied-run/mlp"));
        Files.copy(dir.resolve("run/mlp/model.zip"), copy.resolve("model.zip"));
        MnistClassifierModel model = MnistClassifierModel.fromModelZip(copy.resolve("model.zip").toString(), true).setInputCol("content")
                .setBatchSize(3);
        Dataset<Row> files = spark.read().format("binaryFile").load(dir.resolve("images").toString());
        PipelineModel loaded = savedAndLoaded(model, files, "binary-pipeline");
        deleteRecursively(copy.getParent());
        assertScoredAsExpected(loaded.transform(files), "path");
    }

    @Test
    void mllibsEvaluatorGivesTheAccuracyOfTheNetworksOwnPredictions() {
        Random random = new Random(7);
        List<Row> rows = new ArrayList<>();
        int correct = 0;
        for (int i = 0; i < 300; i++) {
            byte[] digit = Images.mnistLikeDigit(random);
            double[] pixels = new double[digit.length];
            for (int p = 0; p < pixels.length; p++) {
                pixels[p] = digit[p] & 0xFF;
            }
            int predicted = network.output(new Encoding(10, true).features(digit, 1, 784), false).argMax(1).getInt(0);
            // Labels the network gets right two times in three: a row scored against another row's label would show.
            int label = i % 3 == 0 ? (predicted + 1 + random.nextInt(9)) % 10 : predicted;
            correct += predicted == label ? 1 : 0;
            rows.add(RowFactory.create((double) label, Vectors.dense(pixels)));
        }
        StructType schema = new StructType().add("label", DataTypes.DoubleType).add("pixels", SQLDataTypes.VectorType());
        Dataset<Row> scored = MnistClassifierModel.fromRun(dir.resolve("run").toString(), "mlp").setInputCol("pixels")
                .transform(spark.createDataFrame(rows, schema).repartition(3));
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
        assertEquals(correct / 300.0, accuracy);
    }

    @Test
    void aVectorOfADigitsPixelsIsScoredAsItsImageFileIs() throws IOException {
        byte[] digit = Images.mnistLikeDigit(new Random(3));
        double[] pixels = new double[digit.length];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = digit[p] & 0xFF;
        }
        StructType schema = new StructType().add("pixels", SQLDataTypes.VectorType()).add("content", DataTypes.BinaryType);
        Dataset<Row> frame = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(pixels), Images.encode(Images.grey28(digit), "png"))),
                schema);
        MnistClassifierModel model = MnistClassifierModel.fromRun(dir.resolve("run").toString(), "mlp");
        Row fromVector = model.copy(new org.apache.spark.ml.param.ParamMap()).setInputCol("pixels").setRejectionCol("reason")
                .transform(frame).select("probability", "reason").first();
        Row fromFile = model.setInputCol("content").transform(frame).select("probability").first();
        assertNull(fromVector.get(1));
        assertEquals(fromFile.get(0), fromVector.get(0));
    }

    @Test
    void aBinaryColumnMarkedAsPixelBytesIsScoredAsTheVectorOfTheSamePixels() {
        byte[] digit = Images.mnistLikeDigit(new Random(4));
        double[] pixels = new double[digit.length];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = digit[p] & 0xFF;
        }
        StructType schema = new StructType().add("pixels", SQLDataTypes.VectorType())
                .add(DataTypes.createStructField("bytes", DataTypes.BinaryType, true, ClassifierInput.pixelBytes()));
        Dataset<Row> frame = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(pixels), digit)), schema);
        MnistClassifierModel model = MnistClassifierModel.fromRun(dir.resolve("run").toString(), "mlp").setRejectionCol("reason");
        Row fromBytes = model.copy(new org.apache.spark.ml.param.ParamMap()).setInputCol("bytes").transform(frame)
                .select("probability", "reason").first();
        Row fromVector = model.setInputCol("pixels").transform(frame).select("probability").first();
        assertNull(fromBytes.get(1));
        assertEquals(fromVector.get(0), fromBytes.get(0));
    }

    @Test
    void pixelBytesOfTheWrongCountAreRejectedWithTheCountsNotDecodedAsAFile() {
        StructType schema = new StructType().add(DataTypes.createStructField("bytes", DataTypes.BinaryType, true, ClassifierInput.pixelBytes()));
        Row row = MnistClassifierModel.fromRun(dir.resolve("run").toString(), "mlp").setInputCol("bytes").setRejectionCol("reason")
                .transform(spark.createDataFrame(List.of(RowFactory.create((Object) new byte[783])), schema)).select("prediction", "reason").first();
        assertNull(row.get(0));
        assertEquals("783 pixels; the model takes 784 (28x28)", row.getString(1));
    }

    @Test
    void theRawPredictionIsEachClasssLogProbability() {
        double[] pixels = new double[784];
        for (int p = 0; p < pixels.length; p += 3) {
            pixels[p] = 255;
        }
        StructType schema = new StructType().add("pixels", SQLDataTypes.VectorType());
        Row row = MnistClassifierModel.fromRun(dir.resolve("run").toString(), "mlp").setInputCol("pixels")
                .transform(spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(pixels))), schema))
                .select("probability", "rawPrediction").first();
        Vector probability = (Vector) row.get(0);
        Vector raw = (Vector) row.get(1);
        for (int c = 0; c < 10; c++) {
            assertTrue(Double.isFinite(raw.apply(c)), "class " + c + ": " + raw);
            assertEquals(probability.apply(c), Math.exp(raw.apply(c)), 1e-6 * Math.max(probability.apply(c), 1e-30), "class " + c);
        }
    }

    /**
     * What the model shipped is freed on close (here, in local mode, the network the executors kept in
     * this JVM), and a later transform ships the model anew instead of using the destroyed broadcast.
     */
    @Test
    void closingFreesWhatTransformShippedAndALaterTransformShipsTheModelAnew() {
        StructType schema = new StructType().add("pixels", SQLDataTypes.VectorType());
        Dataset<Row> frame = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(new double[784]))), schema);
        MnistClassifierModel model = MnistClassifierModel.fromRun(dir.resolve("run").toString(), "mlp").setInputCol("pixels");
        Row before = model.transform(frame).select("probability").first();
        assertTrue(ExecutorModels.holds(model.modelKey()));

        model.close();
        assertFalse(ExecutorModels.holds(model.modelKey()), "the network is no longer kept");
        assertEquals(before, model.transform(frame).select("probability").first());
        model.close();
    }

    @Test
    void aColumnThatHoldsNoDigitIsRefusedFromTheSchemaAlone() {
        MnistClassifierModel model = MnistClassifierModel.fromRun(dir.resolve("run").toString(), "mlp").setInputCol("text");
        StructType schema = new StructType().add("text", DataTypes.StringType).add("content", DataTypes.BinaryType);
        String message = assertThrows(IllegalArgumentException.class, () -> model.transformSchema(schema)).getMessage();
        assertTrue(message.startsWith("input column \"text\" is of type string; MnistClassifierModel reads Spark's image schema"), message);
        String missing = assertThrows(IllegalArgumentException.class, () -> model.setInputCol("image").transformSchema(schema)).getMessage();
        assertTrue(missing.startsWith("input column \"image\" does not exist; the columns are text, content"), missing);
        assertFalse(model.setInputCol("content").transformSchema(schema).isEmpty());
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
