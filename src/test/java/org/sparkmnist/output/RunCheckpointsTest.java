package org.sparkmnist.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.model.NetworkFactory;
import org.sparkmnist.training.EpochMetrics;

class RunCheckpointsTest {

    @TempDir
    Path out;

    private RunCheckpoints checkpoints() throws IOException {
        return RunCheckpoints.of(out.toString(), "r1", new Configuration());
    }

    /** A tiny network that has taken a step, so its Adam state is not all zeros. */
    private static MultiLayerNetwork trainedTinyNetwork() {
        ModelSpec spec = SettingsLoader.load(List.of("models=[mlp]", "model.mlp.hidden-layers=[5]")).models().get(0);
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.configuration(spec, 4, 3));
        network.init();
        network.fit(new DataSet(Nd4j.rand(8, 4), Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2, 0, 1)));
        return network;
    }

    private static List<EpochMetrics> history(int epochs) {
        return java.util.stream.IntStream.rangeClosed(1, epochs)
                .mapToObj(e -> new EpochMetrics(e, 1.5 * e, 0.1 / e, 0.9, 0.2 / e, 0.85 + e / 1000.0)).toList();
    }

    @Test
    void checkpointRestoresNetworkUpdaterStateHistoryAndSettings() throws IOException {
        MultiLayerNetwork network = trainedTinyNetwork();
        // updater.learning-rate-decay is keyed to DL4J's epoch count: a resumed model must go on from it.
        network.incrementEpochCount();
        network.incrementEpochCount();
        RunCheckpoints checkpoints = checkpoints();
        checkpoints.save("mlp", network, history(2), Map.of("train.epochs", "4"));

        RunCheckpoints.Checkpoint latest = checkpoints.latest("mlp").orElseThrow();
        assertEquals(2, latest.epoch());
        assertEquals(history(2), latest.history());
        assertEquals(Map.of("train.epochs", "4"), latest.settings());
        MultiLayerNetwork restored = latest.network();
        assertEquals(2, restored.getEpochCount(), "the learning-rate schedule's epoch");
        assertArrayEquals(network.params().toFloatVector(), restored.params().toFloatVector());
        float[] updaterState = network.getUpdater().getStateViewArray().toFloatVector();
        assertTrue(updaterState.length > 0 && Math.abs(updaterState[0]) + Math.abs(updaterState[updaterState.length - 1]) > 0);
        assertArrayEquals(updaterState, restored.getUpdater().getStateViewArray().toFloatVector(), "Adam's moments must survive");
    }

    @Test
    void onlyTheLatestCompleteEpochIsKept() throws IOException {
        MultiLayerNetwork network = trainedTinyNetwork();
        RunCheckpoints checkpoints = checkpoints();
        checkpoints.save("mlp", network, history(1), Map.of());
        checkpoints.save("mlp", network, history(2), Map.of());
        try (var files = Files.list(Path.of(checkpoints.directory().toUri()).resolve("mlp"))) {
            assertEquals(List.of("epoch-0002"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(2, checkpoints.latest("mlp").orElseThrow().epoch());
        assertTrue(checkpoints.latest("softmax").isEmpty());
    }

    @Test
    void aCheckpointCutShortByAKillIsIgnored() throws IOException {
        RunCheckpoints checkpoints = checkpoints();
        checkpoints.save("mlp", trainedTinyNetwork(), history(2), Map.of());
        Path partial = Path.of(checkpoints.directory().toUri()).resolve("mlp/epoch-0003.partial-1a2b3c4d");
        Files.createDirectories(partial);
        Files.write(partial.resolve("model.zip"), new byte[] {1, 2, 3});
        assertEquals(2, checkpoints.latest("mlp").orElseThrow().epoch());
        checkpoints.save("mlp", trainedTinyNetwork(), history(3), Map.of());
        assertFalse(Files.exists(partial), "the next save clears what a killed one left");
    }

    @Test
    void checkpointsLiveUnderTheRunIdNotTheAttemptAndDiscardRemovesThem() throws IOException {
        RunCheckpoints checkpoints = checkpoints();
        checkpoints.save("mlp", trainedTinyNetwork(), history(1), Map.of());
        assertTrue(Files.isDirectory(out.resolve("_temporary/r1.checkpoint/mlp/epoch-0001")));
        checkpoints.discard();
        assertFalse(checkpoints.exists());
        assertTrue(checkpoints.latest("mlp").isEmpty());
    }
}
