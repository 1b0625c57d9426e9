package org.sparkmnist.scoring;

import static org.apache.spark.sql.functions.col;

import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.nd4j.evaluation.classification.Evaluation;
import org.sparkmnist.config.PredictionFormat;
import org.sparkmnist.runtime.KnownSecrets;

/**
 * Every input scored or rejected, as one DataFrame computed on the executors and cached there, so
 * that counting, writing the predictions, writing the rejects and tallying the metrics score each
 * input once. The scoring is {@link MnistClassifierModel}'s, the same a Spark ML pipeline gets; its
 * output becomes the job's rows ({@link PredictionSchema#classified}).
 */
final class ScoredInputs implements AutoCloseable {

    /** Rows per output file: a few tens of MB of Parquet, and no swarm of tiny files for small inputs. */
    static final long ROWS_PER_FILE = 1_000_000;

    private final Dataset<Row> rows;
    private final PredictionSchema schema;
    private final boolean labelled;
    private final MnistClassifierModel classifier;

    private ScoredInputs(Dataset<Row> rows, PredictionSchema schema, boolean labelled, MnistClassifierModel classifier) {
        this.rows = rows;
        this.schema = schema;
        this.labelled = labelled;
        this.classifier = classifier;
    }

    /**
     * Scores {@code input} with {@code classifier} (its output columns left at their defaults),
     * lazily: nothing runs until the first count or write. Closing this closes the classifier.
     */
    static ScoredInputs of(SparkSession spark, ScoringInput input, MnistClassifierModel classifier) {
        // Rows are made on the executors: they mask their texts with the secrets the driver knows.
        PredictionSchema schema = input.schema().maskingWith(KnownSecrets.thisJvm());
        Dataset<Row> classified = classifier.setInputCol(PredictionSchema.INPUT).transform(input.frame(spark));
        Dataset<Row> frame = classified.map((MapFunction<Row, Row>) schema::classified, Encoders.row(schema.type())).persist();
        return new ScoredInputs(frame, schema, input.labelled(), classifier);
    }

    /**
     * How many inputs there were, how many were rejected and how many had a label: the action that
     * scores them: the job that builds the cache (adaptive execution runs it on its own), then one
     * that counts the cached rows where they are. An aggregation would add a shuffle, which adaptive
     * execution runs as two jobs, each planned and its code generated on the driver first.
     */
    ScoringCounts counts() {
        StructType type = rows.schema();
        long[] totals = rows.queryExecution().toRdd().toJavaRDD()
                .mapPartitions(new CountRows(type.fieldIndex(PredictionSchema.REASON), type.fieldIndex(PredictionSchema.LABEL)))
                .fold(new long[3], CountRows::sum);
        return new ScoringCounts(totals[0], totals[1], totals[2]);
    }

    /**
     * The rows' identities (masked as the rows are) of the inputs that have a label, predicted or
     * rejected: as many as the labels file has rows at most, which the driver holds already.
     */
    Set<String> labelledIdentities() {
        return rows.filter(col(PredictionSchema.LABEL).isNotNull()).select(col(schema.identity())).collectAsList().stream()
                .map(r -> String.valueOf(r.get(0))).collect(Collectors.toSet());
    }

    /** A few rejects, "identity: reason", for a message. */
    List<String> someRejects(int n) {
        return rows.filter(col(PredictionSchema.REASON).isNotNull()).select(schema.rejectColumns()).limit(n).collectAsList().stream()
                .map(r -> r.get(0) + ": " + r.getString(1)).toList();
    }

    void writePredictions(Path dir, PredictionFormat format, long predictions) {
        write(rows.filter(col(PredictionSchema.REASON).isNull()).select(schema.predictionColumns(labelled)), dir, format, predictions);
    }

    void writeRejects(Path dir, PredictionFormat format, long rejects) {
        write(rows.filter(col(PredictionSchema.REASON).isNotNull()).select(schema.rejectColumns()), dir, format, rejects);
    }

    private static void write(Dataset<Row> frame, Path dir, PredictionFormat format, long count) {
        int files = (int) Math.max(1, (count + ROWS_PER_FILE - 1) / ROWS_PER_FILE);
        // A shuffle, not a coalesce: a coalesced task would carry the file lists of all the scan's partitions it merges.
        DataFrameWriter<Row> writer = frame.repartition(files).write().format(format.sparkSource()).mode(SaveMode.ErrorIfExists);
        if (format == PredictionFormat.CSV) {
            writer = writer.option("header", "true");
        }
        writer.save(dir.toString());
    }

    /** Accuracy, confusion matrix and per-class precision/recall over the labelled predictions. */
    LabelledMetrics metrics() {
        Evaluation evaluation = new Evaluation(schema.classes());
        long labelled = 0;
        long correct = 0;
        List<Row> cells = rows.filter(col(PredictionSchema.REASON).isNull().and(col(PredictionSchema.LABEL).isNotNull()))
                .groupBy(PredictionSchema.LABEL, PredictionSchema.PREDICTION).count().collectAsList();
        for (Row cell : cells) {
            int label = cell.getInt(0);
            int predicted = cell.getInt(1);
            long n = cell.getLong(2);
            labelled += n;
            correct += label == predicted ? n : 0;
            for (long i = 0; i < n; i++) {
                evaluation.eval(predicted, label);
            }
        }
        return new LabelledMetrics(evaluation, labelled, correct);
    }

    /** A partition's rows, its rejects (a reason) and its labelled rows (a label), as one array of three counts. */
    private static final class CountRows implements FlatMapFunction<Iterator<InternalRow>, long[]> {

        private static final long serialVersionUID = 1L;

        private final int reason;
        private final int label;

        CountRows(int reason, int label) {
            this.reason = reason;
            this.label = label;
        }

        @Override
        public Iterator<long[]> call(Iterator<InternalRow> rows) {
            long[] counts = new long[3];
            while (rows.hasNext()) {
                InternalRow row = rows.next();
                counts[0]++;
                counts[1] += row.isNullAt(reason) ? 0 : 1;
                counts[2] += row.isNullAt(label) ? 0 : 1;
            }
            return List.of(counts).iterator();
        }

        static long[] sum(long[] a, long[] b) {
            return new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
        }
    }

    @Override
    public void close() {
        rows.unpersist();
        classifier.close();
    }
}
