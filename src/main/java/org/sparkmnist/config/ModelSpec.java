package org.sparkmnist.config;

import java.util.List;

/** One network to train, as the user described it in {@code model.<name>}. */
public record ModelSpec(
        String name,
        List<Integer> hiddenLayers,
        String activation,
        String weightInit,
        double dropout,
        double l2,
        long seed,
        UpdaterSpec updater) {

    public static final List<String> ACTIVATIONS = List.of("relu", "tanh", "sigmoid", "elu", "leakyrelu", "identity");
    public static final List<String> WEIGHT_INITS = List.of("xavier-uniform", "xavier", "relu", "relu-uniform", "normal");

    static ModelSpec from(String name, ConfigReader model) {
        List<Integer> hidden = List.copyOf(model.integers("hidden-layers"));
        for (int width : hidden) {
            model.check(width > 0, "hidden-layers", "must hold widths > 0, got " + hidden);
        }
        double l2 = model.number("l2");
        model.check(l2 >= 0, "l2", "must be >= 0, got " + l2);
        return new ModelSpec(
                name,
                hidden,
                model.oneOf("activation", ACTIVATIONS),
                model.oneOf("weight-init", WEIGHT_INITS),
                model.fraction("dropout"),
                l2,
                model.longInteger("seed"),
                UpdaterSpec.from(model.at("updater")));
    }
}
