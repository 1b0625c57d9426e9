package org.sparkmnist.staging;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.TaskCompletionListener;
import org.sparkmnist.data.ConfigurationBytes;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.data.IdxImageFile;
import scala.Tuple2;

/**
 * Stages a split as minibatch files with Spark, so that the images never pass through the driver
 * and staging scales out with the data. Tasks read contiguous chunks of the training image file
 * in file order and key each image by its position in the split (from the broadcast
 * {@link StagingPlan}); a shuffle sorts the examples by position into tasks that each own whole
 * minibatches; those tasks write the files. The result is byte for byte what writing the split's
 * minibatches from memory gives, in the same file names, so training reads it unchanged.
 *
 * <p>A gzipped image file cannot be read from the middle, so one task reads it from its start.
 * Decompression is one sequential stream either way: decompressing it to scratch first would add a
 * write and a read of the whole file and still leave that stream on one core. The shuffle then
 * spreads the writing over every task as for a plain file. Plain files (what the scaled benchmark
 * data is) are read in parallel.
 */
public final class MinibatchStager {

    /** Bytes each reading or writing task handles: small enough to spread 1x MNIST over a few tasks. */
    static final long TASK_BYTES = 32L << 20;

    private final JavaSparkContext spark;
    private final Encoding encoding;
    private final long taskBytes;

    public MinibatchStager(JavaSparkContext spark, Encoding encoding) {
        this(spark, encoding, TASK_BYTES);
    }

    MinibatchStager(JavaSparkContext spark, Encoding encoding, long taskBytes) {
        this.spark = spark;
        this.encoding = encoding;
        this.taskBytes = taskBytes;
    }

    /**
     * Writes every minibatch of {@code plan}, training ones under {@code trainDir} and validation ones
     * under {@code validationDir}; returns their URIs in batch order, training batches first.
     */
    public List<String> stage(IdxImageFile images, StagingPlan plan, Path trainDir, Path validationDir) throws IOException {
        if (plan.examples() != images.count()) {
            throw new IllegalArgumentException("a plan for " + plan.examples() + " examples cannot stage " + images.source()
                    + " with " + images.count());
        }
        BatchLayout layout = plan.layout();
        Configuration hadoop = spark.hadoopConfiguration();
        FileSystem fs = trainDir.getFileSystem(hadoop);
        String train = fs.makeQualified(trainDir).toString();
        String validation = fs.makeQualified(validationDir).toString();
        fs.mkdirs(new Path(train));
        fs.mkdirs(new Path(validation));

        int readers = images.gzipped() ? 1 : tasksFor(images.pixelBytes(), images.count());
        int writers = tasksFor((long) layout.positions() * (images.pixelsPerImage() + 1), layout.batches());
        Broadcast<byte[]> conf = spark.broadcast(ConfigurationBytes.of(hadoop));
        Broadcast<int[]> positions = spark.broadcast(plan.positions());
        Broadcast<byte[]> labels = spark.broadcast(plan.labels());
        try {
            int written = spark.parallelize(IntStream.range(0, readers).boxed().toList(), readers)
                    .flatMapToPair(new ReadChunk(images, readers, positions, labels, conf))
                    .repartitionAndSortWithinPartitions(new BatchPartitioner(layout, writers))
                    .mapPartitions(new WriteBatches(layout, images.pixelsPerImage(), encoding, train, validation, conf))
                    .reduce(Integer::sum);
            if (written != layout.batches()) {
                throw new IllegalStateException("staging wrote " + written + " minibatch files; the split has " + layout.batches());
            }
        } finally {
            conf.destroy();
            positions.destroy();
            labels.destroy();
        }
        List<String> files = new ArrayList<>(layout.batches());
        for (int batch = 0; batch < layout.batches(); batch++) {
            files.add(new Path(layout.isTrain(batch) ? train : validation, layout.fileName(batch)).toString());
        }
        return files;
    }

    /** At least one task per task slot, more when each would handle over {@link #taskBytes}; never more than {@code units}. */
    private int tasksFor(long bytes, int units) {
        long bySize = (bytes + taskBytes - 1) / taskBytes;
        return (int) Math.max(1, Math.min(units, Math.max(spark.defaultParallelism(), bySize)));
    }

    /** Reads chunk {@code i} of {@code chunks} of the image file and keys each used image by its split position. */
    private static final class ReadChunk implements PairFlatMapFunction<Integer, Integer, byte[]> {

        private static final long serialVersionUID = 1L;

        private final IdxImageFile images;
        private final int chunks;
        private final Broadcast<int[]> positions;
        private final Broadcast<byte[]> labels;
        private final Broadcast<byte[]> conf;

        ReadChunk(IdxImageFile images, int chunks, Broadcast<int[]> positions, Broadcast<byte[]> labels, Broadcast<byte[]> conf) {
            this.images = images;
            this.chunks = chunks;
            this.positions = positions;
            this.labels = labels;
            this.conf = conf;
        }

