package org.sparkmnist.training;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.model.NetworkFactory;
import org.sparkmnist.testing.LocalSpark;

/** The warm-up on tiny models of synthetic 4x4 images, in local[2] as the job runs it there: on a thread of the driver. */
class TrainingWarmupTest {

    private static final int PIXELS = 16;
    private static final int CLASSES = 3;
    private static final Encoding ENCODING = new Encoding(CLASSES, true);

    private static JavaSparkContext spark;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start(TrainingWarmupTest.class);
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static String configuration(String... overrides) {
        JobSettings settings = SettingsLoader.load(List.of(overrides));
        return NetworkFactory.configuration(settings.models().get(0), PIXELS, CLASSES).toJson();
    }

    @Test
    void everyModelFitsItsMinibatchesAlsoWhenTheLastRoundIsShort() throws Exception {
        // 5 minibatches averaged every 2: rounds of 2, 2 and 1, for each of the two models.
        WarmupFit fit = new WarmupFit(List.of(configuration("models=[softmax]"), configuration("models=[mlp]", "model.mlp.hidden-layers=[8]")),
                ENCODING, PIXELS, 8, 5, 2);

        assertEquals(10, fit.run());
    }

    @Test
    void aWarmUpThatFailsFailsItsAwait() {
        TrainingWarmup warmup = TrainingWarmup.start(spark, new WarmupFit(List.of("{not a configuration"), ENCODING, PIXELS, 8, 1, 1), 2);

        IllegalStateException failure = assertThrows(IllegalStateException.class, warmup::await);
        assertTrue(failure.getMessage().startsWith("the training warm-up failed"), failure.getMessage());
    }

    @Test
    void noMinibatchesStartsNoWarmUp() {
        // With 0 minibatches an unreadable configuration is never read: nothing runs, so nothing fails.
        TrainingWarmup warmup = TrainingWarmup.start(spark, new WarmupFit(List.of("{not a configuration"), ENCODING, PIXELS, 8, 0, 1), 2);

        assertDoesNotThrow(warmup::await);
    }
}
