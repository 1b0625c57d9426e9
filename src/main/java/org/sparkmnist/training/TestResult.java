package org.sparkmnist.training;

import java.util.List;
import org.nd4j.evaluation.classification.Evaluation;

/** How a trained model does on the held-out test set. */
public record TestResult(double loss, double accuracy, Evaluation evaluation, List<Misclassified> misclassified) {

    /** A test digit the model got wrong, with the probabilities it gave each class. */
    public record Misclassified(int testIndex, int label, int predicted, float[] probabilities) {
    }
}
