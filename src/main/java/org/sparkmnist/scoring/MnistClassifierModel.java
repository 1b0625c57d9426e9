package org.sparkmnist.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkmnist.ConfigName;
import org.sparkmnist.config.Inversion;
import org.sparkmnist.config.ScoringSettings.ModelSource;
import org.sparkmnist.data.Encoding;
import scala.Option;
import scala.reflect.ClassTag$;

/**
 * A trained MNIST classifier as a Spark ML {@link Model}: it appends to a DataFrame the
 * {@code prediction} (a double), {@code probability} and {@code rawPrediction} (ML Vectors) that
 * Spark's own classifiers give, so that MLlib's evaluators read its output unchanged; and a
 * {@code rejection} column, null for a scored row and the reason for an input that holds no digit
 * (whose prediction columns are null).
 *
 * <p>Its input column is one of {@link ClassifierInput}: Spark's image schema, an image file's bytes,
 * or 784 pixels; images are decoded and framed exactly as the batch scoring job does. It is an
 * {@link MLWritable} whose saved form holds the model's bytes, so a saved Pipeline needs nothing else
 * when it is loaded.
 */
public final class MnistClassifierModel extends Model<MnistClassifierModel> implements MLWritable, AutoCloseable {

    private static final long serialVersionUID = 1L;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where a saved model keeps its network and what is known of it, beside Spark's metadata. */
    private static final String DATA = "data";
    private static final String MODEL_FILE = "model.zip";
    private static final String MODEL_INFO = "model.json";

    private final String uid;
    private final ScoringModel model;
    /** The model's bytes as this JVM's executors receive them: broadcast once, on the first transform. */
    private transient Broadcast<byte[]> broadcast;

    // Assigned in the constructor, after the uid: a Param takes its parent's uid when it is made.
    private final Param<String> inputCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;
    private final Param<String> rejectionCol;
    private final IntParam batchSize;
    private final Param<String> invert;
    private final LongParam maxPixels;

    MnistClassifierModel(String uid, ScoringModel model) {
        this.uid = uid;
        this.model = model;
        inputCol = new Param<>(this, "inputCol",
                "input column: an image (the image source), an image file's bytes (binaryFile's content), or 784 pixels as a Vector or array");
        predictionCol = new Param<>(this, "predictionCol", "prediction column: the predicted class, as a double");
        probabilityCol = new Param<>(this, "probabilityCol", "probability column: each class's probability, an ML Vector");
        rawPredictionCol = new Param<>(this, "rawPredictionCol",
                "raw prediction column: each class's log-probability (finite), an ML Vector");
        rejectionCol = new Param<>(this, "rejectionCol",
                "rejection column: null for a scored row, else why its input holds no digit");
        batchSize = new IntParam(this, "batchSize", "inputs per forward pass of the network", ParamValidators.gtEq(1));
        invert = new Param<>(this, "invert",
                "whether an image's digit is dark on light and must be inverted: auto (from each image's border), true or false",
                ParamValidators.inArray(ConfigName.names(Inversion.class).toArray(String[]::new)));
        maxPixels = new LongParam(this, "maxPixels", "largest image, in pixels, that is decoded; a larger one is rejected",
                ParamValidators.gtEq(1));
        setDefault(inputCol, "image");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
        setDefault(rejectionCol, "rejection");
        setDefault(batchSize, 256);
        setDefault(invert, "auto");
        setDefault(maxPixels, 50_000_000L);
    }

    /** Model {@code name} of the committed training run {@code run} (a local, HDFS or other Hadoop path), with the run's own pixel scaling. */
    public static MnistClassifierModel fromRun(String run, String name) {
        return of(new ModelSource(run, name, "", Optional.empty()));
    }

    /**
     * A model.zip (the training job's, or any DL4J MultiLayerNetwork of 784 inputs), trained on pixels
     * scaled to 0..1 if {@code normalize}, else on raw 0..255.
     */
    public static MnistClassifierModel fromModelZip(String file, boolean normalize) {
        return of(new ModelSource("", "", file, Optional.of(normalize)));
    }

