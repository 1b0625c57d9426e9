package org.sparkmnist.training;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Scores the final model on the test set on the driver. The test set is small and kept apart from
 * training, and one pass gives everything the outputs need: loss, accuracy, confusion matrix,
 * per-class precision and recall, and the digits it got wrong.
 */
public final class TestEvaluator {

    private TestEvaluator() {
    }

    public static TestResult evaluate(MultiLayerNetwork network, DataSet test, int keepMisclassified) {
        INDArray probabilities = network.output(test.getFeatures(), false);
        Evaluation evaluation = new Evaluation(test.getLabels().columns());
        evaluation.eval(test.getLabels(), probabilities);
        Tally tally = CrossEntropy.tally(probabilities, test.getLabels());
        List<TestResult.Misclassified> wrong = new ArrayList<>();
        INDArray predicted = probabilities.argMax(1);
        INDArray actual = test.getLabels().argMax(1);
        for (int i = 0; i < probabilities.rows() && wrong.size() < keepMisclassified; i++) {
            int p = predicted.getInt(i);
            int a = actual.getInt(i);
            if (p != a) {
                wrong.add(new TestResult.Misclassified(i, a, p, probabilities.getRow(i).toFloatVector()));
            }
        }
        return new TestResult(tally.loss(), tally.accuracy(), evaluation, wrong);
    }
}