        @Override
        public Iterator<Tuple2<Integer, byte[]>> call(Integer chunk) throws IOException {
            int start = (int) ((long) images.count() * chunk / chunks);
            int end = (int) ((long) images.count() * (chunk + 1) / chunks);
            InputStream in = images.openAt(start, ConfigurationBytes.read(conf.value()));
            TaskContext.get().addTaskCompletionListener((TaskCompletionListener) context -> close(in));
            return new Examples(new DataInputStream(in), start, end, images.pixelsPerImage(), positions.value(), labels.value());
        }

        private static void close(InputStream in) {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The used examples of one chunk, read one at a time: (split position, label byte then pixels). */
    private static final class Examples implements Iterator<Tuple2<Integer, byte[]>> {

        private final DataInputStream in;
        private final int end;
        private final int width;
        private final int[] positions;
        private final byte[] labels;
        private int example;
        private Tuple2<Integer, byte[]> next;

        Examples(DataInputStream in, int start, int end, int width, int[] positions, byte[] labels) {
            this.in = in;
            this.example = start;
            this.end = end;
            this.width = width;
            this.positions = positions;
            this.labels = labels;
        }

        @Override
        public boolean hasNext() {
            try {
                while (next == null && example < end) {
                    int position = positions[example];
                    if (position == StagingPlan.UNUSED) {
                        in.skipNBytes(width);
                    } else {
                        byte[] record = new byte[1 + width];
                        record[0] = labels[example];
                        in.readFully(record, 1, width);
                        next = new Tuple2<>(position, record);
                    }
                    example++;
                }
                return next != null;
            } catch (IOException e) {
                throw new UncheckedIOException("reading image " + example, e);
            }
        }

        @Override
        public Tuple2<Integer, byte[]> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Tuple2<Integer, byte[]> result = next;
            next = null;
            return result;
        }
    }

    /** Sends each split position to the task that owns its minibatch; consecutive minibatches share a task. */
    static final class BatchPartitioner extends Partitioner {

        private static final long serialVersionUID = 1L;

        private final BatchLayout layout;
        private final int partitions;

        BatchPartitioner(BatchLayout layout, int partitions) {
            this.layout = layout;
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object position) {
            return (int) ((long) layout.batchOf((Integer) position) * partitions / layout.batches());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof BatchPartitioner that && that.layout.equals(layout) && that.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return layout.hashCode() * 31 + partitions;
        }
    }

    /**
     * Writes the minibatches of one task from its examples sorted by split position, holding one
     * minibatch at a time; returns how many files it wrote. A missing or repeated example fails the task.
     */
    private static final class WriteBatches implements FlatMapFunction<Iterator<Tuple2<Integer, byte[]>>, Integer> {

        private static final long serialVersionUID = 1L;

        private final BatchLayout layout;
        private final int width;
        private final Encoding encoding;
        private final String train;
        private final String validation;
        private final Broadcast<byte[]> conf;

        WriteBatches(BatchLayout layout, int width, Encoding encoding, String train, String validation, Broadcast<byte[]> conf) {
            this.layout = layout;
            this.width = width;
            this.encoding = encoding;
            this.train = train;
            this.validation = validation;
            this.conf = conf;
        }

        @Override
        public Iterator<Integer> call(Iterator<Tuple2<Integer, byte[]>> examples) throws IOException {
            FileSystem fs = new Path(train).getFileSystem(ConfigurationBytes.read(conf.value()));
            // As the driver-side staging did: checksum side files double the file count and protect nothing we cannot rebuild.
            fs.setWriteChecksum(false);
            byte[] pixels = new byte[layout.batchSize() * width];
            byte[] labels = new byte[layout.batchSize()];
            int batch = -1;
            int filled = 0;
            int written = 0;
            while (examples.hasNext()) {
                Tuple2<Integer, byte[]> example = examples.next();
                int position = example._1();
                if (layout.batchOf(position) != batch) {
                    if (batch >= 0) {
                        write(fs, batch, pixels, labels, filled);
                        written++;
                    }
                    batch = layout.batchOf(position);
                    filled = 0;
                }
                if (position != layout.firstPosition(batch) + filled) {
                    throw new IllegalStateException("minibatch " + batch + " expected split position "
                            + (layout.firstPosition(batch) + filled) + " next but got " + position);
                }
                labels[filled] = example._2()[0];
                System.arraycopy(example._2(), 1, pixels, filled * width, width);
                filled++;
            }
            if (batch >= 0) {
                write(fs, batch, pixels, labels, filled);
                written++;
            }
            return List.of(written).iterator();
        }

        private void write(FileSystem fs, int batch, byte[] pixels, byte[] labels, int n) throws IOException {
            if (n != layout.size(batch)) {
                throw new IllegalStateException("minibatch " + batch + " got " + n + " examples; expected " + layout.size(batch));
            }
            Path file = new Path(layout.isTrain(batch) ? train : validation, layout.fileName(batch));
            try (OutputStream out = new BufferedOutputStream(fs.create(file, true), 1 << 16)) {
                MinibatchFormat.write(pixels, labels, n, width, encoding, out);
            }
        }
    }
}
