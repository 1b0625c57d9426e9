package org.sparkmnist.scoring;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.TaskCompletionListener;
import org.sparkmnist.data.ConfigurationBytes;
import org.sparkmnist.data.IdxHeader;
import org.sparkmnist.data.IdxImageFile;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.IdxReader;

/**
 * An idx image file (raw or gzipped) and optionally its idx label file. The driver checks the
 * whole file (header, exact length) and holds the labels, a byte per image; tasks each read a
 * contiguous chunk of images through {@link IdxImageFile#openAt}, as training's staging does. The
 * file is cut into as many chunks as Spark's {@code spark.sql.files.maxPartitionBytes} gives its own
 * file sources, at least one per task slot. A gzipped file cannot be read from the middle: each
 * task decompresses it from the start up to its chunk, which costs little next to scoring.
 */
final class IdxInput implements ScoringInput {

    private final IdxImageFile images;
    private final Optional<IdxLabels> labels;
    private final PredictionSchema schema;

    private IdxInput(IdxImageFile images, Optional<IdxLabels> labels, int classes) {
        this.images = images;
        this.labels = labels;
        this.schema = PredictionSchema.byIndex(classes);
    }

    /**
     * Checks {@code file} and its labels on the driver: the labels' header is compared with the
     * images' before either body is read ({@link IdxReader#readLabels(Path, int, IdxHeader, String)}).
     */
    static IdxInput check(Path file, Optional<String> labelFile, ScoringModel model, Configuration hadoop) {
        IdxReader reader = new IdxReader(hadoop);
        IdxHeader header = reader.imagesHeader(file, 0, 0);
        model.requireInputs(header.exampleBytes(), "idx file " + file + " (" + header.rows() + "x" + header.cols() + ")");
        Optional<IdxLabels> labels = labelFile.map(name -> reader.readLabels(new Path(name), model.classes(), header, file.toString()));
        return new IdxInput(reader.checkImages(file, 0, 0), labels, model.classes());
    }

    @Override
    public String kind() {
        return "idx";
    }

    @Override
    public String describe() {
        return images.count() + " images of " + images.rows() + "x" + images.cols() + " in " + images.source()
                + labels.map(l -> ", labels in " + l.source()).orElse("");
    }

    @Override
    public boolean labelled() {
        return labels.isPresent();
    }

    @Override
    public PredictionSchema schema() {
        return schema;
    }

    @Override
    public Dataset<Row> frame(SparkSession spark) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long chunkBytes = JavaUtils.byteStringAsBytes(spark.conf().get("spark.sql.files.maxPartitionBytes"));
        long bySize = (images.pixelBytes() + chunkBytes - 1) / chunkBytes;
        int chunks = (int) Math.max(1, Math.min(images.count(), Math.max(context.defaultParallelism(), bySize)));
        Broadcast<byte[]> conf = context.broadcast(ConfigurationBytes.of(context.hadoopConfiguration()));
        Broadcast<byte[]> labelBytes = labels.map(l -> context.broadcast(l.labels())).orElse(null);
        JavaRDD<Row> rows = context.parallelize(IntStream.range(0, chunks).boxed().toList(), chunks)
                .mapPartitions(new ReadChunk(images, chunks, labelBytes, conf));
        return spark.createDataFrame(rows, schema.inputType(DataTypes.BinaryType, ClassifierInput.pixelBytes()));
    }

    /** Reads the images of the chunks of one partition (one chunk each), lazily, keyed by their index in the file. */
    private static final class ReadChunk implements FlatMapFunction<Iterator<Integer>, Row> {

        private static final long serialVersionUID = 1L;

        private final IdxImageFile images;
        private final int chunks;
        /** Null when the labels are unknown. */
        private final Broadcast<byte[]> labels;
        private final Broadcast<byte[]> conf;

        ReadChunk(IdxImageFile images, int chunks, Broadcast<byte[]> labels, Broadcast<byte[]> conf) {
            this.images = images;
            this.chunks = chunks;
            this.labels = labels;
            this.conf = conf;
        }

        @Override
        public Iterator<Row> call(Iterator<Integer> chunkIds) throws IOException {
            if (!chunkIds.hasNext()) {
                return java.util.Collections.emptyIterator();
            }
            int chunk = chunkIds.next();
            int start = (int) ((long) images.count() * chunk / chunks);
            int end = (int) ((long) images.count() * (chunk + 1) / chunks);
            InputStream in = images.openAt(start, ConfigurationBytes.read(conf.value()));
            TaskContext.get().addTaskCompletionListener((TaskCompletionListener) context -> {
                try {
                    in.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return new Images(new DataInputStream(in), start, end, images.pixelsPerImage(), labels == null ? null : labels.value());
        }
    }

    /** Images {@code start..end} of an open idx stream positioned at {@code start}, as rows of index, label, pixels (a byte each) and no reason. */
    private static final class Images implements Iterator<Row> {

        private final DataInputStream in;
        private final int end;
        private final int width;
        private final byte[] labels;
        private int next;

        Images(DataInputStream in, int start, int end, int width, byte[] labels) {
            this.in = in;
            this.next = start;
            this.end = end;
            this.width = width;
            this.labels = labels;
        }

        @Override
        public boolean hasNext() {
            return next < end;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            // A fresh array per row: Spark may hold the row (and so its bytes) after next() returns.
            byte[] pixels = new byte[width];
            try {
                in.readFully(pixels);
            } catch (IOException e) {
                // The file was checked whole on the driver: a short read now means it changed since, which no retry fixes.
                throw new UncheckedIOException("reading image " + next, e);
            }
            Integer label = labels == null ? null : labels[next] & 0xFF;
            return RowFactory.create(next++, label, pixels, null);
        }
    }
}