    private static MnistClassifierModel of(ModelSource source) {
        ScoringModel model = ScoringModel.load(source, hadoopConfiguration());
        model.requireInputs(DigitImage.PIXELS, "MnistClassifierModel's input (28x28 digits)");
        return new MnistClassifierModel(Identifiable.randomUID("mnistClassifier"), model);
    }

    /** The active session's Hadoop settings (HDFS and the like), or the defaults when there is no session yet. */
    private static Configuration hadoopConfiguration() {
        Option<SparkSession> session = SparkSession.getActiveSession();
        return session.isDefined() ? session.get().sparkContext().hadoopConfiguration() : new Configuration();
    }

    @Override
    public String uid() {
        return uid;
    }

    /** Where the model was read from. */
    public String source() {
        return model.source();
    }

    /** What each class stands for, by its index (the prediction). */
    public List<String> classNames() {
        return model.classNames();
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public Param<String> rawPredictionCol() {
        return rawPredictionCol;
    }

    public Param<String> rejectionCol() {
        return rejectionCol;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public Param<String> invert() {
        return invert;
    }

    public LongParam maxPixels() {
        return maxPixels;
    }

    public MnistClassifierModel setInputCol(String value) {
        return (MnistClassifierModel) set(inputCol, value);
    }

    public MnistClassifierModel setPredictionCol(String value) {
        return (MnistClassifierModel) set(predictionCol, value);
    }

    public MnistClassifierModel setProbabilityCol(String value) {
        return (MnistClassifierModel) set(probabilityCol, value);
    }

    public MnistClassifierModel setRawPredictionCol(String value) {
        return (MnistClassifierModel) set(rawPredictionCol, value);
    }

    public MnistClassifierModel setRejectionCol(String value) {
        return (MnistClassifierModel) set(rejectionCol, value);
    }

    public MnistClassifierModel setBatchSize(int value) {
        return (MnistClassifierModel) set(batchSize, value);
    }

    /** "auto", "true" or "false": see {@link Inversion}. */
    public MnistClassifierModel setInvert(String value) {
        return (MnistClassifierModel) set(invert, value);
    }

    public MnistClassifierModel setMaxPixels(long value) {
        return (MnistClassifierModel) set(maxPixels, value);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String input = $(inputCol);
        if (!Arrays.asList(schema.fieldNames()).contains(input)) {
            throw new IllegalArgumentException("input column \"" + input + "\" does not exist; the columns are "
                    + String.join(", ", schema.fieldNames()) + " (set inputCol to one that holds " + ClassifierInput.described() + ")");
        }
        ClassifierInput.of(schema.apply(input));
        List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
        for (StructField output : outputFields()) {
            if (Arrays.asList(schema.fieldNames()).contains(output.name())) {
                throw new IllegalArgumentException("output column \"" + output.name() + "\" exists already in the input; choose another name");
            }
            fields.add(output);
        }
        return DataTypes.createStructType(fields);
    }

    /** What is appended, in the order {@link ClassifierPartition} appends it. */
    private List<StructField> outputFields() {
        return List.of(DataTypes.createStructField($(predictionCol), DataTypes.DoubleType, true),
                DataTypes.createStructField($(probabilityCol), SQLDataTypes.VectorType(), true),
                DataTypes.createStructField($(rawPredictionCol), SQLDataTypes.VectorType(), true),
                DataTypes.createStructField($(rejectionCol), DataTypes.StringType, true));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType output = transformSchema(dataset.schema());
        int index = dataset.schema().fieldIndex($(inputCol));
        // IntParam and LongParam are Params of Object to Java.
        Object size = $(batchSize);
        Object largest = $(maxPixels);
        ClassifierPartition.Setup setup = new ClassifierPartition.Setup(modelKey(), broadcast(dataset.sparkSession()),
                new Encoding(model.classes(), model.normalize()), model.inputs(), ClassifierInput.of(dataset.schema().apply(index)), index,
                (Integer) size, ConfigName.parse(Inversion.class, $(invert)).orElseThrow(), (Long) largest);
        return dataset.toDF().mapPartitions(new ClassifierPartition(setup), Encoders.row(output));
    }

    private synchronized Broadcast<byte[]> broadcast(SparkSession spark) {
        if (broadcast == null) {
            broadcast = spark.sparkContext().broadcast(model.bytes(), ClassTag$.MODULE$.apply(byte[].class));
        }
        return broadcast;
    }

    /**
     * Frees what {@link #transform} shipped: the broadcast model bytes on every executor, and the
     * network this JVM keeps (in local mode the executors are this JVM, which may outlive the job).
     * Call it once no DataFrame transformed by this model is computed any more; a later
     * {@code transform} broadcasts the model anew.
     */
    @Override
    public synchronized void close() {
        if (broadcast != null) {
            broadcast.destroy();
            broadcast = null;
        }
        ExecutorModels.forget(modelKey());
    }

    /**
     * The key executors keep the network under: its bytes' digest, so that copies of one model (a
     * Pipeline loaded twice, {@link #copy}) share one network per executor JVM.
     */
    String modelKey() {
        try {
            return "classifier-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model.bytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public MnistClassifierModel copy(ParamMap extra) {
        return copyValues(new MnistClassifierModel(uid, model), extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** The reader of a saved model: MLlib's Pipeline loading finds it by this name. */
    public static MLReader<MnistClassifierModel> read() {
        return new Reader();
    }

    public static MnistClassifierModel load(String path) {
        return read().load(path);
    }

    /** Spark's metadata of the params, then {@code data/model.zip} (the network) and {@code data/model.json} (how it sees pixels). */
    private static final class Writer extends MLWriter {

        private final MnistClassifierModel instance;

        Writer(MnistClassifierModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(instance, path, sc(), Option.empty(), Option.empty());
            ScoringModel model = instance.model;
            ObjectNode info = JSON.createObjectNode().put("source", model.source()).put("normalize", model.normalize())
                    .put("inputs", model.inputs()).put("params", model.params());
            model.classNames().forEach(info.putArray("class_names")::add);
            Path data = new Path(path, DATA);
            try {
                FileSystem fs = data.getFileSystem(sc().hadoopConfiguration());
                try (OutputStream out = fs.create(new Path(data, MODEL_FILE), false)) {
                    out.write(model.bytes());
                }
                try (OutputStream out = fs.create(new Path(data, MODEL_INFO), false)) {
                    out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(info).getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the MNIST classifier's network under " + data, e);
            }
        }
    }

    private static final class Reader extends MLReader<MnistClassifierModel> {

        @Override
        public MnistClassifierModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sc(), MnistClassifierModel.class.getName());
            Path data = new Path(path, DATA);
            try {
                FileSystem fs = data.getFileSystem(sc().hadoopConfiguration());
                byte[] bytes;
                try (InputStream in = fs.open(new Path(data, MODEL_FILE))) {
                    bytes = in.readAllBytes();
                }
                JsonNode info;
                try (InputStream in = fs.open(new Path(data, MODEL_INFO))) {
                    info = JSON.readTree(in);
                }
                List<String> classNames = new ArrayList<>();
                info.path("class_names").forEach(name -> classNames.add(name.asText()));
                ScoringModel model = new ScoringModel(info.path("source").asText(), info.path("normalize").booleanValue(),
                        info.path("inputs").intValue(), classNames, info.path("params").longValue(), bytes);
                MnistClassifierModel loaded = new MnistClassifierModel(metadata.uid(), model);
                metadata.getAndSetParams(loaded, Option.empty());
                return loaded;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the MNIST classifier's network under " + data, e);
            }
        }
    }
}
