package org.sparkmnist.model.updaters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The fused updaters step exactly as DL4J's Adam and RMSprop do (within float rounding): the same updates
 * and the same state after many steps across epochs, with Keras' epsilon and rho and the per-epoch
 * learning-rate decay, for both the SIMD and the scalar kernels, on blocks whose length is no multiple of
 * a SIMD width and which sit inside larger arrays, as DL4J's updater blocks do.
 */
class FusedUpdatersMatchDl4jTest {

    /** An odd block length, so that the kernels' scalar tails run too. */
    private static final int LENGTH = 10_007;
    private static final int OFFSET = 13;
    /**
     * Float rounding: where a decayed moment nearly cancels the new gradient's share, the two sums round
     * apart by a few float ulps of the terms (about 1e-7 of values up to 0.1), whatever the result's size.
     */
    private static final double RELATIVE = 2e-5;
    private static final double ABSOLUTE = 1e-8;

    private static final ISchedule DECAY = new ExponentialSchedule(ScheduleType.EPOCH, 2e-3, 0.7);

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        INDArray difference = Transforms.abs(expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)));
        INDArray allowed = Transforms.abs(expected.castTo(DataType.DOUBLE)).muli(RELATIVE).addi(ABSOLUTE);
        double worst = difference.sub(allowed).maxNumber().doubleValue();
        assertTrue(worst <= 0, what + ": max |DL4J - fused| exceeds tolerance by " + worst);
    }

    /** A block of LENGTH floats at OFFSET inside a longer row, as DL4J's updater blocks slice the network's arrays. */
    private static INDArray block(INDArray row, long length) {
        return row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(OFFSET, OFFSET + length));
    }

    /**
     * Runs DL4J's updater and ours side by side over steps spanning four epochs (each with a fresh random
     * gradient) and compares each step's update and the state at the end.
     */
    private static void stepSideBySide(IUpdater dl4j, IUpdater fused, Function<INDArray, GradientUpdater<?>> fusedWithKernels,
                                       String what) {
        long stateLength = dl4j.stateSize(LENGTH);
        INDArray dl4jRow = Nd4j.zeros(DataType.FLOAT, 1, stateLength + 2 * OFFSET);
        INDArray fusedRow = Nd4j.zeros(DataType.FLOAT, 1, stateLength + 2 * OFFSET);
        fusedRow.assign(-3);
        GradientUpdater<?> reference = dl4j.instantiate(block(dl4jRow, stateLength), true);
        GradientUpdater<?> ours = fusedWithKernels.apply(block(fusedRow, stateLength));
        Nd4j.getRandom().setSeed(5);
        int iteration = 0;
        for (int epoch = 0; epoch < 4; epoch++) {
            for (int step = 0; step < 5; step++, iteration++) {
                INDArray gradient = Nd4j.randn(DataType.FLOAT, 1, LENGTH).muli(epoch == 0 ? 1 : 1e-3);
                INDArray expected = gradient.dup();
                INDArray gradientRow = Nd4j.valueArrayOf(new long[] {1, LENGTH + 2 * OFFSET}, 7f);
                INDArray actual = block(gradientRow, LENGTH).assign(gradient);
                reference.applyUpdater(expected, iteration, epoch);
                ours.applyUpdater(actual, iteration, epoch);
                assertClose(expected, actual, what + ": update at iteration " + iteration + ", epoch " + epoch);
                assertEquals(7f, gradientRow.getFloat(OFFSET - 1), what + ": the float before the block");
                assertEquals(7f, gradientRow.getFloat(OFFSET + LENGTH), what + ": the float after the block");
            }
        }
        assertClose(block(dl4jRow, stateLength), block(fusedRow, stateLength), what + ": state after " + iteration + " steps");
        assertEquals(-3f, fusedRow.getFloat(OFFSET - 1), what + ": the float before the state");
        assertEquals(-3f, fusedRow.getFloat(OFFSET + stateLength), what + ": the float after the state");
    }

    private static void forBothKernels(IUpdater dl4j, IUpdater fused, String what) {
        for (UpdateKernels kernels : List.of(UpdateKernels.BEST, new ScalarUpdateKernels())) {
            stepSideBySide(dl4j, fused, state -> {
                if (fused instanceof FusedAdam adam) {
                    FusedAdamUpdater updater = new FusedAdamUpdater(adam, kernels);
                    updater.setStateViewArray(state, new long[] {1, LENGTH}, 'c', true);
                    return updater;
                }
                FusedRmsPropUpdater updater = new FusedRmsPropUpdater((FusedRmsProp) fused, kernels);
                updater.setStateViewArray(state, new long[] {1, LENGTH}, 'c', true);
                return updater;
            }, what + " (" + kernels.describe() + ")");
        }
    }

    @Test
    void adamWithKerasEpsilonAndEpochDecay() {
        forBothKernels(Adam.builder().learningRateSchedule(DECAY).beta1(0.9).beta2(0.999).epsilon(1e-7).build(),
                new FusedAdam(DECAY, 0.9, 0.999, 1e-7), "adam");
    }

    @Test
    void adamWithOtherMomentDecays() {
        ISchedule constant = new ExponentialSchedule(ScheduleType.ITERATION, 1e-3, 1.0);
        forBothKernels(Adam.builder().learningRateSchedule(constant).beta1(0.8).beta2(0.99).epsilon(1e-8).build(),
                new FusedAdam(constant, 0.8, 0.99, 1e-8), "adam 0.8/0.99");
    }

    @Test
    void rmsPropWithKerasRhoAndEpsilon() {
        ISchedule constant = new ExponentialSchedule(ScheduleType.EPOCH, 1e-4, 1.0);
        forBothKernels(RmsProp.builder().learningRateSchedule(constant).rmsDecay(0.9).epsilon(1e-7).build(),
                new FusedRmsProp(constant, 0.9, 1e-7), "rmsprop");
    }

    @Test
    void rmsPropWithEpochDecay() {
        forBothKernels(RmsProp.builder().learningRateSchedule(DECAY).rmsDecay(0.95).epsilon(1e-8).build(),
                new FusedRmsProp(DECAY, 0.95, 1e-8), "rmsprop decaying");
    }

    @Test
    void doublePrecisionFallsBackToDl4jsOwnOp() {
        INDArray dl4jState = Nd4j.zeros(DataType.DOUBLE, 1, 2 * 100);
        INDArray fusedState = Nd4j.zeros(DataType.DOUBLE, 1, 2 * 100);
        GradientUpdater<?> reference = Adam.builder().learningRateSchedule(DECAY).epsilon(1e-7).build().instantiate(dl4jState, true);
        GradientUpdater<?> ours = new FusedAdam(DECAY, 0.9, 0.999, 1e-7).instantiate(fusedState, true);
        INDArray expected = Nd4j.randn(DataType.DOUBLE, 1, 100);
        INDArray actual = expected.dup();
        reference.applyUpdater(expected, 3, 1);
        ours.applyUpdater(actual, 3, 1);
        assertEquals(expected, actual);
        assertEquals(dl4jState, fusedState);
    }

    @Test
    void testJvmsRunTheSimdKernels() {
        // The surefire argLine adds the Vector API's module, as every launcher of the project does.
        assertInstanceOf(VectorUpdateKernels.class, UpdateKernels.BEST);
    }
}
