package org.sparkmnist.scoring;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.sparkmnist.BadInputException;
import org.sparkmnist.data.ConfigurationBytes;
import org.sparkmnist.runtime.KnownSecrets;

/**
 * A directory of image files, searched recursively, and optionally a labels CSV ({@link LabelsCsv}).
 * Spark's binaryFile source lists the files and groups them into partitions by size (its
 * {@code spark.sql.files.maxPartitionBytes} and {@code spark.sql.files.openCostInBytes}), reading only
 * their paths and lengths; each task then reads its files' bytes itself, so that one unreadable file
 * becomes a reject (its {@code unread} reason) instead of failing the task, and hands them to
 * {@link MnistClassifierModel} to decode. Spark's file scan drops empty files; the driver's check
 * finds them, and they join the listing with their length, 0, and so the rejects. (Not {@code binaryFiles}: it copies the whole Hadoop configuration into
 * every file's record, which made scoring 10,000 small PNGs take five minutes.)
 */
final class ImageDirectoryInput implements ScoringInput {

    private final String directory;
    private final Optional<String> labelsFile;
    private final Map<String, Integer> labels;
    private final List<String> empty;
    private final PredictionSchema schema;
    private final long maxFileBytes;

    private ImageDirectoryInput(String directory, Optional<String> labelsFile, Map<String, Integer> labels, List<String> empty, int classes,
            long maxFileBytes) {
        this.directory = directory;
        this.labelsFile = labelsFile;
        this.labels = labels;
        this.empty = empty;
        this.schema = PredictionSchema.byPath(classes);
        this.maxFileBytes = maxFileBytes;
    }

