package org.sparkmnist.scoring;

import org.nd4j.evaluation.classification.Evaluation;

/** How the predictions of the inputs with a known label did: the training run's test metrics, for new data. */
record LabelledMetrics(Evaluation evaluation, long labelled, long correct) {

    /** Correct over labelled, as the training run's test_accuracy is computed. */
    double accuracy() {
        return labelled == 0 ? Double.NaN : (double) correct / labelled;
    }
}
