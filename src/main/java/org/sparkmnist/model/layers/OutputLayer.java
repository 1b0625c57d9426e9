package org.sparkmnist.model.layers;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * A dense output layer with a loss function, as DL4J's OutputLayer (same parameters, initialisation and
 * JSON form), whose implementation ({@link OutputLayerImpl}) writes its products in the order their
 * consumers read and returns no input gradient when it is a network's only layer.
 */
public class OutputLayer extends BaseOutputLayer {

    private static final long serialVersionUID = 1L;

    /** For Jackson, which reads the fields of a saved configuration into it. */
    protected OutputLayer() {
    }

    private OutputLayer(Builder builder) {
        super(builder);
        initializeConstraints(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(this, () -> new OutputLayerImpl(conf, networkDataType), conf, trainingListeners, layerIndex, layerParamsView,
                initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return DefaultParamInitializer.getInstance();
    }

    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && super.equals(other);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    /** Configures an {@link OutputLayer} as DL4J's OutputLayer.Builder does; softmax unless told otherwise. */
    public static class Builder extends BaseOutputLayer.Builder<Builder> {

        public Builder(LossFunction lossFunction) {
            super(lossFunction);
            setActivationFn(new ActivationSoftmax());
        }

        @Override
        @SuppressWarnings("unchecked")
        public OutputLayer build() {
            return new OutputLayer(this);
        }
    }
}
