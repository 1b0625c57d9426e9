package org.sparkmnist.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** summary.json: the run's headline numbers per model, and the effective config that produced them. */
public final class SummaryJson {

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
            if (m.tutorial() != null) {
                node.put("tutorial_model", m.tutorial().model());
                node.put("tutorial_test_accuracy", m.tutorial().testAccuracy());
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
