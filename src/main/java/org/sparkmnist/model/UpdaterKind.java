package org.sparkmnist.model;

import org.sparkmnist.ConfigName;
import java.util.function.BiFunction;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

/** The optimizers a model may train with ({@code model.<name>.updater.name}), each taking the hyper-parameters it uses. */
public enum UpdaterKind implements ConfigName {
    ADAM("adam", (spec, rate) -> Adam.builder().learningRateSchedule(rate).beta1(spec.beta1()).beta2(spec.beta2())
            .epsilon(spec.epsilon()).build()),
    RMSPROP("rmsprop", (spec, rate) -> RmsProp.builder().learningRateSchedule(rate).rmsDecay(spec.rho()).epsilon(spec.epsilon())
            .build()),
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
