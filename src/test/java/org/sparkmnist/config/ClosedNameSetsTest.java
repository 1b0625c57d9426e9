package org.sparkmnist.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkmnist.BadInputException;
import org.sparkmnist.ConfigName;
import org.sparkmnist.model.HiddenActivation;
import org.sparkmnist.model.UpdaterKind;
import org.sparkmnist.model.WeightInitScheme;

/**
 * Each closed set of config names is one enum; what reference.conf, the README and error messages
 * list must be exactly its members, so that adding a member cannot leave the documentation behind.
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

    private static String list(List<String> names) {
        return "one of: " + String.join(", ", names);
    }

    @ParameterizedTest
    @MethodSource("sets")
    void referenceConfListsExactlyTheMembers(String key, List<String> names) throws IOException {
        String reference = new String(ClosedNameSetsTest.class.getClassLoader().getResourceAsStream("reference.conf").readAllBytes());
        assertTrue(reference.contains(list(names)), "reference.conf should document " + key + " as \"" + list(names) + "\"");
    }

    @ParameterizedTest
    @MethodSource("sets")
    void errorMessagesListExactlyTheMembers(String key, List<String> names) {
        String message = rejectionOf(key).getMessage();
        assertTrue(message.contains("must be one of " + String.join(", ", names) + ", got \"no-such-name\""), message);
    }

    @Test
    void readmeTableListsExactlyTheMembersOfEachModelSet() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (Arguments set : sets().subList(0, 3)) {
            String key = (String) set.get()[0];
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) set.get()[1];
            String row = readme.lines().filter(l -> l.startsWith("| `" + key + "`")).findFirst().orElse("");
            assertTrue(row.contains(list(names)), "README's row for " + key + " should say \"" + list(names) + "\": " + row);
        }
    }
}
