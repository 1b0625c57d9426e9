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
    ADAM("adam", (spec, rate) -> new FusedAdam(rate, spec.beta1(), spec.beta2(), spec.epsilon())),
    RMSPROP("rmsprop", (spec, rate) -> new FusedRmsProp(rate, spec.rho(), spec.epsilon())),
    NESTEROVS("nesterovs", (spec, rate) -> Nesterovs.builder().learningRateSchedule(rate).momentum(spec.momentum()).build()),
    SGD("sgd", (spec, rate) -> Sgd.builder().learningRateSchedule(rate).build());

    private final String configName;
    private final BiFunction<UpdaterSpec, ISchedule, IUpdater> build;

    UpdaterKind(String configName, BiFunction<UpdaterSpec, ISchedule, IUpdater> build) {
        this.configName = configName;
        this.build = build;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** DL4J's updater for {@code spec}, stepping with {@code rate}. */
    IUpdater build(UpdaterSpec spec, ISchedule rate) {
        return build.apply(spec, rate);
    }
}
