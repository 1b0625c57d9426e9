package org.sparkmnist.staging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.config.SplitSettings;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.data.IdxImageFile;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.data.MnistSplit;
import org.sparkmnist.testing.DriverSideStaging;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.LocalSpark;

/**
 * The Spark staging against the driver-side staging it replaced, on small generated idx files in
 * local[2]: same file names, same bytes, for plain and gzipped inputs, chunks that cut through the
 * file anywhere, and both of Spark's serializers.
 */
class MinibatchStagerTest {

    private static final int ROWS = 4;
    private static final int COLS = 5;
    private static final int CLASSES = 10;

    @TempDir
    Path dir;

    private final Configuration hadoop = new Configuration();

    private static JavaSparkContext localSpark(String serializer) {
        return LocalSpark.start(MinibatchStagerTest.class, new SparkConf(false).set("spark.serializer", serializer));
    }

    private static final String JAVA = "org.apache.spark.serializer.JavaSerializer";
    private static final String KRYO = "org.apache.spark.serializer.KryoSerializer";

    /** Stages the same split both ways and asserts the two stagings are identical; returns how many files each wrote. */
    private int assertSameAsDriverSide(JavaSparkContext spark, byte[] imageFile, int examples, SplitSettings splitSettings,
                                       int batchSize, boolean normalize, long taskBytes) throws IOException {
        Path images = IdxFiles.write(dir.resolve("images"), imageFile);
        Path labelFile = IdxFiles.write(dir.resolve("labels"), IdxFiles.cyclicLabels(examples, CLASSES));
        IdxReader reader = new IdxReader(hadoop);
        org.apache.hadoop.fs.Path imagePath = new org.apache.hadoop.fs.Path(images.toUri());
        IdxLabels labels = reader.readLabels(new org.apache.hadoop.fs.Path(labelFile.toUri()), CLASSES);
        MnistSplit split = MnistSplit.of(examples, splitSettings);

        Encoding encoding = new Encoding(CLASSES, normalize);
        DriverSideStaging driverSide = new DriverSideStaging(hadoop, encoding);
        IdxImages inMemory = reader.readImages(imagePath, ROWS, COLS);
        org.apache.hadoop.fs.Path old = new org.apache.hadoop.fs.Path(dir.resolve("old").toUri());
        List<String> expected = new ArrayList<>(driverSide.write(inMemory, labels, split.train(), batchSize, new org.apache.hadoop.fs.Path(old, "train")));
        expected.addAll(driverSide.write(inMemory, labels, split.validation(), batchSize, new org.apache.hadoop.fs.Path(old, "validation")));

        org.apache.hadoop.fs.Path staged = new org.apache.hadoop.fs.Path(dir.resolve("new").toUri());
        List<String> actual = new MinibatchStager(spark, encoding, taskBytes).stage(reader.checkImages(imagePath, ROWS, COLS),
                StagingPlan.of(split, labels, batchSize), new org.apache.hadoop.fs.Path(staged, "train"),
                new org.apache.hadoop.fs.Path(staged, "validation"));

        assertEquals(expected.stream().map(p -> p.replace("/old/", "/new/")).toList(), actual, "file URIs in batch order");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(Files.readAllBytes(Path.of(java.net.URI.create(expected.get(i)))),
                    Files.readAllBytes(Path.of(java.net.URI.create(actual.get(i)))), actual.get(i));
        }
        try (Stream<Path> files = Files.walk(dir.resolve("new"))) {
            assertEquals(expected.size(), files.filter(Files::isRegularFile).count(), "files under the staging directory");
        }
        return actual.size();
    }

    @Test
    void chunksCuttingThroughTheFileAnywhereStageTheSameBytes() throws IOException {
        try (JavaSparkContext spark = localSpark(JAVA)) {
            // 3 images per reading task, 7 images per batch, part of the file unused: nothing lines up.
            int files = assertSameAsDriverSide(spark, IdxFiles.randomImages(103, ROWS, COLS, 11), 103, new SplitSettings(5, 61, 29),
                    7, true, 3L * ROWS * COLS);
            assertEquals(9 + 5, files);
        }
    }

    @Test
    void aGzippedFileStagesTheSameBytes() throws IOException {
        try (JavaSparkContext spark = localSpark(JAVA)) {
            assertSameAsDriverSide(spark, IdxFiles.gzip(IdxFiles.randomImages(103, ROWS, COLS, 12)), 103,
                    new SplitSettings(6, 80, 23), 8, false, 3L * ROWS * COLS);
        }
    }

    @Test
    void kryoSerializationStagesTheSameBytes() throws IOException {
        try (JavaSparkContext spark = localSpark(KRYO)) {
            assertSameAsDriverSide(spark, IdxFiles.randomImages(50, ROWS, COLS, 13), 50, new SplitSettings(7, 30, 20), 16, true,
                    MinibatchStager.TASK_BYTES);
        }
    }

    @Test
    void aPlanForAnotherFileIsRefused() throws IOException {
        try (JavaSparkContext spark = localSpark(JAVA)) {
            Path images = IdxFiles.write(dir.resolve("images"), IdxFiles.randomImages(10, ROWS, COLS, 1));
            IdxImageFile file = new IdxReader(hadoop).checkImages(new org.apache.hadoop.fs.Path(images.toUri()), ROWS, COLS);
            StagingPlan plan = StagingPlan.of(MnistSplit.of(12, new SplitSettings(1, 6, 6)),
                    new IdxLabels("labels", new byte[12]), 4);
            org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir.resolve("out").toUri());
            assertThrows(IllegalArgumentException.class, () -> new MinibatchStager(spark, new Encoding(CLASSES, true)).stage(file, plan, out, out));
        }
    }
}
