package org.sparkmnist.scoring;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.ScoringSettings.InputSource;

/**
 * What the job scores, checked on the driver before Spark starts (it exists, is not empty, fits the
 * model, its labels agree with it), then read by the executors: the driver never loads an image.
 */
interface ScoringInput {

    /**
     * An idx image file, or a directory of image files, whichever {@code source.path()} is; an image
     * file of more than {@code maxFileBytes} is a reject, by its listed size.
     */
    static ScoringInput check(InputSource source, long maxFileBytes, ScoringModel model, Configuration hadoop) {
        Path path = new Path(source.path());
        FileStatus status;
        try {
            status = path.getFileSystem(hadoop).getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new BadInputException("input " + path + " (score.input.path) does not exist; expected an idx image file or a directory of images");
        } catch (IOException e) {
            throw new BadInputException("input " + path + " (score.input.path) cannot be read: " + e.getMessage(), e);
        }
        return status.isDirectory()
                ? ImageDirectoryInput.check(path, source.labels(), maxFileBytes, model, hadoop)
                : IdxInput.check(path, source.labels(), model, hadoop);
    }

    /** "idx" or "images", for the scoring run's record. */
    String kind();

    /** One line saying what is scored, for the log. */
    String describe();

    boolean labelled();

    /** How many rows its labels file has, when a row may name no input (a CSV); empty otherwise. */
    default OptionalLong labelRows() {
        return OptionalLong.empty();
    }

    /** A labels row naming no input, given the identities (as rows hold them) of the inputs that got a label. */
    default Optional<String> unmatchedLabel(Set<String> labelledIdentities) {
        return Optional.empty();
    }

    PredictionSchema schema();

    /**
     * The inputs as rows of {@code schema().inputType(...)}, read by the executors, in partitions
     * that follow the input's size; its {@code input} column is what {@link MnistClassifierModel} reads.
     */
    Dataset<Row> frame(SparkSession spark);
}
