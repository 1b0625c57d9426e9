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
        float[][] predicted = probabilities.toFloatMatrix();
        float[][] labels = oneHot.toFloatMatrix();
        double lossSum = 0;
        long correct = 0;
        for (int row = 0; row < predicted.length; row++) {
            float[] p = predicted[row];
            float[] y = labels[row];
            for (int k = 0; k < p.length; k++) {
                if (y[k] != 0) {
                    lossSum -= y[k] * Math.log(Math.min(Math.max(p[k], CLIP), 1.0));
                }
            }
            if (argMax(p) == argMax(y)) {
                correct++;
            }
        }
        return new Tally(lossSum, correct, predicted.length);
    }

    /** The first index of the largest value, as ND4J's argMax picks it. */
    private static int argMax(float[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }
}
