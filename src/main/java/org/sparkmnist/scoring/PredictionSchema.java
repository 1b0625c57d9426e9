package org.sparkmnist.scoring;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
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
    static final String INPUT = "input";
    static final String UNREAD = "unread";

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
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(identity, identityType(), false));
        fields.add(DataTypes.createStructField(LABEL, DataTypes.IntegerType, true));
        fields.add(DataTypes.createStructField(PREDICTION, DataTypes.IntegerType, true));
        fields.add(DataTypes.createStructField(PROBABILITY, DataTypes.FloatType, true));
        for (int c = 0; c < classes; c++) {
            fields.add(DataTypes.createStructField(probabilityOf(c), DataTypes.FloatType, true));
        }
        fields.add(DataTypes.createStructField(REASON, DataTypes.StringType, true));
        return DataTypes.createStructType(fields);
    }

    private DataType identityType() {
        return identity.equals(INDEX) ? DataTypes.IntegerType : DataTypes.StringType;
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

    /**
     * What the job hands {@link MnistClassifierModel}: the identity, {@code label}, the model's input
     * column {@code input} of type {@code input}, and {@code unread}, why the input could not be read
     * (its {@code input} is then null), null otherwise.
     */
    StructType inputType(DataType input) {
        return inputType(input, Metadata.empty());
    }

    /** {@link #inputType(DataType)}, its {@code input} column carrying {@code metadata} (what kind of input it is). */
    StructType inputType(DataType input, Metadata metadata) {
        return DataTypes.createStructType(List.of(DataTypes.createStructField(identity, identityType(), false),
                DataTypes.createStructField(LABEL, DataTypes.IntegerType, true), DataTypes.createStructField(INPUT, input, true, metadata),
                DataTypes.createStructField(UNREAD, DataTypes.StringType, true)));
    }

    /**
     * A row of {@link #type()} from a row of {@link #inputType} followed by the four columns the
     * model appends (prediction, probability, raw prediction, rejection): the input's own reason it
     * could not be read comes before the model's rejection. By position, not name: Spark may hand
     * the model's rows on without a schema.
     */
    Row classified(Row row) {
        int appended = row.length() - 4;
        Object[] values = new Object[classes + 5];
        values[0] = row.get(0);
        values[1] = row.get(1);
        Vector probability = (Vector) row.get(appended + 1);
        if (probability != null) {
            int predicted = (int) row.getDouble(appended);
            values[2] = predicted;
            // The network's floats, which the model widened to doubles exactly.
            values[3] = (float) probability.apply(predicted);
            for (int c = 0; c < classes; c++) {
                values[4 + c] = (float) probability.apply(c);
            }
        }
        String unread = row.getString(appended - 1);
        values[classes + 4] = unread != null ? unread : row.getString(appended + 3);
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
