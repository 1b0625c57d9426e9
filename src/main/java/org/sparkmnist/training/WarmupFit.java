package org.sparkmnist.training;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkmnist.config.DataSettings;
import org.sparkmnist.config.TrainSettings;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.model.NetworkFactory;
import org.sparkmnist.staging.MinibatchFormat;

/**
 * Fits a throwaway network of each configuration on synthetic minibatches, in rounds shaped like
 * parameter averaging's: a worker's network rebuilt from the parameters and updater state, minibatches
 * decoded from the staged file format and fitted with the training metrics listening, the copies
 * averaged, the validation pass. Run before epoch 1, it makes the JVM compile that path while no
 * training waits for it. It owns everything it touches: its networks, its data, and ND4J's random
 * generator and workspaces of the thread it runs on, which ND4J keeps per thread.
 */
public final class WarmupFit implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Any fixed seed: the synthetic pixels only have to exist, and the same ones every run keep the warm-up's work the same. */
    private static final long SYNTHETIC_SEED = 1;

    private final List<String> configurations;
    private final Encoding encoding;
    private final int width;
    private final int batchSize;
    private final int minibatches;
    private final int frequency;

    /**
     * @param configurations each model's DL4J configuration as JSON
     * @param minibatches    how many each model fits
     * @param frequency      minibatches per averaging round, as epoch 1 averages
     */
    public WarmupFit(List<String> configurations, Encoding encoding, int width, int batchSize, int minibatches, int frequency) {
        this.configurations = List.copyOf(configurations);
        this.encoding = encoding;
        this.width = width;
        this.batchSize = batchSize;
        this.minibatches = minibatches;
        this.frequency = frequency;
    }

    /** train.warm-up-minibatches of each of {@code models}, as the job will train them on {@code data}. */
    public static WarmupFit of(List<ModelSpec> models, DataSettings data, TrainSettings train) {
        List<String> configurations = models.stream()
                .map(spec -> NetworkFactory.configuration(spec, data.pixels(), data.classes()).toJson())
                .toList();
        return new WarmupFit(configurations, Encoding.of(data), data.pixels(), train.batchSize(), train.warmUpMinibatches(),
                train.averaging().at(1));
    }

    public int minibatches() {
        return minibatches;
    }

    /** Fits every configuration; returns the number of minibatches fitted in all. */
    public int run() throws IOException {
        int fitted = 0;
        for (String json : configurations) {
            fitted += fit(MultiLayerConfiguration.fromJson(json));
        }
        return fitted;
    }

    private int fit(MultiLayerConfiguration conf) throws IOException {
        Random random = new Random(SYNTHETIC_SEED);
        RunningTrainingMetrics metrics = new RunningTrainingMetrics(new TallyAccumulator());
        MultiLayerNetwork averaged = new MultiLayerNetwork(conf.clone());
        averaged.init();
        INDArray params = averaged.params();
        INDArray state = null;
        int fitted = 0;
        while (fitted < minibatches) {
            // A worker's start of a round: a new network around the round's parameters and updater state.
            MultiLayerNetwork worker = new MultiLayerNetwork(conf.clone());
            worker.init(params.dup(), false);
            if (state != null) {
                worker.getUpdater().setStateViewArray(worker, state.dup(), false);
            }
            worker.setListeners(List.of(metrics));
            for (int i = 0; i < frequency && fitted < minibatches; i++, fitted++) {
                worker.fit(minibatch(random));
            }
            // The driver's end of a round: the workers' copies summed and divided (here one copy, twice).
            params = worker.params().dup().addi(worker.params()).divi(2);
            INDArray workerState = worker.getUpdater().getStateViewArray();
            state = workerState.dup().addi(workerState).divi(2);
            averaged.setParams(params);
            DataSet validation = minibatch(random);
            CrossEntropy.tally(averaged.output(validation.getFeatures(), false), validation.getLabels());
        }
        return fitted;
    }

    /** Random pixels and labels, through the staged minibatch format as the workers read it. */
    private DataSet minibatch(Random random) throws IOException {
        byte[] pixels = new byte[batchSize * width];
        byte[] labels = new byte[batchSize];
        random.nextBytes(pixels);
        for (int i = 0; i < batchSize; i++) {
            labels[i] = (byte) random.nextInt(encoding.classes());
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream(pixels.length + labels.length + 32);
        MinibatchFormat.write(pixels, labels, batchSize, width, encoding, file);
        return MinibatchFormat.read(new ByteArrayInputStream(file.toByteArray()), "a synthetic warm-up minibatch");
    }
}
