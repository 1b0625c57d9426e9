package org.sparkmnist.scoring;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.model.ModelZip;

/**
 * The scoring model inside one executor JVM: deserialized from the broadcast bytes by the first
 * task that needs it, then kept for every later task of the job on that executor. A network is not
 * safe for concurrent use (its layers hold the minibatch being scored), so each running task
 * borrows one of its own; the copies share one parameter array, which a forward pass only reads.
 *
 * <p>Keyed by the driver's key for the model (its bytes' digest, {@link MnistClassifierModel}), not by
 * the broadcast's id: ids restart with every SparkContext, and one JVM (a test, a local-mode
 * driver) can host several in turn.
 */
final class ExecutorModels {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);
    private static final Map<String, Shared> MODELS = new ConcurrentHashMap<>();

    private ExecutorModels() {
    }

    /** A network of the model {@code key}, deserialized from {@code bytes} if this JVM has none yet. */
    static MultiLayerNetwork borrow(String key, Supplier<byte[]> bytes) {
        return MODELS.computeIfAbsent(key, k -> Shared.of(bytes.get())).borrow();
    }

    /**
     * A network of the model {@code key} for the running task, given back when the task completes
     * (outside a task, as in a driver-side test, it is simply not given back).
     */
    static MultiLayerNetwork borrowForThisTask(String key, Supplier<byte[]> bytes) {
        MultiLayerNetwork network = borrow(key, bytes);
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> release(key, network));
        }
        return network;
    }

    /** Gives a borrowed network back for the next task. */
    static void release(String key, MultiLayerNetwork network) {
        Shared shared = MODELS.get(key);
        if (shared != null) {
            shared.idle.add(network);
        }
    }

    /** Drops the model {@code key}: in local mode the executors are the driver's JVM, which outlives the job. */
    static void forget(String key) {
        MODELS.remove(key);
    }

    /** Whether this JVM holds the model {@code key}, for tests. */
    static boolean holds(String key) {
        return MODELS.containsKey(key);
    }

    private static final class Shared {

        private final String configuration;
        private final INDArray params;
        private final Queue<MultiLayerNetwork> idle = new ConcurrentLinkedQueue<>();

        private Shared(MultiLayerNetwork first) {
            this.configuration = first.getLayerWiseConfigurations().toJson();
            this.params = first.params();
            idle.add(first);
        }

        static Shared of(byte[] bytes) {
            try {
                MultiLayerNetwork network = ModelZip.read(new ByteArrayInputStream(bytes), false);
                LOG.info("scoring model of {} parameters deserialized in this JVM (pid {}) from {} broadcast bytes", network.numParams(),
                        ProcessHandle.current().pid(), bytes.length);
                return new Shared(network);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot deserialize the broadcast model", e);
            }
        }

        MultiLayerNetwork borrow() {
            MultiLayerNetwork network = idle.poll();
            if (network == null) {
                network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration));
                // Not cloned: every copy reads the same parameters.
                network.init(params, false);
            }
            return network;
        }
    }
}
