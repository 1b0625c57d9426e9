package org.sparkmnist.model.updaters;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The state and step of {@link FusedAdam}: the first and second moment estimates m and v, laid out as
 * DL4J's Adam lays them out (m, then v, in one state array), so that parameter averaging averages them
 * alike and checkpoints hold the same thing.
 */
final class FusedAdamUpdater extends FusedUpdater<FusedAdam> {

    static final String M_STATE = "M";
    static final String V_STATE = "V";

    private INDArray m;
    private INDArray v;

    FusedAdamUpdater(FusedAdam config, UpdateKernels kernels) {
        super(config, kernels);
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        if (stateMap.size() != 2 || !stateMap.containsKey(M_STATE) || !stateMap.containsKey(V_STATE)) {
            throw new IllegalStateException("Adam's state holds exactly " + M_STATE + " and " + V_STATE + ", not " + stateMap.keySet());
        }
        m = stateMap.get(M_STATE);
        v = stateMap.get(V_STATE);
        if (initialize) {
            m.assign(0);
            v.assign(0);
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> state = new HashMap<>();
        state.put(M_STATE, m);
        state.put(V_STATE, v);
        return state;
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (!viewArray.isRowVector()) {
            throw new IllegalArgumentException("Adam's state must be a row vector, not of shape " + java.util.Arrays.toString(viewArray.shape()));
        }
        if (initialize) {
            viewArray.assign(0);
        }
        long half = viewArray.length() / 2;
        m = Shape.newShapeNoCopy(viewArray.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, half)), gradientShape, gradientOrder == 'f');
        v = Shape.newShapeNoCopy(viewArray.get(NDArrayIndex.point(0), NDArrayIndex.interval(half, viewArray.length())), gradientShape,
                gradientOrder == 'f');
        if (m == null || v == null) {
            throw new IllegalStateException("Adam's state cannot take the gradient's shape " + java.util.Arrays.toString(gradientShape));
        }
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (m == null || v == null) {
            throw new IllegalStateException("Adam's state has not been set");
        }
        double learningRate = config.getLearningRate(iteration, epoch);
        ByteBuffer g = NativeFloats.of(gradient);
        ByteBuffer first = NativeFloats.of(m);
        ByteBuffer second = NativeFloats.of(v);
        if (g == null || first == null || second == null || gradient.length() != m.length()) {
            // Not float, or not laid out flat (never so for DL4J's updater blocks): libnd4j's op, as DL4J's Adam runs it.
            Nd4j.exec(new AdamUpdater(gradient, v, m, learningRate, config.beta1(), config.beta2(), config.epsilon(), iteration));
            return;
        }
        kernels.adam(g, first, second, (int) gradient.length(), (float) config.beta1(), (float) config.beta2(),
                stepSize(learningRate, iteration), (float) config.epsilon());
    }

    /**
     * The bias-corrected step size lr·sqrt(1 - beta2^t) / (1 - beta1^t), t = iteration + 1, with libnd4j's
     * guard: epsilon where that is not a finite non-zero number.
     */
    private float stepSize(double learningRate, int iteration) {
        float beta1Power = (float) Math.pow((float) config.beta1(), iteration + 1);
        float beta2Power = (float) Math.pow((float) config.beta2(), iteration + 1);
        float alpha = (float) (learningRate * Math.sqrt(1.0 - beta2Power) / (1.0 - beta1Power));
        return Float.isNaN(alpha) || Float.isInfinite(alpha) || alpha == 0 ? (float) config.epsilon() : alpha;
    }
}
