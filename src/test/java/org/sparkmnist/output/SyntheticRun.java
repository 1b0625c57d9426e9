package org.sparkmnist.output;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.evaluation.classification.Evaluation;
import org.sparkmnist.config.TutorialRecipe;
import org.sparkmnist.training.EpochMetrics;
import org.sparkmnist.training.TestResult;

/**
 * Made-up but plausible results of the tutorial's two models, for testing the report without training; the
 * tutorial's figures are made up too (one below the model's accuracy, one above), since the report only shows them.
 */
final class SyntheticRun {

    static final String CONFIG = """
            {
                "models" : [ "softmax", "mlp" ],
                "run" : { "id" : "synthetic" },
                "spark" : { "app-name" : "</pre><script>alert('x')</script>" },
                "train" : { "batch-size" : 128, "epochs" : 5 }
            }
            """;

    private SyntheticRun() {
    }

    static List<ModelReport> bothModels() {
        return List.of(model("softmax", 7_850, new TutorialRecipe.Figure("softmax", 0.90), 0.08, 5),
                model("mlp", 648_010, new TutorialRecipe.Figure("mlp", 0.99), 0.02, 5));
    }

    /**
     * One model whose test set has 100 digits per class; {@code errorRate} of each class is predicted as the next
     * digit, so the confusion matrix has a known diagonal and one known error per row.
     */
    static ModelReport model(String name, long params, TutorialRecipe.Figure tutorial, double errorRate, int epochs) {
        Evaluation evaluation = new Evaluation(10);
        int wrongPerClass = (int) Math.round(100 * errorRate);
        for (int label = 0; label < 10; label++) {
            for (int i = 0; i < 100; i++) {
                int predicted = i < wrongPerClass ? (label + 1) % 10 : label;
                evaluation.eval(predicted, label);
            }
        }
        double accuracy = 1 - (double) wrongPerClass / 100;
        TestResult test = new TestResult(0.5 * errorRate + 0.05, accuracy, evaluation, List.of());
        return new ModelReport(name, history(epochs, errorRate), test, params, tutorial);
    }

    /** Loss falling and accuracy rising towards the final error rate, as a real run's would. */
    private static List<EpochMetrics> history(int epochs, double errorRate) {
        List<EpochMetrics> history = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double progress = (double) epoch / epochs;
            double error = errorRate * (2 - progress);
            history.add(new EpochMetrics(epoch, 4.0 + 0.1 * epoch, 0.6 * error + 0.04, 1 - error * 0.95,
                    0.6 * error + 0.05, 1 - error));
        }
        return history;
    }
}
