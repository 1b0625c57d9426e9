package org.sparkmnist.training;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** A trained model and its history. */
public record TrainingRun(MultiLayerNetwork network, List<EpochMetrics> history) {
}
