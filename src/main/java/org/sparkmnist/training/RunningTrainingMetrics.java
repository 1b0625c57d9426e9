package org.sparkmnist.training;

import java.io.Serializable;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras' training metrics: loss and accuracy as a running tally over the epoch, each minibatch
 * scored by the forward pass that trains on it, before its update. It runs inside DL4J's workers and
 * reports through a Spark accumulator, so the training set needs no second pass after the epoch:
 * that pass cost a third of the epoch's arithmetic.
 *
 * <p>DL4J hands listeners the activations up to the output layer's input, not its output; the output
 * layer is re-applied here, a (batch x hidden) by (hidden x classes) product that costs next to nothing.
 */
public final class RunningTrainingMetrics extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 1L;

    private final TallyAccumulator tally;

    public RunningTrainingMetrics(TallyAccumulator tally) {
        this.tally = tally;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        MultiLayerNetwork network = (MultiLayerNetwork) model;
        Layer output = network.getOutputLayer();
        BaseOutputLayer outputConf = (BaseOutputLayer) output.conf().getLayer();
        // The activations live in DL4J's training workspace; our few small arrays must not.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray input = activations.get(activations.size() - 1);
            INDArray preOutput = input.mmul(output.getParam("W")).addiRowVector(output.getParam("b"));
            INDArray probabilities = outputConf.getActivationFn().getActivation(preOutput, false);
            tally.add(CrossEntropy.tally(probabilities, network.getLabels()));
        }
    }
}
