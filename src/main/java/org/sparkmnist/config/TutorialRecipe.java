package org.sparkmnist.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.TreeMap;
import org.sparkmnist.model.ModelSpec;

/**
 * The Keras tutorial's recipe, conf/tutorial.conf, as the jar carries it: the tutorial's models and the
 * test accuracy it reports for each. A run is read against those figures when it trained the same network
 * on the same data, so neither a model's name nor the files a run was given decide the comparison.
 */
public final class TutorialRecipe {

    /** Where the build puts conf/tutorial.conf on the classpath (see the pom's resources). */
    static final String RESOURCE = "recipes/tutorial.conf";

    /** A tutorial model's reported test accuracy, and the tutorial's name for that model. */
    public record Figure(String model, double testAccuracy) {
    }

    private final JobSettings recipe;
    private final Map<String, Double> reported;

    TutorialRecipe(JobSettings recipe, Map<String, Double> reported) {
        this.recipe = recipe;
        this.reported = Map.copyOf(reported);
    }

    /** The recipe built into the jar. */
    public static TutorialRecipe fromJar() {
        Config file = ConfigFactory.parseResources(TutorialRecipe.class.getClassLoader(), RESOURCE);
        if (file.isEmpty()) {
            throw new IllegalStateException(RESOURCE + " is missing from the classpath: the build puts conf/tutorial.conf there");
        }
        Config accuracies = file.getConfig(SettingsLoader.REPORTED + ".test-accuracy");
        Map<String, Double> reported = new TreeMap<>();
        accuracies.root().keySet().forEach(model -> reported.put(model, accuracies.getDouble(model)));
        return new TutorialRecipe(SettingsLoader.loadResource(RESOURCE), reported);
    }

    /**
     * What the tutorial reports for {@code model} trained on {@code data}, or null when the tutorial trained
     * no such network there: it must take the same pixels, have the same hidden layers and activation, and
     * tell apart the same classes of the same dataset.
     */
    public Figure comparedWith(DataSettings data, ModelSpec model) {
        if (!sameData(data, recipe.data())) {
            return null;
        }
        return recipe.models().stream()
                .filter(tutorial -> sameLayers(model, tutorial) && reported.containsKey(tutorial.name()))
                .map(tutorial -> new Figure(tutorial.name(), reported.get(tutorial.name())))
                .findFirst()
                .orElse(null);
    }

    private static boolean sameData(DataSettings run, DataSettings tutorial) {
        return run.name().equals(tutorial.name()) && run.pixels() == tutorial.pixels() && run.classes() == tutorial.classes();
    }

    /** The activation of hidden layers means nothing to a network without any. */
    private static boolean sameLayers(ModelSpec run, ModelSpec tutorial) {
        return run.hiddenLayers().equals(tutorial.hiddenLayers())
                && (run.hiddenLayers().isEmpty() || run.activation() == tutorial.activation());
    }
}
