package org.sparkmnist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.MemoryType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.conf.memory.NetworkMemoryReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.sparkmnist.config.SettingsLoader;

/**
 * The estimate, made without building anything, against DL4J's own memory report of the network
 * NetworkFactory builds from the same spec: it must count the same parameters, updater state and
 * training memory for one minibatch, whatever the layers and the updater.
 */
class TrainingMemoryTest {

    private static final int BATCH = 96;

    private static ModelSpec mlp(String overrides) {
        List<String> args = new ArrayList<>(List.of("models=[mlp]"));
        args.addAll(List.of(overrides.split(" ")));
        return SettingsLoader.load(args).models().get(0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"model.mlp.seed=1", "model.mlp.hidden-layers=[]", "model.mlp.hidden-layers=[300,200,100] model.mlp.updater.name=rmsprop",
            "model.mlp.hidden-layers=[50] model.mlp.updater.name=sgd", "model.mlp.updater.name=nesterovs model.mlp.dropout=0.2"})
    void countsWhatDl4jsMemoryReportCounts(String overrides) {
        ModelSpec spec = mlp(overrides);
        NetworkMemoryReport report = NetworkFactory.configuration(spec, 784, 10).getMemoryReport(InputType.feedForward(784));
        TrainingMemory estimate = TrainingMemory.of(spec, 784, 10, BATCH);

        assertEquals(report.getMemoryBytes(MemoryType.PARAMETERS, BATCH, MemoryUseMode.TRAINING, CacheMode.NONE, DataType.FLOAT),
                4 * estimate.parameters());
        assertEquals(report.getMemoryBytes(MemoryType.UPDATER_STATE, BATCH, MemoryUseMode.TRAINING, CacheMode.NONE, DataType.FLOAT),
                4 * estimate.updaterState());
        assertEquals(report.getTotalMemoryBytes(BATCH, MemoryUseMode.TRAINING, CacheMode.NONE, DataType.FLOAT), estimate.network());
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 2, 8})
    void eachWorkerAddsItsOwnNetworkAndResultWhileTheBroadcastIsHeldOncePerJvm(int workers) {
        TrainingMemory one = TrainingMemory.of(mlp("model.mlp.seed=1"), 784, 10, BATCH);
        long broadcast = one.executor(1) - one.worker();
        assertEquals(4 * (one.parameters() + one.updaterState()), broadcast);
        assertEquals(workers * one.worker() + broadcast, one.executor(workers));
        assertEquals(workers * one.worker() + one.driver(), one.localJvm(workers));
        assertTrue(one.driver() > broadcast);
    }
}
