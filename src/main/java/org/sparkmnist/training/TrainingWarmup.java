package org.sparkmnist.training;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link WarmupFit} where epoch 1 will train, started before the split is staged and awaited
 * before epoch 1. In local mode the driver's JVM is the workers' JVM: a thread of the driver warms it,
 * on cores that staging leaves idle part of the time. On a cluster each executor is a JVM of its own:
 * a Spark job of one task per worker, submitted before staging's jobs, which queue behind it.
 */
public final class TrainingWarmup {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingWarmup.class);

    private final Future<?> running;
    private final long start;

    private TrainingWarmup(Future<?> running, long start) {
        this.running = running;
        this.start = start;
    }

    /** Starts {@code fit} beside the driver (local mode) or on {@code workers} tasks (a cluster); nothing for 0 minibatches. */
    public static TrainingWarmup start(JavaSparkContext spark, WarmupFit fit, int workers) {
        long start = System.nanoTime();
        if (fit.minibatches() == 0) {
            return new TrainingWarmup(null, start);
        }
        if (spark.isLocal()) {
            FutureTask<Integer> task = new FutureTask<>(fit::run);
            Thread thread = new Thread(task, "spark-mnist warm-up");
            // A daemon: a job that fails while staging must not wait for its warm-up before it exits.
            thread.setDaemon(true);
            thread.start();
            return new TrainingWarmup(task, start);
        }
        spark.setJobDescription("warm-up: " + fit.minibatches() + " synthetic minibatches per model on each of " + workers + " workers");
        try {
            return new TrainingWarmup(spark.parallelize(IntStream.range(0, workers).boxed().toList(), workers)
                    .foreachPartitionAsync(ignored -> fit.run()), start);
        } finally {
            spark.setJobDescription(null);
        }
    }

    /** Waits for the warm-up to end. It runs the code epoch 1 would run, so its failure fails the job, only sooner. */
    public void await() throws InterruptedException {
        if (running == null) {
            return;
        }
        long waitStart = System.nanoTime();
        try {
            running.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the training warm-up failed: " + e.getCause(), e.getCause());
        }
        long end = System.nanoTime();
        LOG.info("warm-up done {}s after it started; epoch 1 waited {}s for it", String.format("%.1f", (end - start) / 1e9),
                String.format("%.1f", (end - waitStart) / 1e9));
    }
}
