package org.sparkmnist.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.sparkmnist.config.DataSettings;

/** summary.json: the run's headline numbers per model, and the effective config that produced them. */
public final class SummaryJson {

    /** The Keras tutorial's reported test accuracies on MNIST, so every MNIST run is read against them. */
    private static final Map<String, Double> TUTORIAL_ACCURACY = Map.of("softmax", 0.885, "mlp", 0.977);

    /**
     * The tutorial's test accuracy to show beside {@code model} trained on {@code data}: null for a model
     * the tutorial did not train, and for data other than MNIST, where its numbers mean nothing.
     */
    public static Double tutorialAccuracy(DataSettings data, String model) {
        return data.isMnist() ? TUTORIAL_ACCURACY.get(model) : null;
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {
    }

    public static String render(String runId, List<ModelReport> models, String effectiveConfigJson, Map<String, String> environment)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("run_id", runId);
        root.put("finished", Instant.now().toString());
        ObjectNode byName = root.putObject("models");
        for (ModelReport m : models) {
            ObjectNode node = byName.putObject(m.name());
            node.put("test_accuracy", m.test().accuracy());
            node.put("test_loss", m.test().loss());
            node.put("params", m.params());
            node.put("epochs", m.history().size());
            node.put("train_seconds", m.trainSeconds());
            node.put("seconds_per_epoch", m.trainSeconds() / m.history().size());
            if (m.tutorialAccuracy() != null) {
                node.put("tutorial_test_accuracy", m.tutorialAccuracy());
            }
        }
        ArrayNode order = root.putArray("model_order");
        models.forEach(m -> order.add(m.name()));
        ObjectNode env = root.putObject("environment");
        environment.forEach(env::put);
        root.set("config", JSON.readTree(effectiveConfigJson));
        return JSON.writeValueAsString(root) + "\n";
    }
}
