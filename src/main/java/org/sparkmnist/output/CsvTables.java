package org.sparkmnist.output;

import java.util.List;
import java.util.Locale;
import org.nd4j.evaluation.classification.ConfusionMatrix;
import org.nd4j.evaluation.classification.Evaluation;
import org.sparkmnist.training.EpochMetrics;
import org.sparkmnist.training.TestResult;

/** The run's tables as CSV text, with fixed headers that the notebook and users' scripts rely on. */
public final class CsvTables {

    private CsvTables() {
    }

    public static String metrics(List<EpochMetrics> history) {
        StringBuilder csv = new StringBuilder("epoch,seconds,loss,accuracy,val_loss,val_accuracy\n");
        for (EpochMetrics m : history) {
            csv.append(String.format(Locale.ROOT, "%d,%.3f,%.6f,%.6f,%.6f,%.6f%n",
                    m.epoch(), m.seconds(), m.loss(), m.accuracy(), m.valLoss(), m.valAccuracy()));
        }
        return csv.toString();
    }

    /** Rows are true labels, columns predicted labels. */
    public static String confusion(Evaluation evaluation, int classes) {
        ConfusionMatrix<Integer> matrix = evaluation.getConfusion();
        StringBuilder csv = new StringBuilder("label");
        for (int predicted = 0; predicted < classes; predicted++) {
            csv.append(",pred_").append(predicted);
        }
        csv.append('\n');
        for (int actual = 0; actual < classes; actual++) {
            csv.append(actual);
            for (int predicted = 0; predicted < classes; predicted++) {
                csv.append(',').append(matrix.getCount(actual, predicted));
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    /**
     * One row per class, by label; {@code name} comes last so that the columns before it keep the
     * places they had before it existed.
     */
    public static String classes(Evaluation evaluation, List<String> classNames) {
        StringBuilder csv = new StringBuilder("class,precision,recall,f1,support,name\n");
        for (int c = 0; c < classNames.size(); c++) {
            int support = evaluation.getConfusion().getActualTotal(c);
            csv.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%d,%s%n",
                    c, evaluation.precision(c), evaluation.recall(c), evaluation.f1(c), support, field(classNames.get(c))));
        }
        return csv.toString();
    }

    /** A CSV field as RFC 4180 has it: quoted, with its quotes doubled, when it holds a comma, quote or line break. */
    static String field(String text) {
        if (text.chars().noneMatch(ch -> ch == ',' || ch == '"' || ch == '\n' || ch == '\r')) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** One row per misclassified test digit, in the order of misclassified-images-idx3-ubyte. */
    public static String misclassified(List<TestResult.Misclassified> wrong, int classes) {
        StringBuilder csv = new StringBuilder("test_index,label,predicted,confidence");
        for (int c = 0; c < classes; c++) {
            csv.append(",p").append(c);
        }
        csv.append('\n');
        for (TestResult.Misclassified m : wrong) {
            csv.append(m.testIndex()).append(',').append(m.label()).append(',').append(m.predicted());
            csv.append(String.format(Locale.ROOT, ",%.6f", m.probabilities()[m.predicted()]));
            for (float p : m.probabilities()) {
                csv.append(String.format(Locale.ROOT, ",%.6f", p));
            }
            csv.append('\n');
        }
        return csv.toString();
    }
}
