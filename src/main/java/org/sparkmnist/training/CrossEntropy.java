package org.sparkmnist.training;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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

    public static Tally tally(INDArray probabilities, INDArray oneHot) {
        INDArray clipped = Transforms.min(Transforms.max(probabilities, CLIP, true), 1.0, false);
        double lossSum = -Transforms.log(clipped, false).muli(oneHot).sumNumber().doubleValue();
        long correct = Nd4j.argMax(probabilities, 1).eq(Nd4j.argMax(oneHot, 1)).castTo(org.nd4j.linalg.api.buffer.DataType.INT)
                .sumNumber().longValue();
        return new Tally(lossSum, correct, probabilities.rows());
    }
}
