package org.sparkmnist.model;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparkmnist.model.layers.DenseLayer;
import org.sparkmnist.model.layers.OutputLayer;

/**
 * Builds a dense classifier from its config: the hidden layers the user listed, then a softmax
 * output trained with categorical cross-entropy, as in the Keras tutorial's Dense stack. The layers
 * are this project's ({@link org.sparkmnist.model.layers}): DL4J's dense layers with a cheaper
 * training step and the same numbers. A saved network names DL4J's own classes instead ({@link StockFormat}).
 */
public final class NetworkFactory {

    private NetworkFactory() {
    }

    public static MultiLayerConfiguration configuration(ModelSpec spec, int inputs, int classes) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .updater(updater(spec.updater()))
                .weightInit(spec.weightInit().dl4j())
                .l2(spec.l2())
                .list();
        List<Integer> hidden = spec.hiddenLayers();
        int width = inputs;
        for (int i = 0; i < hidden.size(); i++) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nIn(width).nOut(hidden.get(i)).activation(spec.activation().dl4j());
            // DL4J's dropOut applies to a layer's input and takes the probability of *keeping* it,
            // so dropping hidden activations means setting it on every layer after the first.
            if (i > 0 && spec.dropout() > 0) {
                dense.dropOut(1.0 - spec.dropout());
            }
            layers.layer(dense.build());
            width = hidden.get(i);
        }
        OutputLayer.Builder output = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(width).nOut(classes).activation(Activation.SOFTMAX);
        if (!hidden.isEmpty() && spec.dropout() > 0) {
            output.dropOut(1.0 - spec.dropout());
        }
        return layers.layer(output.build()).build();
    }

    static IUpdater updater(UpdaterSpec spec) {
        // Keyed to the network's epoch count, which DL4J's Spark training advances once per fit and
        // ships to the workers with the configuration, so every worker steps with the same rate.
        ISchedule rate = new ExponentialSchedule(ScheduleType.EPOCH, spec.learningRate(), spec.learningRateDecay());
        return spec.kind().build(spec, rate);
    }
}
