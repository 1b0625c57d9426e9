package org.sparkmnist.job;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.model.TrainingMemory;

/**
 * Refuses, before Spark starts, a model that cannot fit the memory of the JVMs that would train
 * it (see {@link TrainingMemory} for what is counted), naming the model and the memory setting.
 * Only what the job can know beforehand counts: in local mode this JVM trains, and its max heap
 * (which is also JavaCPP's default limit for ND4J's off-heap arrays) holds the driver and one worker
 * per local thread; on a cluster each executor has spark.executor.memory, as spark-submit passes
 * it, for spark.executor.cores / spark.task.cpus workers (one when unset, the least there can be),
 * and this JVM, the driver, holds the driver's part.
 */
final class MemoryBudget {

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[\\s*(\\*|\\d+)\\s*(?:,\\s*\\d+\\s*)?])?");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*\\d+\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");
    private static final String DRIVER_HEAP = "this JVM's max heap (-Xmx; --driver-memory with spark-submit)";

    private MemoryBudget() {
    }

    /** {@code conf} is what spark-submit passed (system properties); {@code driverMaxHeap} this JVM's max heap. */
    static void check(JobSettings settings, SparkConf conf, long driverMaxHeap) {
        String master = conf.get("spark.master", settings.spark().master());
        for (ModelSpec spec : settings.models()) {
            TrainingMemory need = TrainingMemory.of(spec, settings.data().pixels(), settings.data().classes(),
                    settings.train().batchSize());
            Matcher local = LOCAL.matcher(master);
            Matcher localCluster = LOCAL_CLUSTER.matcher(master);
            if (local.matches()) {
                int workers = local.group(1) == null ? 1
                        : local.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(local.group(1));
                require(spec, need, need.localJvm(workers), "in local mode (" + workers(workers) + " and the driver in one JVM)",
                        driverMaxHeap, DRIVER_HEAP);
            } else if (localCluster.matches()) {
                int workers = Integer.parseInt(localCluster.group(1));
                long executorMib = Long.parseLong(localCluster.group(2));
                require(spec, need, need.executor(workers), "on each executor (" + workers(workers) + ")", executorMib << 20,
                        "the executor memory of master " + master);
                require(spec, need, need.driver(), "on the driver", driverMaxHeap, DRIVER_HEAP);
            } else {
                int workers = Math.max(1, conf.getInt("spark.executor.cores", 1) / conf.getInt("spark.task.cpus", 1));
                String memory = conf.get("spark.executor.memory", "1g");
                require(spec, need, need.executor(workers), "on each executor (" + workers(workers) + ")",
                        conf.getSizeAsBytes("spark.executor.memory", "1g"),
                        "spark.executor.memory (" + memory + (conf.contains("spark.executor.memory") ? "" : ", Spark's default") + ")");
                require(spec, need, need.driver(), "on the driver", driverMaxHeap, DRIVER_HEAP);
            }
        }
    }

    private static void require(ModelSpec spec, TrainingMemory need, long bytes, String where, long available, String setting) {
        if (bytes > available) {
            throw new BadInputException(String.format(Locale.ROOT,
                    "model %s needs at least %s to train %s: %,d parameters with their gradients, %s state and averaging copies, "
                            + "and a minibatch's activations; but %s is %s. Use a smaller model.%s.hidden-layers or "
                            + "train.batch-size, or more memory",
                    spec.name(), size(bytes), where, need.parameters(), spec.updater().kind().configName(), setting, size(available),
                    spec.name()));
        }
    }

    private static String workers(int workers) {
        return workers == 1 ? "1 worker" : workers + " workers";
    }

    private static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }
}
