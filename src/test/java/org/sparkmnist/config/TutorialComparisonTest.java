package org.sparkmnist.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run's model is read against the tutorial's reported accuracy when it is one of the tutorial's networks
 * trained on MNIST, whatever it is called and whether or not conf/tutorial.conf was given.
 */
class TutorialComparisonTest {

    private static final TutorialRecipe TUTORIAL = TutorialRecipe.fromJar();

    /** The tutorial's model and its figure as conf/tutorial.conf, their one home, states them. */
    private static TutorialRecipe.Figure reported(String model) {
        return new TutorialRecipe.Figure(model,
                ConfigFactory.parseFile(new File("conf/tutorial.conf")).getDouble("reported.test-accuracy." + model));
    }

    private static TutorialRecipe.Figure compared(String model, String... args) {
        JobSettings run = SettingsLoader.load(List.of(args));
        return TUTORIAL.comparedWith(run.data(), run.models().stream().filter(m -> m.name().equals(model)).findFirst().orElseThrow());
    }

    @Test
    void theTunedDefaultsModelsAreComparedWithTheTutorials() {
        assertEquals(reported("mlp"), compared("mlp"));
        assertEquals(reported("softmax"), compared("softmax"));
    }

    @Test
    void theTutorialRecipesOwnRunIsComparedWithItsFigures() {
        assertEquals(reported("mlp"), compared("mlp", "conf/tutorial.conf"));
    }

    @Test
    void theTutorialsNetworkUnderAnotherNameIsCompared() {
        assertEquals(reported("mlp"), compared("wide", "models=[wide]", "model.wide.hidden-layers=[500, 500]"));
    }

    @Test
    void anMlpOfOtherLayersIsNotCompared() {
        assertNull(compared("mlp", "model.mlp.hidden-layers=[1000, 500]"));
    }

    @Test
    void anMlpOfAnotherActivationIsNotCompared() {
        assertNull(compared("mlp", "model.defaults.activation=tanh"));
    }

    @Test
    void softmaxHasNoHiddenActivationToDifferIn() {
        assertEquals(reported("softmax"), compared("softmax", "model.defaults.activation=tanh"));
    }

    @Test
    void aRunOnOtherDataIsNotCompared() {
        assertNull(compared("mlp", "data.name=fashion-mnist"));
        assertNull(compared("softmax", "conf/fashion-mnist.conf"));
    }

    @Test
    void imagesOfAnotherSizeAreNotCompared() {
        assertNull(compared("softmax", "data.rows=14", "data.cols=14"));
    }

    @Test
    void reportedFiguresInAUsersFileChangeNothing() {
        assertEquals(reported("mlp"), compared("mlp", "reported.test-accuracy.mlp=0.5"));
    }

    @Test
    void aRecipesReportedFiguresAreNoPartOfTheConfigARunRecords() {
        assertFalse(SettingsLoader.load(List.of("conf/tutorial.conf")).effective().hasPath(SettingsLoader.REPORTED));
    }
}
