package org.sparkmnist.model.updaters;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * RMSprop with DL4J's hyper-parameters, state layout and numbers (its {@code RmsProp} config), computing
 * each step in one vectorised pass over the parameters ({@link FusedRmsPropUpdater}). Serialises to JSON
 * like DL4J's own updater configs.
 */
public final class FusedRmsProp extends ScheduledRateUpdater {

    private static final long serialVersionUID = 1L;

    private final double rmsDecay;
    private final double epsilon;

    /** RMSprop stepping with {@code learningRateSchedule}; {@code rmsDecay} is Keras' rho. */
    public FusedRmsProp(ISchedule learningRateSchedule, double rmsDecay, double epsilon) {
        this(Double.NaN, learningRateSchedule, rmsDecay, epsilon);
    }

    @JsonCreator
    private FusedRmsProp(@JsonProperty("learningRate") double learningRate, @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                         @JsonProperty("rmsDecay") double rmsDecay, @JsonProperty("epsilon") double epsilon) {
        super(learningRate, learningRateSchedule);
        this.rmsDecay = rmsDecay;
        this.epsilon = epsilon;
    }

    public double rmsDecay() {
        return rmsDecay;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    int stateArrays() {
        return 1;
    }

    @Override
    FusedRmsPropUpdater newUpdater() {
        return new FusedRmsPropUpdater(this, UpdateKernels.BEST);
    }

    @Override
    public FusedRmsProp clone() {
        return new FusedRmsProp(learningRate, scheduleCopy(), rmsDecay, epsilon);
    }

    // DL4J puts layers whose updater configs are equal into one block, updated in one call.
    @Override
    public boolean equals(Object other) {
        return other instanceof FusedRmsProp that && sameRate(that) && rmsDecay == that.rmsDecay && epsilon == that.epsilon;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, learningRateSchedule, rmsDecay, epsilon);
    }

    @Override
    public String toString() {
        return "FusedRmsProp(" + rateText() + ", rmsDecay=" + rmsDecay
                + ", epsilon=" + epsilon + ")";
    }
}
