package org.sparkmnist.benchmark;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.dataset.DataSet;

/**
 * How the single-JVM baseline fits one epoch's minibatches: DL4J's plain {@code fit}, one minibatch
 * after another with ND4J's threads inside each operation, or DL4J's {@link ParallelWrapper}, which
 * trains a copy of the network per worker thread and averages them, as DL4J's guide recommends for
 * several cores in one JVM.
 */
interface EpochFitter extends AutoCloseable {

    /** Fits every minibatch once, in the order given, as epoch {@code epoch} (1-based) of the run. */
    void fitEpoch(int epoch, List<DataSet> minibatches);

    @Override
    default void close() throws Exception {
    }

    /** Plain {@code MultiLayerNetwork.fit}, minibatch by minibatch. */
    static EpochFitter plain(MultiLayerNetwork network) {
        return (epoch, minibatches) -> minibatches.forEach(network::fit);
    }

    /**
     * {@link ParallelWrapper} in parameter-averaging mode over {@code network}, whose listeners the
     * workers share. Worker 0 trains {@code network} itself, so after each epoch it holds the state
     * of the last averaging round plus worker 0's minibatches since.
     */
    static EpochFitter parallelWrapper(MultiLayerNetwork network, ParallelWrapperSettings settings) {
        // The wrapper hands the network's listeners to every worker thread as they are, so they must
        // tolerate being called from two threads at once.
        List<TrainingListener> shared = network.getListeners().stream().map(EpochFitter::oneAtATime).toList();
        network.setListeners(shared);
        // One wrapper per averaging frequency of the schedule, all over the same network, as the Spark job has one
        // DL4J trainer per frequency.
        Map<Integer, ParallelWrapper> wrappers = new HashMap<>();
        return new EpochFitter() {
            @Override
            public void fitEpoch(int epoch, List<DataSet> minibatches) {
                ParallelWrapper wrapper = wrappers.computeIfAbsent(settings.averaging().at(epoch),
                        frequency -> wrapper(network, settings.workers(), frequency));
                // One fit call per epoch: the wrapper copies the network to its workers at the start
                // and stops them at the end, so each epoch starts from the averaged parameters.
                wrapper.fit(new ExistingDataSetIterator(minibatches));
            }

            @Override
            public void close() throws Exception {
                for (ParallelWrapper wrapper : wrappers.values()) {
                    wrapper.close();
                }
            }
        };
    }

    private static ParallelWrapper wrapper(MultiLayerNetwork network, int workers, int frequency) {
        return new ParallelWrapper.Builder<>(network)
                .workers(workers)
                .averagingFrequency(frequency)
                // The minibatches are in memory already and their iterator is not asynchronous, so the
                // wrapper would skip prefetching anyway; 0 says so instead of a buffer that never fills.
                .prefetchBuffer(0)
                .trainingMode(ParallelWrapper.TrainingMode.AVERAGING)
                .workspaceMode(WorkspaceMode.ENABLED)
                .build();
    }

    /** {@code listener} with its callbacks run one at a time, whichever worker thread makes them. */
    private static TrainingListener oneAtATime(TrainingListener listener) {
        Object turn = new Object();
        InvocationHandler inTurn = (proxy, callback, args) -> {
            synchronized (turn) {
                try {
                    return callback.invoke(listener, args);
                } catch (InvocationTargetException failure) {
                    throw failure.getCause();
                }
            }
        };
        return (TrainingListener) Proxy.newProxyInstance(TrainingListener.class.getClassLoader(), new Class<?>[] {TrainingListener.class}, inTurn);
    }
}
