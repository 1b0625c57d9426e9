package org.sparkmnist.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

/** What a training run's summary.json says of its two default models' test accuracy. */
public final class SummaryAccuracy {

    private SummaryAccuracy() {
    }

    /** Asserts that the run's softmax and mlp models reached at least the given test accuracies. */
    public static void assertAtLeast(JsonNode summary, double softmax, double mlp) {
        double softmaxAccuracy = summary.at("/models/softmax/test_accuracy").asDouble();
        double mlpAccuracy = summary.at("/models/mlp/test_accuracy").asDouble();
        assertTrue(softmaxAccuracy >= softmax, "softmax test accuracy " + softmaxAccuracy);
        assertTrue(mlpAccuracy >= mlp, "mlp test accuracy " + mlpAccuracy);
    }
}
