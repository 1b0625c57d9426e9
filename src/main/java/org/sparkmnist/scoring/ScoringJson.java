package org.sparkmnist.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.sparkmnist.store.RunKind;

/**
 * The scoring run's summary.json: which model scored what, how many inputs were predicted and
 * rejected, the accuracy when labels were known, and the config that did it. Named as a training
 * run's, with {@code "job": "scoring"} first, since the run store knows a run of this job by the
 * run id in its summary.json.
 */
final class ScoringJson {

    static final String FILE = "summary.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ScoringJson() {
    }

    static String render(String runId, ScoringModel model, ScoringInput input, String format, ScoringCounts counts,
                         Optional<LabelledMetrics> metrics, OptionalLong labelsUnmatched, double scoringSeconds, Map<String, String> environment,
                         String effectiveConfigJson) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("job", RunKind.SCORING.label());
        root.put("run_id", runId);
        root.put("finished", Instant.now().toString());
        ObjectNode modelNode = root.putObject("model");
        modelNode.put("file", model.source());
        modelNode.put("normalize", model.normalize());
        modelNode.put("params", model.params());
        ObjectNode inputNode = root.putObject("input");
        inputNode.put("kind", input.kind());
        inputNode.put("what", input.describe());
        root.put("format", format);
        root.put("inputs", counts.inputs());
        root.put("predictions", counts.predictions());
        root.put("rejects", counts.rejects());
        root.put("reject_share", counts.rejectShare());
        metrics.ifPresent(m -> {
            root.put("labelled", m.labelled());
            root.put("correct", m.correct());
            root.put("accuracy", m.accuracy());
        });
        labelsUnmatched.ifPresent(n -> root.put("labels_unmatched", n));
        root.put("scoring_seconds", scoringSeconds);
        root.put("images_per_second", counts.inputs() / scoringSeconds);
        ObjectNode env = root.putObject("environment");
        environment.forEach(env::put);
        root.set("config", JSON.readTree(effectiveConfigJson));
        return JSON.writeValueAsString(root) + "\n";
    }
}
