package org.sparkmnist.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The least memory DL4J's parameter averaging needs to train one model, computed from its
 * {@link ModelSpec} alone (nothing is built or allocated, ND4J is not loaded), so that a network
 * too large for the JVMs that would train it is refused before Spark starts. ND4J holds all of it
 * in 4-byte floats, off the heap, up to JavaCPP's limit, which is the JVM's memory unless set
 * otherwise. With P parameters, U updater-state values (P times the updater's state per parameter:
 * Adam 2, RMSprop and Nesterovs 1, SGD 0) and a minibatch of B examples:
 *
 * <ul>
 *   <li>{@link #network()}, one network fitting one minibatch, as DL4J's own memory report counts
 *       it: P parameters + P gradients + U + B x (every layer's outputs + every layer's inputs, the
 *       activations and their gradients) + B x every hidden layer's outputs again (the
 *       pre-activation it keeps from the forward pass for backprop) + B x the largest layer's
 *       working memory (its outputs, and its inputs again where dropout copies them);
 *   <li>{@link #worker()}, one training task: its network plus the P + U it returns to be averaged;
 *   <li>{@link #executor(int)}: its workers, plus the P + U broadcast they start each round from,
 *       held once per JVM;
 *   <li>{@link #driver()}: the driver's network (P + P + U), the running average of the workers'
 *       results (P + U) and the broadcast it sends (P + U);
 *   <li>{@link #localJvm(int)}: in local mode the driver and its workers share one JVM.
 * </ul>
 *
 * Spark's own memory (shuffle, broadcast blocks, task results) comes on top, so a model that fits
 * this estimate may still need more; one that does not fit it cannot train.
 */
public record TrainingMemory(long parameters, long updaterState, long minibatchValues) {

    static final int BYTES_PER_VALUE = 4;

    /** {@code spec} on {@code inputs} pixels and {@code classes} outputs, fitting minibatches of {@code batchSize}. */
    public static TrainingMemory of(ModelSpec spec, int inputs, int classes, int batchSize) {
        List<Long> widths = new ArrayList<>();
        widths.add((long) inputs);
        spec.hiddenLayers().forEach(width -> widths.add((long) width));
        widths.add((long) classes);
        long parameters = 0;
        long inputsAndOutputs = 0;
        long working = 0;
        long kept = 0;
        for (int layer = 1; layer < widths.size(); layer++) {
            long in = widths.get(layer - 1);
            long out = widths.get(layer);
            parameters += in * out + out;
            inputsAndOutputs += in + out;
            if (layer < widths.size() - 1) {
                kept += out;
            }
            // Dropout, on every layer after the first, keeps a copy of the layer's input.
            boolean dropout = layer > 1 && spec.dropout() > 0;
            working = Math.max(working, out + (dropout ? in : 0));
        }
        long updaterState = NetworkFactory.updater(spec.updater()).stateSize(parameters);
        return new TrainingMemory(parameters, updaterState, (long) batchSize * (inputsAndOutputs + kept + working));
    }

    /** Bytes of one network fitting one minibatch. */
    public long network() {
        return bytes(2 * parameters + updaterState + minibatchValues);
    }

    /** Bytes of one training task: its network and the parameters and updater state it returns for averaging. */
    public long worker() {
        return network() + bytes(parameters + updaterState);
    }

    /** Bytes of an executor running {@code workers} training tasks at a time. */
    public long executor(int workers) {
        return workers * worker() + broadcast();
    }

    /** Bytes the driver holds: its network (without a minibatch), the running average and the broadcast. */
    public long driver() {
        return bytes(2 * parameters + updaterState) + bytes(parameters + updaterState) + broadcast();
    }

    /** Bytes of a local-mode JVM: the driver and {@code workers} training tasks, sharing one broadcast. */
    public long localJvm(int workers) {
        return workers * worker() + driver();
    }

    /** The parameters and updater state every worker of a JVM starts an averaging round from, held once per JVM. */
    private long broadcast() {
        return bytes(parameters + updaterState);
    }

    private static long bytes(long values) {
        return values * BYTES_PER_VALUE;
    }
}
