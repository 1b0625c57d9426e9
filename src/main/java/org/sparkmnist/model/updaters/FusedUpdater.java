package org.sparkmnist.model.updaters;

import org.nd4j.linalg.learning.GradientUpdater;

/** What each fused updater holds besides its state: the configuration it steps by and the kernels that compute the step. */
abstract class FusedUpdater<C extends ScheduledRateUpdater> implements GradientUpdater<C> {

    protected final C config;
    protected final UpdateKernels kernels;

    FusedUpdater(C config, UpdateKernels kernels) {
        this.config = config;
        this.kernels = kernels;
    }

    @Override
    public C getConfig() {
        return config;
    }
}
