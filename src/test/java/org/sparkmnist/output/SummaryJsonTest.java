package org.sparkmnist.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparkmnist.config.TutorialRecipe;

/** summary.json records, per model, which of the tutorial's models it was compared with, if any. */
class SummaryJsonTest {

    private static JsonNode model(ModelReport report) throws IOException {
        String json = SummaryJson.render("r", List.of(report), "{}", Map.of());
        return new ObjectMapper().readTree(json).path("models").path(report.name());
    }

    @Test
    void recordsTheTutorialModelAndFigureAModelWasComparedWith() throws IOException {
        JsonNode wide = model(SyntheticRun.model("wide", 100, new TutorialRecipe.Figure("mlp", 0.95), 0.1, 2));
        assertEquals("mlp", wide.path("tutorial_model").asText());
        assertEquals(0.95, wide.path("tutorial_test_accuracy").asDouble());
    }

    @Test
    void recordsNoTutorialForAModelWithoutOne() throws IOException {
        JsonNode wide = model(SyntheticRun.model("wide", 100, null, 0.1, 2));
        assertTrue(wide.path("tutorial_model").isMissingNode() && wide.path("tutorial_test_accuracy").isMissingNode(), wide.toString());
    }
}
