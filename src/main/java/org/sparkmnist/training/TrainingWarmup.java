package org.sparkmnist.training;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.staging.MinibatchFormat;
import org.sparkmnist.staging.StagedSplit;

/**
 * Before epoch 1, while the split is staged: a throwaway network of each model rehearses an epoch
 * ({@link DistributedTrainer#rehearse}) over a few minibatch files of synthetic images, so that the
 * JVMs compile the training path (the layers, the updaters, ND4J's Java side, and Spark's and DL4J's
 * code of an averaging round) on its work and not on epoch 1's. The rehearsal's tasks run where the
 * training's will: in the driver's JVM in local mode, on the executors on a cluster. It runs on a
 * thread of its own, beside staging, and the job awaits it before epoch 1. It shares nothing with
 * the training: its own networks, files and accumulators, and ND4J's random generator and workspaces
 * are per thread.
 */
public final class TrainingWarmup {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingWarmup.class);

    /** Any fixed seed: the synthetic pixels only have to exist, and the same ones every run keep the warm-up's work the same. */
    private static final long SYNTHETIC_SEED = 1;

    private final FutureTask<Void> running;
    private final long start;

    private TrainingWarmup(FutureTask<Void> running, long start) {
        this.running = running;
        this.start = start;
    }

    /**
     * Starts the rehearsal of each of {@code configurations} over {@code minibatches} synthetic training minibatches
     * of {@code batchSize} examples written into {@code scratch}; nothing for 0 minibatches.
     */
    public static TrainingWarmup start(DistributedTrainer trainer, List<MultiLayerConfiguration> configurations, Encoding encoding,
                                       int width, int batchSize, int minibatches, Path scratch, Configuration hadoop) {
        long start = System.nanoTime();
        if (minibatches == 0) {
            return new TrainingWarmup(null, start);
        }
        FutureTask<Void> task = new FutureTask<>(() -> {
            StagedSplit synthetic = write(encoding, width, batchSize, minibatches, trainer.workers(), scratch, hadoop);
            for (MultiLayerConfiguration configuration : configurations) {
                MultiLayerNetwork network = new MultiLayerNetwork(configuration.clone());
                network.init();
                trainer.rehearse(network, synthetic);
            }
            return null;
        });
        Thread thread = new Thread(task, "spark-mnist warm-up");
        // A daemon: a job that fails while staging must not wait for its warm-up before it exits.
        thread.setDaemon(true);
        thread.start();
        return new TrainingWarmup(task, start);
    }

    /** {@code minibatches} training files and one validation file per worker, of random pixels and labels. */
    private static StagedSplit write(Encoding encoding, int width, int batchSize, int minibatches, int workers, Path scratch,
                                     Configuration hadoop) throws IOException {
        FileSystem fs = scratch.getFileSystem(hadoop);
        Random random = new Random(SYNTHETIC_SEED);
        byte[] pixels = new byte[batchSize * width];
        byte[] labels = new byte[batchSize];
        List<String> files = new ArrayList<>();
        for (int i = 0; i < minibatches + workers; i++) {
            random.nextBytes(pixels);
            for (int example = 0; example < batchSize; example++) {
                labels[example] = (byte) random.nextInt(encoding.classes());
            }
            Path file = new Path(scratch, String.format("synthetic-%06d.bin", i));
            try (FSDataOutputStream out = fs.create(file, false)) {
                MinibatchFormat.write(pixels, labels, batchSize, width, encoding, out);
            }
            files.add(file.toString());
        }
        return new StagedSplit(files.subList(0, minibatches), files.subList(minibatches, files.size()));
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
