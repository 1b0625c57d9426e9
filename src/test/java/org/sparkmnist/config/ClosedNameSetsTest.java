package org.sparkmnist.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkmnist.BadInputException;
import org.sparkmnist.ConfigName;
import org.sparkmnist.model.HiddenActivation;
import org.sparkmnist.model.UpdaterKind;
import org.sparkmnist.model.WeightInitScheme;

/**
 * Each closed set of config names is one enum, and a name outside it is refused with a message that lists
 * exactly its members, so that adding a member cannot leave the message behind.
 */
class ClosedNameSetsTest {

    static List<Arguments> sets() {
        return List.of(
                Arguments.of("model.defaults.activation", ConfigName.names(HiddenActivation.class)),
                Arguments.of("model.defaults.weight-init", ConfigName.names(WeightInitScheme.class)),
                Arguments.of("model.defaults.updater.name", ConfigName.names(UpdaterKind.class)),
                Arguments.of("output.mode", ConfigName.names(OutputSettings.Mode.class)),
                Arguments.of("score.images.invert", ConfigName.names(Inversion.class)),
                Arguments.of("score.format", ConfigName.names(PredictionFormat.class)));
    }

    /** The scoring job reads the score section; the training job does not look at it. */
    private static BadInputException rejectionOf(String key) {
        if (key.startsWith("score.")) {
            return org.junit.jupiter.api.Assertions.assertThrows(BadInputException.class, () -> SettingsLoader.loadScoring(
                    List.of("score.model.run=r", "score.input.path=in", key + "=no-such-name")));
        }
        return org.junit.jupiter.api.Assertions.assertThrows(BadInputException.class, () -> SettingsLoader.load(List.of(key + "=no-such-name")));
    }

    @ParameterizedTest
    @MethodSource("sets")
    void errorMessagesListExactlyTheMembers(String key, List<String> names) {
        String message = rejectionOf(key).getMessage();
        assertTrue(message.contains("must be one of " + String.join(", ", names) + ", got \"no-such-name\""), message);
    }
}
