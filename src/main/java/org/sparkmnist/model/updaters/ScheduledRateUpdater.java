package org.sparkmnist.model.updaters;

import java.util.Objects;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * What the fused updater configs share with DL4J's: a learning rate, fixed or scheduled, that DL4J may
 * read and replace (its fine-tuning API does). The fields keep DL4J's JSON names.
 */
abstract class ScheduledRateUpdater implements IUpdater {

    private static final long serialVersionUID = 1L;

    protected double learningRate;
    protected ISchedule learningRateSchedule;

    ScheduledRateUpdater(double learningRate, ISchedule learningRateSchedule) {
        this.learningRate = learningRate;
        this.learningRateSchedule = learningRateSchedule;
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
