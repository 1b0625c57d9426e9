package org.sparkmnist.scoring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkmnist.data.Encoding;

/**
 * Scores one partition's inputs on an executor, a minibatch at a time: up to {@code batchSize}
 * inputs are taken, the good ones go through the network in one forward pass (encoded as the model
 * was trained: pixels scaled to 0..1 or raw), and every input of the minibatch comes out as a row,
 * rejected ones included, in input order. Lazy: a partition is never held whole.
 */
final class PartitionScorer implements FlatMapFunction<Iterator<InputDigit>, Row> {

    private static final long serialVersionUID = 1L;

    private final String modelKey;
    private final Broadcast<byte[]> model;
    private final Encoding encoding;
    private final int batchSize;
    private final PredictionSchema schema;

    PartitionScorer(String modelKey, Broadcast<byte[]> model, Encoding encoding, int batchSize, PredictionSchema schema) {
        this.modelKey = modelKey;
        this.model = model;
        this.encoding = encoding;
        this.batchSize = batchSize;
        this.schema = schema;
    }

    @Override
    public Iterator<Row> call(Iterator<InputDigit> inputs) {
        if (!inputs.hasNext()) {
            return Collections.emptyIterator();
        }
        MultiLayerNetwork network = ExecutorModels.borrow(modelKey, model::value);
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> ExecutorModels.release(modelKey, network));
        }
        return new Rows(inputs, network);
    }

    /** The rows of one minibatch after another. */
    private final class Rows implements Iterator<Row> {

        private final Iterator<InputDigit> inputs;
        private final MultiLayerNetwork network;
        private Iterator<Row> batch = Collections.emptyIterator();

        Rows(Iterator<InputDigit> inputs, MultiLayerNetwork network) {
            this.inputs = inputs;
            this.network = network;
        }

        @Override
        public boolean hasNext() {
            if (!batch.hasNext() && inputs.hasNext()) {
                batch = scoreNextBatch();
            }
            return batch.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return batch.next();
        }

        private Iterator<Row> scoreNextBatch() {
            List<InputDigit> digits = new ArrayList<>(batchSize);
            int good = 0;
            while (digits.size() < batchSize && inputs.hasNext()) {
                InputDigit digit = inputs.next();
                digits.add(digit);
                good += digit.isRejected() ? 0 : 1;
            }
            float[][] probabilities = good == 0 ? new float[0][] : forward(digits, good);
            List<Row> rows = new ArrayList<>(digits.size());
            int scored = 0;
            for (InputDigit digit : digits) {
                rows.add(digit.isRejected() ? schema.rejected(digit) : schema.scored(digit, probabilities[scored++]));
            }
            return rows.iterator();
        }

        private float[][] forward(List<InputDigit> digits, int good) {
            int width = digits.stream().filter(d -> !d.isRejected()).findFirst().orElseThrow().pixels().length;
            byte[] pixels = new byte[good * width];
            int row = 0;
            for (InputDigit digit : digits) {
                if (!digit.isRejected()) {
                    System.arraycopy(digit.pixels(), 0, pixels, row++ * width, width);
                }
            }
            INDArray features = encoding.features(pixels, good, width);
            return network.output(features, false).toFloatMatrix();
        }
    }
}
