package org.sparkmnist.scoring;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkmnist.runtime.KnownSecrets;

import static org.apache.spark.sql.functions.col;

/**
 * The columns of what scoring produces, one row per input: its identity ({@code index} in an idx
 * file, or the file's {@code path}), {@code label} (null when unknown), {@code prediction},
 * {@code probability} (of the prediction), {@code p0} .. {@code p<classes-1>}, and {@code reason},
 * set only for a rejected input, whose prediction columns are null. The predictions output keeps
 * all but {@code reason} (and {@code label} when there are no labels); the rejects output keeps the
 * identity and {@code reason}.
 *
 * <p>Rows are made here, on the executors, and every text in them (a path, a reason, which may quote
 * a library's message) is masked as the driver's files are ({@link #maskingWith}): a path keeps its
 * scheme, host and path, which is all that names the file, and loses only its user-info
 * ({@code hdfs://****@nn:8020/digits/7.png}).
 */
final class PredictionSchema implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    static final String INDEX = "index";
    static final String PATH = "path";
    static final String LABEL = "label";
    static final String PREDICTION = "prediction";
    static final String PROBABILITY = "probability";
    static final String REASON = "reason";

    private final String identity;
    private final int classes;
    private final KnownSecrets secrets;

    private PredictionSchema(String identity, int classes, KnownSecrets secrets) {
        this.identity = identity;
        this.classes = classes;
        this.secrets = secrets;
    }

    /** Rows identified by their index in an idx file. */
    static PredictionSchema byIndex(int classes) {
        return new PredictionSchema(INDEX, classes, KnownSecrets.NONE);
    }

    /** Rows identified by their file's path. */
    static PredictionSchema byPath(int classes) {
        return new PredictionSchema(PATH, classes, KnownSecrets.NONE);
    }

    /** This schema, making rows whose texts are masked with {@code secrets} (the driver's, shipped with the task). */
    PredictionSchema maskingWith(KnownSecrets secrets) {
        return new PredictionSchema(identity, classes, secrets);
    }

    String identity() {
        return identity;
    }

    int classes() {
        return classes;
    }

    StructType type() {
        DataType idType = identity.equals(INDEX) ? DataTypes.IntegerType : DataTypes.StringType;
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(identity, idType, false));
        fields.add(DataTypes.createStructField(LABEL, DataTypes.IntegerType, true));
        fields.add(DataTypes.createStructField(PREDICTION, DataTypes.IntegerType, true));
        fields.add(DataTypes.createStructField(PROBABILITY, DataTypes.FloatType, true));
        for (int c = 0; c < classes; c++) {
            fields.add(DataTypes.createStructField(probabilityOf(c), DataTypes.FloatType, true));
        }
        fields.add(DataTypes.createStructField(REASON, DataTypes.StringType, true));
        return DataTypes.createStructType(fields);
    }

    static String probabilityOf(int c) {
        return "p" + c;
    }

    /** The columns of the predictions output. */
    Column[] predictionColumns(boolean labelled) {
        List<Column> columns = new ArrayList<>();
        columns.add(col(identity));
        if (labelled) {
            columns.add(col(LABEL));
        }
        columns.add(col(PREDICTION));
        columns.add(col(PROBABILITY));
        for (int c = 0; c < classes; c++) {
            columns.add(col(probabilityOf(c)));
        }
        return columns.toArray(new Column[0]);
    }

    Column[] rejectColumns() {
        return new Column[] {col(identity), col(REASON)};
    }

    Row scored(InputDigit digit, float[] probabilities) {
        int predicted = 0;
        for (int c = 1; c < classes; c++) {
            if (probabilities[c] > probabilities[predicted]) {
                predicted = c;
            }
        }
        Object[] values = new Object[classes + 5];
        values[0] = digit.id();
        values[1] = digit.label();
        values[2] = predicted;
        values[3] = probabilities[predicted];
        for (int c = 0; c < classes; c++) {
            values[4 + c] = probabilities[c];
        }
        return row(values);
    }

    Row rejected(InputDigit digit) {
        Object[] values = new Object[classes + 5];
        values[0] = digit.id();
        values[1] = digit.label();
        values[classes + 4] = digit.reason();
        return row(values);
    }

    /** The one place a row is made: its texts masked. */
    private Row row(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] instanceof String text) {
                values[i] = secrets.mask(text);
            }
        }
        return RowFactory.create(values);
    }
}
