package org.sparkmnist.scoring;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparkmnist.config.Inversion;
import org.sparkmnist.data.Encoding;

/**
 * {@link MnistClassifierModel}'s work on one partition: each input row comes out with its prediction,
 * probability and raw prediction appended, the good inputs of up to {@code batchSize} rows scored in
 * one forward pass; a row whose input is no digit keeps nulls there and says why in the rejection
 * column. Lazy: a partition is never held whole ({@link Minibatches}).
 */
final class ClassifierPartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    /**
     * Encoded image bytes a minibatch holds at most (plus its last file): each row keeps its file's
     * bytes until it is handed on, and {@code batchSize} files of up to score.images.max-file-bytes
     * each would not fit a default executor.
     */
    static final long MAX_MINIBATCH_BYTES = 64L << 20;

    /** What the model needs on an executor, captured on the driver when a DataFrame is transformed. */
    record Setup(String modelKey, Broadcast<byte[]> model, Encoding encoding, int modelInputs, ClassifierInput kind, int inputIndex,
            int batchSize, Inversion inversion, long maxPixels) implements Serializable {
    }

    private final Setup setup;

    ClassifierPartition(Setup setup) {
        this.setup = setup;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return Collections.emptyIterator();
        }
        MultiLayerNetwork network = ExecutorModels.borrowForThisTask(setup.modelKey(), setup.model()::value);
        DigitImage digits = new DigitImage(setup.inversion(), setup.maxPixels());
        return new Minibatches<>(rows, setup.batchSize(), row -> setup.kind().encodedBytes(row, setup.inputIndex()), MAX_MINIBATCH_BYTES,
                inputs -> score(network, digits, inputs));
    }

    private List<Row> score(MultiLayerNetwork network, DigitImage digits, List<Row> inputs) {
        int width = setup.modelInputs();
        float[] features = new float[inputs.size() * width];
        String[] reasons = new String[inputs.size()];
        int good = 0;
        for (int i = 0; i < inputs.size(); i++) {
            try {
                setup.kind().pixels(inputs.get(i), setup.inputIndex(), digits, width, features, good * width);
                good++;
            } catch (RejectedImage e) {
                reasons[i] = e.getMessage();
            }
        }
        float[][] probabilities = good == 0 ? new float[0][] : forward(network, features, good);
        List<Row> out = new ArrayList<>(inputs.size());
        int scored = 0;
        for (int i = 0; i < inputs.size(); i++) {
            out.add(reasons[i] != null ? appended(inputs.get(i), null, reasons[i]) : appended(inputs.get(i), probabilities[scored++], null));
        }
        return out;
    }

    /** The probabilities of the first {@code good} rows of {@code features}: the network's input is exactly that many rows. */
    private float[][] forward(MultiLayerNetwork network, float[] features, int good) {
        int width = setup.modelInputs();
        float[] exact = features.length == good * width ? features : Arrays.copyOf(features, good * width);
        return network.output(setup.encoding().features(exact, good, width), false).toFloatMatrix();
    }

    /** {@code input} followed by prediction, probability, raw prediction and rejection: nulls but the last for a reject. */
    private static Row appended(Row input, float[] probability, String reason) {
        Object[] values = new Object[input.length() + 4];
        for (int i = 0; i < input.length(); i++) {
            values[i] = input.get(i);
        }
        if (probability != null) {
            double[] p = new double[probability.length];
            double[] raw = new double[probability.length];
            int best = 0;
            for (int c = 0; c < p.length; c++) {
                p[c] = probability[c];
                // Log-probabilities: the logits up to a constant per row, so that softmax(rawPrediction) is the probability.
                // A probability that underflowed to 0 counts as the least float, so that every value is finite.
                raw[c] = Math.log(Math.max(probability[c], Float.MIN_VALUE));
                best = p[c] > p[best] ? c : best;
            }
            values[input.length()] = (double) best;
            values[input.length() + 1] = Vectors.dense(p);
            values[input.length() + 2] = Vectors.dense(raw);
        }
        values[input.length() + 3] = reason;
        return RowFactory.create(values);
    }
}
