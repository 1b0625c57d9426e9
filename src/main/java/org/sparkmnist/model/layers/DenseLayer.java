package org.sparkmnist.model.layers;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fully connected layer, activation(x·W + b), with the parameters, initialisation and JSON form of
 * DL4J's own dense layer but a cheaper training step ({@link DenseLayerImpl}): same numbers, less work.
 * A custom layer in DL4J's sense: this is the configuration that networks serialise; it builds the
 * implementation that computes.
 */
public class DenseLayer extends FeedForwardLayer {

    private static final long serialVersionUID = 1L;

    /** For Jackson, which reads the fields of a saved configuration into it. */
    protected DenseLayer() {
    }

    private DenseLayer(Builder builder) {
        super(builder);
        initializeConstraints(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(this, () -> new DenseLayerImpl(conf, networkDataType), conf, trainingListeners, layerIndex, layerParamsView,
                initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return DefaultParamInitializer.getInstance();
    }

    public boolean hasBias() {
        return true;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long params = initializer().numParams(this);
        // Working memory as DL4J's dense layer reports it: the layer's output, and a dropped-out copy of its input.
        long working = outputType.arrayElementsPerExample() + (getIDropout() != null ? inputType.arrayElementsPerExample() : 0);
        return new LayerMemoryReport.Builder(layerName, DenseLayer.class, inputType, outputType)
                .standardMemory(params, getIUpdater().stateSize(params))
                .workingMemory(0, 0, 0, working)
                // Kept from the forward pass to backprop, whatever DL4J's cache mode: the pre-activation.
                .cacheMemory(0, outputType.arrayElementsPerExample())
                .build();
    }

    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && super.equals(other);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    /** Configures a {@link DenseLayer} as DL4J's DenseLayer.Builder does (nIn, nOut, activation, dropOut, ...). */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {

        @Override
        @SuppressWarnings("unchecked")
        public DenseLayer build() {
            return new DenseLayer(this);
        }
    }
}
