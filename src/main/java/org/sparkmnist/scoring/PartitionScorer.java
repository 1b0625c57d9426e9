package org.sparkmnist.scoring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkmnist.data.Encoding;

/**
 * Scores one partition's inputs on an executor, a minibatch at a time: up to {@code batchSize}
 * inputs are taken, the good ones go through the network in one forward pass (encoded as the model
 * was trained: pixels scaled to 0..1 or raw), and every input of the minibatch comes out as a row,
 * rejected ones included, in input order. Lazy: a partition is never held whole ({@link Minibatches}).
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
        MultiLayerNetwork network = ExecutorModels.borrowForThisTask(modelKey, model::value);
        return new Minibatches<>(inputs, batchSize, digits -> score(network, digits));
    }

    private List<Row> score(MultiLayerNetwork network, List<InputDigit> digits) {
        int good = (int) digits.stream().filter(digit -> !digit.isRejected()).count();
        float[][] probabilities = good == 0 ? new float[0][] : forward(network, digits, good);
        List<Row> rows = new ArrayList<>(digits.size());
        int scored = 0;
        for (InputDigit digit : digits) {
            rows.add(digit.isRejected() ? schema.rejected(digit) : schema.scored(digit, probabilities[scored++]));
        }
        return rows;
    }

    private float[][] forward(MultiLayerNetwork network, List<InputDigit> digits, int good) {
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
