package org.sparkmnist.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparkmnist.config.DataSettings;
import org.sparkmnist.config.SettingsLoader;

/** Runs are read against the Keras tutorial's accuracies only when they trained the tutorial's models on MNIST. */
class SummaryJsonTutorialTest {

    private static DataSettings data(String... overrides) {
        return SettingsLoader.load(List.of(overrides)).data();
    }

    @Test
    void mnistRunsOfTheTutorialsModelsGetItsNumbers() {
        assertEquals(0.977, SummaryJson.tutorialAccuracy(data(), "mlp"));
        assertEquals(0.885, SummaryJson.tutorialAccuracy(data(), "softmax"));
        assertNull(SummaryJson.tutorialAccuracy(data(), "wide"), "a model the tutorial did not train");
    }

    @Test
    void otherDataGetsNone() {
        assertNull(SummaryJson.tutorialAccuracy(data("data.name=fashion-mnist"), "mlp"));
        assertNull(SummaryJson.tutorialAccuracy(data("conf/fashion-mnist.conf"), "softmax"), "conf/fashion-mnist.conf");
    }
}
