package org.sparkmnist.model;

import org.sparkmnist.ConfigName;
import java.util.function.BiFunction;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;
import org.sparkmnist.model.updaters.FusedAdam;
import org.sparkmnist.model.updaters.FusedRmsProp;

/** The optimizers a model may train with ({@code model.<name>.updater.name}), each taking the hyper-parameters it uses. */
public enum UpdaterKind implements ConfigName {
    // DL4J's Adam and RmsProp, computed in one vectorised pass per step instead of libnd4j's scalar loops.
    ADAM((spec, rate) -> new FusedAdam(rate, spec.beta1(), spec.beta2(), spec.epsilon())),
    RMSPROP((spec, rate) -> new FusedRmsProp(rate, spec.rho(), spec.epsilon())),
    NESTEROVS((spec, rate) -> Nesterovs.builder().learningRateSchedule(rate).momentum(spec.momentum()).build()),
    SGD((spec, rate) -> Sgd.builder().learningRateSchedule(rate).build());

    private final BiFunction<UpdaterSpec, ISchedule, IUpdater> build;

    UpdaterKind(BiFunction<UpdaterSpec, ISchedule, IUpdater> build) {
        this.build = build;
    }

    /** DL4J's updater for {@code spec}, stepping with {@code rate}. */
    IUpdater build(UpdaterSpec spec, ISchedule rate) {
        return build.apply(spec, rate);
    }
}
