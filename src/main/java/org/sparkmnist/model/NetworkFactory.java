package org.sparkmnist.model;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparkmnist.config.ModelSpec;
import org.sparkmnist.config.UpdaterSpec;

/**
 * Builds a dense classifier from its config: the hidden layers the user listed, then a softmax
 * output trained with categorical cross-entropy, as in the Keras tutorial's Dense stack.
 */
public final class NetworkFactory {

    private NetworkFactory() {
    }

    public static MultiLayerConfiguration configuration(ModelSpec spec, int inputs, int classes) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .updater(updater(spec.updater()))
                .weightInit(weightInit(spec.weightInit()))
                .l2(spec.l2())
                .list();
        List<Integer> hidden = spec.hiddenLayers();
        int width = inputs;
        for (int i = 0; i < hidden.size(); i++) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nIn(width).nOut(hidden.get(i)).activation(activation(spec.activation()));
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
        return switch (spec.name()) {
            case "adam" -> Adam.builder().learningRateSchedule(rate).beta1(spec.beta1()).beta2(spec.beta2()).epsilon(spec.epsilon()).build();
            case "rmsprop" -> RmsProp.builder().learningRateSchedule(rate).rmsDecay(spec.rho()).epsilon(spec.epsilon()).build();
            case "nesterovs" -> Nesterovs.builder().learningRateSchedule(rate).momentum(spec.momentum()).build();
            case "sgd" -> Sgd.builder().learningRateSchedule(rate).build();
            default -> throw new IllegalArgumentException("updater " + spec.name());
        };
    }

    static WeightInit weightInit(String name) {
        return switch (name) {
            case "xavier-uniform" -> WeightInit.XAVIER_UNIFORM;
            case "xavier" -> WeightInit.XAVIER;
            case "relu" -> WeightInit.RELU;
            case "relu-uniform" -> WeightInit.RELU_UNIFORM;
            case "normal" -> WeightInit.NORMAL;
            default -> throw new IllegalArgumentException("weight init " + name);
        };
    }

    static Activation activation(String name) {
        return switch (name) {
            case "relu" -> Activation.RELU;
            case "tanh" -> Activation.TANH;
            case "sigmoid" -> Activation.SIGMOID;
            case "elu" -> Activation.ELU;
            case "leakyrelu" -> Activation.LEAKYRELU;
            case "identity" -> Activation.IDENTITY;
            default -> throw new IllegalArgumentException("activation " + name);
        };
    }
}
