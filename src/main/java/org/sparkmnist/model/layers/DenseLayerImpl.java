package org.sparkmnist.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training arithmetic of a {@link DenseLayer}. It computes what DL4J's dense layer computes, with
 * less work per minibatch:
 * <ul>
 * <li>the forward pass keeps its pre-activation x·W + b for backprop, which DL4J recomputes there
 *     (a full matrix product per layer);</li>
 * <li>the first layer of a network returns no input gradient: its input is the data, and
 *     MultiLayerNetwork discards that gradient when it trains, as it does for embedding layers, which
 *     return none either;</li>
 * <li>each product is written straight into an array of the order its consumer reads
 *     ({@link DenseArithmetic}).</li>
 * </ul>
 * Whenever the kept pre-activation might not belong to the current input (a new input was set, or its
 * workspace has been closed since), backprop recomputes it as DL4J does.
 */
public class DenseLayerImpl extends BaseLayer<DenseLayer> {

    private static final long serialVersionUID = 1L;

    private transient INDArray keptPreActivation;
    private transient INDArray keptForInput;

    public DenseLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaces) {
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaces);
        INDArray z = DenseArithmetic.preActivation(input, getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, training, workspaces),
                getParamWithNoise(DefaultParamInitializer.BIAS_KEY, training, workspaces), workspaces, ArrayType.ACTIVATIONS, layerId());
        if (maskArray != null) {
            applyMask(z);
        }
        return new Pair<>(z, z);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaces) {
        INDArray z = preOutput(training, workspaces);
        if (!training) {
            return mask(layerConf().getActivationFn().getActivation(z, false));
        }
        // Activation functions work in place; apply this one to a copy so that z survives until backprop.
        INDArray activation = layerConf().getActivationFn().getActivation(workspaces.dup(ArrayType.ACTIVATIONS, z), true);
        keptPreActivation = z;
        keptForInput = input;
        return mask(activation);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaces) {
        assertInputSet(true);
        INDArray z = keptPreActivationIsCurrent() ? keptPreActivation : preOutput(true, workspaces);
        forgetPreActivation();
        INDArray delta = layerConf().getActivationFn().backprop(z, epsilon).getFirst();
        if (maskArray != null) {
            applyMask(delta);
        }

        Gradient gradient = new DefaultGradient();
        INDArray biasGradient = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
        delta.sum(biasGradient, 0);
        gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGradient);
        INDArray weightGradient = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        DenseArithmetic.weightGradient(input, delta, weightGradient);
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGradient);

        INDArray inputGradient = null;
        if (getIndex() > 0) {
            inputGradient = backpropDropOutIfPresent(DenseArithmetic.inputGradient(delta,
                    getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, true, workspaces), workspaces));
        }
        weightNoiseParams.clear();
        return new Pair<>(gradient, inputGradient);
    }

    /** True when the kept pre-activation was computed from the current input and its memory is still valid. */
    private boolean keptPreActivationIsCurrent() {
        if (keptPreActivation == null || keptForInput != input) {
            return false;
        }
        return Workspaces.stillValid(keptPreActivation);
    }

    private void forgetPreActivation() {
        keptPreActivation = null;
        keptForInput = null;
    }

    private INDArray mask(INDArray activation) {
        if (maskArray != null) {
            applyMask(activation);
        }
        return activation;
    }

    @Override
    public void clear() {
        super.clear();
        forgetPreActivation();
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return true;
    }

    @Override
    public boolean hasLayerNorm() {
        return false;
    }
}
