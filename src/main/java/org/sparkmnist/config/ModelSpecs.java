package org.sparkmnist.config;

import java.util.List;
import org.sparkmnist.model.HiddenActivation;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.model.UpdaterKind;
import org.sparkmnist.model.UpdaterSpec;
import org.sparkmnist.model.WeightInitScheme;

/** Reads and checks one {@code model.<name>} section (falling back to model.defaults) into a {@link ModelSpec}. */
final class ModelSpecs {

    private ModelSpecs() {
    }

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
                model.oneOf("activation", HiddenActivation.class),
                model.oneOf("weight-init", WeightInitScheme.class),
                model.fraction("dropout"),
                l2,
                model.longInteger("seed"),
                updater(model.at("updater")));
    }

    private static UpdaterSpec updater(ConfigReader updater) {
        return new UpdaterSpec(
                updater.oneOf("name", UpdaterKind.class),
                updater.positiveNumber("learning-rate"),
                updater.shrinkFactor("learning-rate-decay"),
                updater.fraction("rho"),
                updater.fraction("beta1"),
                updater.fraction("beta2"),
                updater.fraction("momentum"),
                updater.positiveNumber("epsilon"));
    }
}
