package org.sparkmnist.model.layers;

import java.util.Arrays;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The three matrix products of a dense layer, each written straight into an array in the order its
 * consumer reads. {@code Nd4j.gemm} hands any output order to BLAS as it is, where {@code mmuli}
 * computes a row-major ('c') result into a temporary column-major ('f') array and copies it over.
 */
final class DenseArithmetic {

    private DenseArithmetic() {
    }

    /** x·W + b for a minibatch {@code x} (rows are examples), as a new row-major array of {@code type}. */
    static INDArray preActivation(INDArray x, INDArray weights, INDArray bias, LayerWorkspaceMgr workspaces, ArrayType type,
                                  String layerId) {
        if (x.rank() != 2 || x.columns() != weights.rows()) {
            throw new DL4JInvalidInputException("Input of shape " + Arrays.toString(x.shape()) + " does not fit a dense layer of "
                    + weights.rows() + " inputs (expected a matrix with one row per example) " + layerId);
        }
        INDArray z = workspaces.createUninitialized(type, weights.dataType(), new long[] {x.rows(), weights.columns()}, 'c');
        Nd4j.gemm(x.castTo(weights.dataType()), weights, z, false, false, 1.0, 0.0);
        return bias == null ? z : z.addiRowVector(bias);
    }

    /** dL/dW = xᵀ·delta, into the layer's (column-major) slice of the network's gradient array. */
    static void weightGradient(INDArray x, INDArray delta, INDArray weightGradient) {
        Nd4j.gemm(x.castTo(weightGradient.dataType()), delta, weightGradient, true, false, 1.0, 0.0);
    }

    /** dL/dx = delta·Wᵀ, row-major like the activations the layer below will multiply it with. */
    static INDArray inputGradient(INDArray delta, INDArray weights, LayerWorkspaceMgr workspaces) {
        INDArray epsilon = workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                new long[] {delta.rows(), weights.rows()}, 'c');
        return Nd4j.gemm(delta, weights, epsilon, false, true, 1.0, 0.0);
    }
}
