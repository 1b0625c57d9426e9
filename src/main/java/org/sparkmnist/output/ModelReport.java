package org.sparkmnist.output;

import java.util.List;
import org.sparkmnist.config.TutorialRecipe;
import org.sparkmnist.training.EpochMetrics;
import org.sparkmnist.training.TestResult;

/**
 * What the run says of one trained model, in summary.json and report.html.
 *
 * @param tutorial what the Keras tutorial reports for this network on this data, or null for a network it has not trained
 */
public record ModelReport(String name, List<EpochMetrics> history, TestResult test, long params, TutorialRecipe.Figure tutorial) {

    public ModelReport {
        history = List.copyOf(history);
    }

    /** Wall-clock seconds of all epochs, metrics included. */
    public double trainSeconds() {
        return history.stream().mapToDouble(EpochMetrics::seconds).sum();
    }
}
