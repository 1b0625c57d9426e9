package org.sparkmnist.training;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Told after every completed epoch, with the averaged network, so progress can be saved. */
@FunctionalInterface
public interface EpochListener {

    void epochDone(EpochMetrics metrics, MultiLayerNetwork network) throws Exception;
}
