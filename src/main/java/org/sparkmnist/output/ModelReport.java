package org.sparkmnist.output;

import java.util.List;
import org.sparkmnist.training.EpochMetrics;
import org.sparkmnist.training.TestResult;

/**
 * What the run says of one trained model, in summary.json and report.html.
 *
 * @param tutorialAccuracy the Keras tutorial's test accuracy for this model, or null for a model the tutorial has not
 */
public record ModelReport(String name, List<EpochMetrics> history, TestResult test, long params, Double tutorialAccuracy) {

    public ModelReport {
        history = List.copyOf(history);
    }

    /** Wall-clock seconds of all epochs, metrics included. */
    public double trainSeconds() {
        return history.stream().mapToDouble(EpochMetrics::seconds).sum();
    }
}
