package org.sparkmnist.job;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.model.TrainingMemory;

/** Which JVM's memory each master puts a model in, and that the defaults fit what Spark gives by default. */
class MemoryBudgetTest {

    private static final long GIB = 1L << 30;

    private static JobSettings settings(String... overrides) {
        return SettingsLoader.load(new ArrayList<>(List.of(overrides)));
    }

    /** What spark-submit would have passed as system properties. */
    private static SparkConf submitted(String... keyValues) {
        SparkConf conf = new SparkConf(false);
        for (int i = 0; i < keyValues.length; i += 2) {
            conf.set(keyValues[i], keyValues[i + 1]);
        }
        return conf;
    }

    private static String refusal(JobSettings settings, SparkConf conf, long driverHeap) {
        return assertThrows(BadInputException.class, () -> MemoryBudget.check(settings, conf, driverHeap)).getMessage();
    }

    private static TrainingMemory mlp(JobSettings settings) {
        return TrainingMemory.of(settings.models().get(0), 784, 10, settings.train().batchSize());
    }

    @Test
    void theDefaultModelsFitSparksDefaultMemoryEverywhere() {
        JobSettings defaults = settings();
        assertDoesNotThrow(() -> MemoryBudget.check(defaults, submitted(), GIB));
        assertDoesNotThrow(() -> MemoryBudget.check(defaults, submitted("spark.master", "yarn"), GIB));
        assertDoesNotThrow(() -> MemoryBudget.check(defaults, submitted("spark.master", "local-cluster[2,1,1024]"), GIB));
    }

    @Test
    void localModeCountsOneWorkerPerThreadAndTheDriverInThisJvm() {
        JobSettings settings = settings("models=[mlp]", "model.mlp.hidden-layers=[2000,2000]", "spark.master=local[4]");
        TrainingMemory need = mlp(settings);
        assertDoesNotThrow(() -> MemoryBudget.check(settings, submitted(), need.localJvm(4)));
        String message = refusal(settings, submitted(), need.localJvm(4) - 1);
        assertTrue(message.contains("model mlp") && message.contains("4 workers and the driver")
                && message.contains("this JVM's max heap (-Xmx"), message);
        assertDoesNotThrow(() -> MemoryBudget.check(settings, submitted("spark.master", "local[2]"), need.localJvm(2)));
    }

    @Test
    void onAClusterEachExecutorsMemoryHoldsItsCoresWorkersAndTheDriverItsPart() {
        JobSettings settings = settings("models=[mlp]", "model.mlp.hidden-layers=[2000,2000]");
        TrainingMemory need = mlp(settings);
        long executor = need.executor(3);
        SparkConf conf = submitted("spark.master", "spark://10.0.0.1:7077", "spark.executor.memory", (executor >> 20) + 1 + "m",
                "spark.executor.cores", "3");
        assertDoesNotThrow(() -> MemoryBudget.check(settings, conf, need.driver()));

        conf.set("spark.executor.memory", (executor >> 20) - 1 + "m");
        String message = refusal(settings, conf, GIB * 64);
        assertTrue(message.contains("on each executor (3 workers)") && message.contains("spark.executor.memory ("), message);

        conf.set("spark.executor.memory", "64g");
        message = refusal(settings, conf, need.driver() - 1);
        assertTrue(message.contains("on the driver") && message.contains("--driver-memory"), message);
    }

    @Test
    void anUnsetExecutorMemoryIsSparksDefaultOfOneGigabyte() {
        JobSettings settings = settings("models=[mlp]", "model.mlp.hidden-layers=[40000,4000]", "spark.master=yarn");
        String message = refusal(settings, submitted(), GIB * 64);
        assertTrue(message.contains("spark.executor.memory (1g, Spark's default) is 1.0 GiB"), message);
        assertTrue(message.contains("model.mlp.hidden-layers") && message.contains("train.batch-size"), message);
    }
}
