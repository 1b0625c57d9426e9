package org.sparkmnist.output;

import java.io.IOException;
import java.util.List;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxWriter;
import org.sparkmnist.model.ModelZip;
import org.sparkmnist.store.RunAttempt;
import org.sparkmnist.training.TestResult;
import org.sparkmnist.training.TrainingRun;

/** Writes everything one model leaves in {@code <run>/<model>/}. */
public final class ModelOutputs {

    public static final String MODEL_FILE = "model.zip";

    private ModelOutputs() {
    }

    public static void write(RunAttempt run, String model, TrainingRun training, TestResult test, IdxImages testImages,
                             List<String> classNames) throws IOException {
        int classes = classNames.size();
        String dir = model + "/";
        // A stock DL4J model, with the updater state, so that training can be continued from the saved model.
        run.write(dir + MODEL_FILE, out -> ModelZip.write(training.network(), out, true));
        run.writeText(dir + "metrics.csv", CsvTables.metrics(training.history()));
        run.writeText(dir + "confusion.csv", CsvTables.confusion(test.evaluation(), classes));
        run.writeText(dir + "classes.csv", CsvTables.classes(test.evaluation(), classNames));
        run.writeText(dir + "misclassified.csv", CsvTables.misclassified(test.misclassified(), classes));
        int[] wrong = test.misclassified().stream().mapToInt(TestResult.Misclassified::testIndex).toArray();
        run.write(dir + "misclassified-images-idx3-ubyte", out -> IdxWriter.images(out, testImages.select(wrong)));
        byte[] accuracy = Charts.accuracy(model, training.history());
        byte[] loss = Charts.loss(model, training.history());
        run.write(dir + "accuracy.png", out -> out.write(accuracy));
        run.write(dir + "loss.png", out -> out.write(loss));
    }
}