    static ImageDirectoryInput check(Path dir, Optional<String> labelsName, long maxFileBytes, ScoringModel model, Configuration hadoop) {
        model.requireInputs(DigitImage.PIXELS, "an image converted to MNIST's 28x28");
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            Path qualified = fs.makeQualified(dir);
            Optional<Path> labelsPath = labelsName.map(name -> qualified(new Path(name), hadoop));
            Listing listing = list(fs, qualified, labelsPath);
            if (listing.files() == 0) {
                throw new BadInputException("input directory " + dir + " (score.input.path) holds no files to score"
                        + " (names starting with '_' or '.' are skipped)");
            }
            Map<String, Integer> labels = labelsPath.map(p -> LabelsCsv.read(p, model.classes(), dir.toString(), listing.files(), hadoop))
                    .orElse(Map.of());
            return new ImageDirectoryInput(qualified.toString(), labelsPath.map(Path::toString), labels, listing.empty(), model.classes(),
                    maxFileBytes);
        } catch (IOException e) {
            throw new BadInputException("input directory " + dir + " (score.input.path) cannot be read: " + e.getMessage(), e);
        }
    }

    private static Path qualified(Path file, Configuration hadoop) {
        try {
            return file.getFileSystem(hadoop).makeQualified(file);
        } catch (IOException e) {
            throw new BadInputException("labels file " + file + " (score.input.labels) cannot be read: " + e.getMessage(), e);
        }
    }

    /** How many files there are to score, and the empty ones among them. */
    private record Listing(long files, List<String> empty) {
    }

    /**
     * The directory's files ({@link ImageFiles}), keeping only the empty ones: Spark's file scan drops
     * those without a trace, yet each is an input to report as a reject. The other files stay a count,
     * however many there are.
     */
    private static Listing list(FileSystem fs, Path dir, Optional<Path> labels) throws IOException {
        long[] count = {0};
        List<String> empty = new ArrayList<>();
        ImageFiles.walk(fs, dir, labels, file -> {
            count[0]++;
            if (file.getLen() == 0) {
                empty.add(file.getPath().toString());
            }
        });
        return new Listing(count[0], List.copyOf(empty));
    }

    @Override
    public String kind() {
        return "images";
    }

    @Override
    public String describe() {
        return "the image files under " + directory + labelsFile.map(l -> ", labels of " + labels.size() + " in " + l).orElse("");
    }

    @Override
    public boolean labelled() {
        return labelsFile.isPresent();
    }

    @Override
    public OptionalLong labelRows() {
        return labelsFile.isPresent() ? OptionalLong.of(labels.size()) : OptionalLong.empty();
    }

    @Override
    public Optional<String> unmatchedLabel(Set<String> labelledIdentities) {
        // The rows' paths are masked on the executors with the driver's secrets: compare masked with masked.
        KnownSecrets secrets = KnownSecrets.thisJvm();
        return labels.keySet().stream().filter(name -> !labelledIdentities.contains(secrets.mask(directory + "/" + name))).sorted().findFirst();
    }

    @Override
    public PredictionSchema schema() {
        return schema;
    }

    /**
     * What Spark's file sources take opening a file to cost, in bytes of reading, unless the user set
     * it: Spark's 4 MB (a guess for HDFS latency) packs only a few dozen small images into a task, and
     * then per-task overhead, not scoring, takes the time (docs/BENCHMARKS.md, "Facts measured once").
     * At 64 KB a task gets a few thousand small images.
     */
    static final String OPEN_COST = "spark.sql.files.openCostInBytes";
    static final String SMALL_FILE_OPEN_COST = "64k";

    @Override
    public Dataset<Row> frame(SparkSession spark) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        if (!context.getConf().contains(OPEN_COST)) {
            spark.conf().set(OPEN_COST, SMALL_FILE_OPEN_COST);
        }
        // Paths and lengths only: the tasks read the files themselves.
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(directory)
                .select(col("path"), col("length"));
        if (labelsFile.isPresent()) {
            // A labels file kept inside the directory is not an image to score.
            files = files.filter(col("path").notEqual(labelsFile.get()));
        }
        if (!empty.isEmpty()) {
            files = files.union(spark.createDataFrame(empty.stream().map(path -> RowFactory.create(path, 0L)).toList(), files.schema()));
        }
        Broadcast<byte[]> conf = context.broadcast(ConfigurationBytes.of(context.hadoopConfiguration()));
        Broadcast<Map<String, Integer>> labelBroadcast = labelsFile.isPresent() ? context.broadcast(labels) : null;
        JavaRDD<Row> rows = files.javaRDD().mapPartitions(new ReadImages(directory, labelBroadcast, conf, maxFileBytes));
        return spark.createDataFrame(rows, schema.inputType(DataTypes.BinaryType));
    }

    /** {@code path} relative to {@code directory}, as the labels file names it. */
    private static String relative(String directory, String path) {
        return path.startsWith(directory + "/") ? path.substring(directory.length() + 1) : path;
    }

    /** Reads the files of one partition, one at a time: rows of path, label, the file's bytes, or why they are not there. */
    private static final class ReadImages implements FlatMapFunction<Iterator<Row>, Row> {

        private static final long serialVersionUID = 1L;

        private final String directory;
        /** Null when the labels are unknown. */
        private final Broadcast<Map<String, Integer>> labels;
        private final Broadcast<byte[]> conf;
        private final long maxFileBytes;

        ReadImages(String directory, Broadcast<Map<String, Integer>> labels, Broadcast<byte[]> conf, long maxFileBytes) {
            this.directory = directory;
            this.labels = labels;
            this.conf = conf;
            this.maxFileBytes = maxFileBytes;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> files) {
            Configuration hadoop = ConfigurationBytes.read(conf.value());
            Map<String, Integer> known = labels == null ? Map.of() : labels.value();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return files.hasNext();
                }

                @Override
                public Row next() {
                    Row file = files.next();
                    String path = file.getString(0);
                    Integer label = known.get(relative(directory, path));
                    try {
                        return RowFactory.create(path, label, read(path, file.getLong(1), hadoop), null);
                    } catch (RejectedImage e) {
                        return RowFactory.create(path, label, null, e.getMessage());
                    }
                }
            };
        }

        /**
         * The file's bytes, read here, in the task, so that a file that cannot be read is a reject; a
         * file larger than an image may be is rejected by its listed length, before it is opened.
         */
        private byte[] read(String path, long length, Configuration hadoop) throws RejectedImage {
            if (length == 0) {
                throw new RejectedImage(ImageFileDecoder.EMPTY);
            }
            DigitImage.checkFileSize(length, maxFileBytes);
            if (length > DigitImage.LARGEST_FILE_BYTES) {
                throw new RejectedImage("file of " + length + " bytes is larger than an image file can be here (2 GiB)");
            }
            Path file = new Path(path);
            try (InputStream in = file.getFileSystem(hadoop).open(file)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new RejectedImage("cannot be read: " + e.getMessage());
            }
        }
    }
}
