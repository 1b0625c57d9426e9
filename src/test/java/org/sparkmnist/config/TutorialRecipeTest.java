package org.sparkmnist.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.model.UpdaterKind;
import org.sparkmnist.model.UpdaterSpec;
import org.junit.jupiter.api.Test;

/**
 * conf/tutorial.conf is an overlay on reference.conf's tuned defaults, so it must pin every part of
 * the Keras recipe the tuned default changes.
 */
class TutorialRecipeTest {

    @Test
    void tutorialOnTopOfTheDefaultIsExactlyTheKerasRecipe() {
        JobSettings settings = SettingsLoader.load(List.of("conf/tutorial.conf"));
        assertFalse(settings.data().normalize(), "raw 0..255 pixels");
        assertEquals(50_000, settings.split().train());
        assertEquals(10_000, settings.split().validation());
        assertEquals(50, settings.train().epochs());
        assertEquals(128, settings.train().batchSize());
        assertEquals(List.of("softmax", "mlp"), settings.models().stream().map(ModelSpec::name).toList());
        for (ModelSpec model : settings.models()) {
            UpdaterSpec updater = model.updater();
            assertEquals(UpdaterKind.RMSPROP, updater.kind(), model.name());
            assertEquals(1e-4, updater.learningRate(), 1e-15, model.name());
            assertEquals(1.0, updater.learningRateDecay(), 0, model.name() + ": Keras keeps the rate constant");
            assertEquals(0.9, updater.rho(), 1e-15, model.name());
            assertEquals(1e-7, updater.epsilon(), 1e-20, model.name());
            assertEquals(0.0, model.dropout(), 0, model.name());
            assertEquals(0.0, model.l2(), 0, model.name());
        }
    }
}
