package org.sparkmnist.model.layers;

import java.util.Collection;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a layer configuration turns into its working layer, as DL4J's own dense configurations do it:
 * check the sizes, then give the new layer its listeners, index, slice of the network's parameters
 * (initialised or as they are) and configuration.
 */
final class LayerWiring {

    private LayerWiring() {
    }

    static Layer wire(FeedForwardLayer config, Supplier<Layer> implementation, NeuralNetConfiguration conf,
                      Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams) {
        LayerValidation.assertNInNOutSet(config.getClass().getSimpleName(), config.getLayerName(), index, config.getNIn(), config.getNOut());
        Layer layer = implementation.get();
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(config.initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
