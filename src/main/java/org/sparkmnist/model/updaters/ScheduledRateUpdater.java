package org.sparkmnist.model.updaters;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * What the fused updater configs share with DL4J's: a learning rate, fixed or scheduled, that DL4J may
 * read and replace (its fine-tuning API does), and a state of whole arrays of the parameters' shape
 * (Adam's m and v, RMSprop's mean square), laid out one after another as DL4J lays out its own. The
 * fields keep DL4J's JSON names.
 */
abstract class ScheduledRateUpdater implements IUpdater {

    private static final long serialVersionUID = 1L;

    protected double learningRate;
    protected ISchedule learningRateSchedule;

    ScheduledRateUpdater(double learningRate, ISchedule learningRateSchedule) {
        this.learningRate = learningRate;
        this.learningRateSchedule = learningRateSchedule;
    }

    /** How many arrays of the parameters' shape the state holds. */
    abstract int stateArrays();

    /** A new updater for this config, its state not yet set. */
    abstract FusedUpdater<?> newUpdater();

    @Override
    public long stateSize(long numParams) {
        return stateArrays() * numParams;
    }

    @Override
    public GradientUpdater<?> instantiate(INDArray viewArray, boolean initializeViewArray) {
        FusedUpdater<?> updater = newUpdater();
        long[] gradientShape = Arrays.copyOf(viewArray.shape(), viewArray.rank());
        gradientShape[gradientShape.length - 1] /= stateArrays();
        updater.setStateViewArray(viewArray, gradientShape, viewArray.ordering(), initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater<?> instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        FusedUpdater<?> updater = newUpdater();
        updater.setState(updaterState, initializeStateArrays);
        return updater;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    /** A copy of the schedule, for a clone that must not share its state. */
    protected ISchedule scheduleCopy() {
        return learningRateSchedule == null ? null : learningRateSchedule.clone();
    }

    /** The same rate and schedule: part of equals, since DL4J puts layers whose updaters are equal into one block. */
    protected boolean sameRate(ScheduledRateUpdater that) {
        return Double.compare(learningRate, that.learningRate) == 0 && Objects.equals(learningRateSchedule, that.learningRateSchedule);
    }

    /** "learningRate=..., learningRateSchedule=..." for toString. */
    protected String rateText() {
        return "learningRate=" + learningRate + ", learningRateSchedule=" + learningRateSchedule;
    }

    @Override
    public abstract ScheduledRateUpdater clone();
}
