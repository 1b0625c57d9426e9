package org.sparkmnist.training;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scores predicted class probabilities against one-hot labels the way Keras reports them:
 * categorical cross-entropy with probabilities clipped to [1e-7, 1], and argmax accuracy. Computing
 * both from one forward pass halves the cost of per-epoch metrics.
 */
public final class CrossEntropy {

    /** Keras' backend epsilon, which its cross-entropy clips probabilities with. */
    private static final double CLIP = 1e-7;

    private CrossEntropy() {
    }

    /**
     * The tally of one minibatch. Its arrays are small (rows x classes), and it runs for every
     * minibatch trained and validated: a plain loop over two copies costs less than the dozen ND4J
     * ops (each with its own allocation and native call) the same arithmetic takes as array ops.
     */
    public static Tally tally(INDArray probabilities, INDArray oneHot) {
        int rows = (int) probabilities.rows();
        int classes = (int) probabilities.columns();
        // One copy each, row after row (INDArray.toFloatMatrix would copy every row on its own).
        float[] predicted = flat(probabilities);
        float[] labels = flat(oneHot);
        double lossSum = 0;
        long correct = 0;
        for (int row = 0, at = 0; row < rows; row++, at += classes) {
            for (int k = at; k < at + classes; k++) {
                if (labels[k] != 0) {
                    lossSum -= labels[k] * Math.log(Math.min(Math.max(predicted[k], CLIP), 1.0));
                }
            }
            if (argMax(predicted, at, classes) == argMax(labels, at, classes)) {
                correct++;
            }
        }
        return new Tally(lossSum, correct, rows);
    }

    /** A matrix's elements in row-major order, as floats. */
    private static float[] flat(INDArray matrix) {
        return matrix.dup('c').data().asFloat();
    }

    /** The first index of the largest value, as ND4J's argMax picks it. */
    private static int argMax(float[] values, int from, int length) {
        int best = from;
        for (int k = from + 1; k < from + length; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best - from;
    }
}
