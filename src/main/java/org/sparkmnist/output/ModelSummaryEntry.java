package org.sparkmnist.output;

/** What summary.json says of one model. */
public record ModelSummaryEntry(
        String model,
        double testAccuracy,
        double testLoss,
        long params,
        int epochs,
        double trainSeconds,
        double secondsPerEpoch,
        Double tutorialAccuracy) {
}
