package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.config.ScoringSettings.InputSource;
import org.sparkmnist.config.ScoringSettings.ModelSource;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.LocalSpark;
import org.sparkmnist.testing.TinyModels;

/**
 * The scoring pass of {@link ScoredInputs} in local[2] on a small idx file and an untrained model:
 * counting is the one pass that reads and scores the inputs, and it leaves every row cached for the
 * writes that follow.
 */
class ScoredInputsTest {

    private static final int IMAGES = 300;

    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static ScoringInput input;
    private static ScoringModel model;

    @BeforeAll
    static void sparkAModelAndAnIdxFile() {
        spark = LocalSpark.session(ScoredInputsTest.class);
        Path run = TinyModels.run(dir.resolve("run"), "mlp", TinyModels.softmax(), true);
        Path images = IdxFiles.write(dir.resolve("images-idx3-ubyte"), IdxFiles.randomImages(IMAGES, 28, 28, 5));
        Path labels = IdxFiles.write(dir.resolve("labels-idx1-ubyte"), IdxFiles.cyclicLabels(IMAGES, 10));
        Configuration hadoop = new Configuration();
        model = ScoringModel.load(new ModelSource(run.toString(), "mlp", "", Optional.empty()), hadoop);
        input = ScoringInput.check(new InputSource(images.toString(), Optional.of(labels.toString())),
                Long.MAX_VALUE, model, hadoop);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static ScoredInputs scored() {
        return ScoredInputs.of(spark, input, new MnistClassifierModel(Identifiable.randomUID("test"), model));
    }

    /** The id the next Spark job gets: job ids are handed out one after another. */
    private static int nextJobId(JavaSparkContext context) throws Exception {
        var probe = context.parallelize(List.of(1), 1).countAsync();
        probe.get();
        return probe.jobIds().get(0) + 1;
    }

    /**
     * Adaptive execution builds a cache as a job of its own before a query reads it; counting then
     * takes one more job over the cached rows, and no aggregation's shuffle with its jobs after.
     */
    @Test
    void countingTakesTheJobThatBuildsTheCacheAndOneThatReadsIt() throws Exception {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try (ScoredInputs scored = scored()) {
            int before = nextJobId(context);
            ScoringCounts counts = scored.counts();
            int after = nextJobId(context) - 1;
            assertEquals(new ScoringCounts(IMAGES, 0, IMAGES), counts, "every image counted, none rejected, each with its label");
            assertEquals(2, after - before, "jobs run to score and count the inputs");
        }
    }

    @Test
    void afterCountingEveryScoredRowIsCachedForTheWrites() {
        try (ScoredInputs scored = scored()) {
            scored.counts();
            List<RDDInfo> cached = Arrays.stream(spark.sparkContext().getRDDStorageInfo()).filter(RDDInfo::isCached).toList();
            assertEquals(1, cached.size(), "cached datasets: " + cached);
            RDDInfo rows = cached.get(0);
            assertTrue(rows.numPartitions() > 0 && rows.numCachedPartitions() == rows.numPartitions(),
                    rows.numCachedPartitions() + " of " + rows.numPartitions() + " partitions cached");
        }
    }
}
