package org.sparkmnist.model.updaters;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Adam with DL4J's hyper-parameters, state layout and numbers (its {@code Adam} config), computing each
 * step in one vectorised pass over the parameters ({@link FusedAdamUpdater}). Serialises to JSON like
 * DL4J's own updater configs, so networks using it save, reload and ship to Spark executors.
 */
public final class FusedAdam extends ScheduledRateUpdater {

    private static final long serialVersionUID = 1L;

    private final double beta1;
    private final double beta2;
    private final double epsilon;

    /** Adam stepping with {@code learningRateSchedule} (by iteration or epoch, as the schedule says). */
    public FusedAdam(ISchedule learningRateSchedule, double beta1, double beta2, double epsilon) {
        this(Double.NaN, learningRateSchedule, beta1, beta2, epsilon);
    }

    @JsonCreator
    private FusedAdam(@JsonProperty("learningRate") double learningRate, @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                      @JsonProperty("beta1") double beta1, @JsonProperty("beta2") double beta2, @JsonProperty("epsilon") double epsilon) {
        super(learningRate, learningRateSchedule);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    int stateArrays() {
        return 2;
    }

    @Override
    FusedAdamUpdater newUpdater() {
        return new FusedAdamUpdater(this, UpdateKernels.BEST);
    }

    @Override
    public FusedAdam clone() {
        return new FusedAdam(learningRate, scheduleCopy(), beta1, beta2, epsilon);
    }

    // DL4J puts layers whose updater configs are equal into one block, updated in one call.
    @Override
    public boolean equals(Object other) {
        return other instanceof FusedAdam that && sameRate(that) && beta1 == that.beta1 && beta2 == that.beta2
                && epsilon == that.epsilon;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, learningRateSchedule, beta1, beta2, epsilon);
    }

    @Override
    public String toString() {
        return "FusedAdam(" + rateText() + ", beta1=" + beta1
                + ", beta2=" + beta2 + ", epsilon=" + epsilon + ")";
    }
}
