package org.sparkmnist.model.updaters;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.RmsPropUpdater;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The state and step of {@link FusedRmsProp}: the running mean of squared gradients, one value per
 * parameter, starting at epsilon as DL4J's RMSprop starts it.
 */
final class FusedRmsPropUpdater extends FusedUpdater<FusedRmsProp> {

    static final String G_STATE = "G";

    private INDArray squares;

    FusedRmsPropUpdater(FusedRmsProp config, UpdateKernels kernels) {
        super(config, kernels);
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        if (stateMap.size() != 1 || !stateMap.containsKey(G_STATE)) {
            throw new IllegalStateException("RMSprop's state holds exactly " + G_STATE + ", not " + stateMap.keySet());
        }
        squares = stateMap.get(G_STATE);
        if (initialize) {
            squares.assign(config.epsilon());
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        return Collections.singletonMap(G_STATE, squares);
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (!viewArray.isRowVectorOrScalar()) {
            throw new IllegalArgumentException("RMSprop's state must be a row vector, not of shape " + Arrays.toString(viewArray.shape()));
        }
        if (initialize) {
            viewArray.assign(config.epsilon());
        }
        squares = Shape.newShapeNoCopy(viewArray, gradientShape, gradientOrder == 'f');
        if (squares == null) {
            throw new IllegalStateException("RMSprop's state cannot take the gradient's shape " + Arrays.toString(gradientShape));
        }
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (squares == null) {
            throw new IllegalStateException("RMSprop's state has not been set");
        }
        double learningRate = config.getLearningRate(iteration, epoch);
        ByteBuffer g = NativeFloats.of(gradient);
        ByteBuffer s = NativeFloats.of(squares);
        if (g == null || s == null || gradient.length() != squares.length()) {
            // Not float, or not laid out flat (never so for DL4J's updater blocks): libnd4j's op, as DL4J's RMSprop runs it.
            Nd4j.exec(new RmsPropUpdater(gradient, squares, learningRate, config.rmsDecay(), config.epsilon()));
            return;
        }
        kernels.rmsProp(g, s, (int) gradient.length(), (float) config.rmsDecay(), (float) learningRate, (float) config.epsilon());
    }
}
