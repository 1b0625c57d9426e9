package org.sparkmnist.model;

import java.util.List;

/** One network to train, as the user described it in {@code model.<name>}; checked when the config is read. */
public record ModelSpec(
        String name,
        List<Integer> hiddenLayers,
        HiddenActivation activation,
        WeightInitScheme weightInit,
        double dropout,
        double l2,
        long seed,
        UpdaterSpec updater) {

    public ModelSpec {
        hiddenLayers = List.copyOf(hiddenLayers);
    }
}
