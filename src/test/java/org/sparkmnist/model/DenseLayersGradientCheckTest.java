package org.sparkmnist.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.sparkmnist.model.layers.DenseLayer;
import org.sparkmnist.model.layers.OutputLayer;

/**
 * The gradients this project's layers compute are the derivatives of the loss they report: each
 * parameter nudged both ways in double precision (DL4J's GradientCheckUtil) on small networks.
 */
class DenseLayersGradientCheckTest {

    private static final int EXAMPLES = 12;
    private static final int INPUTS = 7;
    private static final int CLASSES = 4;

    private static DataType savedDefault;

    @BeforeAll
    static void doublePrecision() {
        savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
    }

    private static MultiLayerNetwork network(Activation hidden, double l2, int... widths) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).l2(l2).list();
        int width = INPUTS;
        for (int next : widths) {
            layers.layer(new DenseLayer.Builder().nIn(width).nOut(next).activation(hidden).build());
            width = next;
        }
        layers.layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(width).nOut(CLASSES).activation(Activation.SOFTMAX).build());
        MultiLayerNetwork network = new MultiLayerNetwork(layers.build());
        network.init();
        return network;
    }

    private static boolean gradientsMatchTheLoss(MultiLayerNetwork network) {
        Nd4j.getRandom().setSeed(7);
        INDArray input = Nd4j.rand(DataType.DOUBLE, EXAMPLES, INPUTS).subi(0.5).muli(2);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, EXAMPLES, CLASSES);
        for (int i = 0; i < EXAMPLES; i++) {
            labels.putScalar(i, i % CLASSES, 1.0);
        }
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(network).input(input).labels(labels)
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    @ParameterizedTest
    @EnumSource(HiddenActivation.class)
    void twoHiddenLayersWithEveryActivation(HiddenActivation activation) {
        assertTrue(gradientsMatchTheLoss(network(activation.dl4j(), 0.0, 6, 5)), activation.configName());
    }

    @Test
    void l2RegularisationIsInTheLossAndTheGradient() {
        assertTrue(gradientsMatchTheLoss(network(Activation.TANH, 0.05, 6, 5)));
    }

    @Test
    void outputLayerAloneAsTheSoftmaxModel() {
        assertTrue(gradientsMatchTheLoss(network(Activation.TANH, 0.0)));
    }
}
