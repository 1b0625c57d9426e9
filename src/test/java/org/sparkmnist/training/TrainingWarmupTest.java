package org.sparkmnist.training;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.model.NetworkFactory;
import org.sparkmnist.testing.LocalSpark;

/** The warm-up's rehearsal on tiny models of synthetic 4x4 images, in local[2]: real Spark jobs, DL4J's real averaging. */
class TrainingWarmupTest {

    private static final int PIXELS = 16;
    private static final int CLASSES = 3;
    private static final int BATCH = 8;
    private static final Encoding ENCODING = new Encoding(CLASSES, true);

    @TempDir
    static java.nio.file.Path dir;

    private static JavaSparkContext spark;
    private static DistributedTrainer trainer;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start(TrainingWarmupTest.class);
        // Two workers averaging every 2 minibatches.
        trainer = new DistributedTrainer(spark, SettingsLoader.load(List.of("train.batch-size=" + BATCH, "train.workers=2",
                "train.averaging-frequency=2", "train.prefetch=0")).train());
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static MultiLayerConfiguration configuration(String... overrides) {
        JobSettings settings = SettingsLoader.load(List.of(overrides));
        return NetworkFactory.configuration(settings.models().get(0), PIXELS, CLASSES);
    }

    private static Path scratch(String name) throws IOException {
        return new Path(Files.createDirectories(dir.resolve(name)).toUri());
    }

    private static TrainingWarmup start(List<MultiLayerConfiguration> configurations, int minibatches, Path scratch) {
        return TrainingWarmup.start(trainer, configurations, ENCODING, PIXELS, BATCH, minibatches, scratch, spark.hadoopConfiguration());
    }

    @Test
    void everyModelRehearsesAnEpochOfAveragingRoundsOutsideTheTrainingsJobGroup() throws Exception {
        JobGroups groups = new JobGroups();
        spark.sc().addSparkListener(groups);
        try {
            // 8 minibatches on 2 workers averaging every 2, per model: DL4J's count of the paths, 2 rounds, the validation pass.
            start(List.of(configuration("models=[softmax]"), configuration("models=[mlp]", "model.mlp.hidden-layers=[8]")), 8,
                    scratch("rehearsal")).await();

            long deadline = System.nanoTime() + 10_000_000_000L;
            // Spark reports jobs to listeners asynchronously; the last ones may still be on their way.
            while (groups.counts().getOrDefault("spark-mnist-warm-up", 0) < 8 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(Map.of("spark-mnist-warm-up", 8), groups.counts());
        } finally {
            spark.sc().removeSparkListener(groups);
        }
    }

    @Test
    void aWarmUpThatFailsFailsItsAwait() throws IOException {
        // Where the synthetic files should go is a file already: writing them fails.
        java.nio.file.Path occupied = Files.writeString(dir.resolve("occupied"), "");
        TrainingWarmup warmup = start(List.of(configuration("models=[softmax]")), 2, new Path(occupied.toUri()));

        IllegalStateException failure = assertThrows(IllegalStateException.class, warmup::await);
        assertTrue(failure.getMessage().startsWith("the training warm-up failed"), failure.getMessage());
    }

    @Test
    void noMinibatchesStartsNoWarmUp() throws IOException {
        java.nio.file.Path occupied = Files.writeString(dir.resolve("occupied-too"), "");
        // With 0 minibatches nothing is written where writing would fail, so nothing fails.
        TrainingWarmup warmup = start(List.of(configuration("models=[softmax]")), 0, new Path(occupied.toUri()));

        assertDoesNotThrow(warmup::await);
    }

    /** Counts the jobs of each job group. */
    private static final class JobGroups extends SparkListener {

        private final Map<String, Integer> counts = new ConcurrentHashMap<>();

        @Override
        public void onJobStart(SparkListenerJobStart job) {
            String group = job.properties() == null ? null : job.properties().getProperty("spark.jobGroup.id");
            counts.merge(String.valueOf(group), 1, Integer::sum);
        }

        Map<String, Integer> counts() {
            return counts;
        }
    }
}
