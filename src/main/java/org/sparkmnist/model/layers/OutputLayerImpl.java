package org.sparkmnist.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The arithmetic of an {@link OutputLayer}: DL4J's output layer, with its products written in the order
 * their consumers read ({@link DenseArithmetic}) and no input gradient when it is the network's first
 * layer (the softmax model), whose input is the data.
 */
public class OutputLayerImpl extends BaseOutputLayer<OutputLayer> {

    private static final long serialVersionUID = 1L;

    public OutputLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaces) {
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaces);
        INDArray z = DenseArithmetic.preActivation(input, getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, training, workspaces),
                hasBias() ? getParamWithNoise(DefaultParamInitializer.BIAS_KEY, training, workspaces) : null, workspaces,
                ArrayType.ACTIVATIONS, layerId());
        if (maskArray != null) {
            applyMask(z);
        }
        return new Pair<>(z, z);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaces) {
        assertInputSet(true);
        INDArray preOutput = preOutput2d(true, workspaces);
        INDArray delta = layerConf().getLossFn().computeGradient(getLabels2d(workspaces, ArrayType.BP_WORKING_MEM), preOutput,
                layerConf().getActivationFn(), maskArray);

        Gradient gradient = new DefaultGradient();
        INDArray weightGradient = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        DenseArithmetic.weightGradient(input, delta, weightGradient);
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGradient);
        if (hasBias()) {
            INDArray biasGradient = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
            delta.sum(biasGradient, 0);
            gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGradient);
        }

        INDArray inputGradient = null;
        if (getIndex() > 0) {
            inputGradient = backpropDropOutIfPresent(DenseArithmetic.inputGradient(delta,
                    getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, true, workspaces), workspaces));
        }
        // Weight noise, if any, is kept for the score that follows; MultiLayerNetwork clears it after.
        return new Pair<>(gradient, inputGradient);
    }

    @Override
    protected INDArray getLabels2d(LayerWorkspaceMgr workspaces, ArrayType arrayType) {
        return labels;
    }
}
