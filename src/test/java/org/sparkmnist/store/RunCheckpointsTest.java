package org.sparkmnist.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.model.NetworkFactory;
import org.sparkmnist.testing.StoreLayout;
import org.sparkmnist.model.layers.DenseLayerImpl;
import org.sparkmnist.model.layers.OutputLayerImpl;
import org.sparkmnist.model.updaters.FusedAdam;
import org.sparkmnist.testing.StoredRuns;
import org.sparkmnist.training.EpochMetrics;

class RunCheckpointsTest {

    @TempDir
    Path out;

    private RunStore store;

    /** Where the store keeps run r1's checkpoints, as its documented layout says: in its holder's directory. */
    private Path checkpointDirectory() throws IOException {
        try (var holders = Files.list(StoreLayout.store(out, "r1"))) {
            return holders.filter(p -> p.getFileName().toString().startsWith("holder-")).findFirst().orElseThrow().resolve("checkpoints");
        }
    }

    private RunCheckpoints checkpoints() throws IOException {
        if (store == null) {
            store = RunStore.open(out.toString(), "r1", RunKind.TRAINING, StoredRuns.LEASE, new Configuration());
        }
        return store.checkpoints();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
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

        RunCheckpoints.Loaded latest = checkpoints.load("mlp").orElseThrow();
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
    void aCheckpointIsAStockDl4jModelThatLoadsWithTheProjectsLayersAndOptimizer() throws IOException {
        checkpoints().save("mlp", trainedTinyNetwork(), history(1), Map.of());
        String configuration;
        try (ZipFile zip = new ZipFile(checkpointDirectory().resolve("mlp/epoch-0001/model.zip").toFile())) {
            configuration = new String(zip.getInputStream(zip.getEntry("configuration.json")).readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(configuration.contains("\"org.deeplearning4j.nn.conf.layers.DenseLayer\"") && !configuration.contains("org.sparkmnist"),
                configuration);
        MultiLayerNetwork resumed = checkpoints().load("mlp").orElseThrow().network();
        assertInstanceOf(DenseLayerImpl.class, resumed.getLayer(0));
        assertInstanceOf(OutputLayerImpl.class, resumed.getOutputLayer());
        assertInstanceOf(FusedAdam.class, ((BaseLayer) resumed.getLayer(0).conf().getLayer()).getIUpdater());
    }

    @Test
    void theTwoNewestCompleteEpochsAreKept() throws IOException {
        MultiLayerNetwork network = trainedTinyNetwork();
        RunCheckpoints checkpoints = checkpoints();
        for (int epoch = 1; epoch <= 3; epoch++) {
            checkpoints.save("mlp", network, history(epoch), Map.of());
        }
        try (var files = Files.list(checkpointDirectory().resolve("mlp"))) {
            assertEquals(List.of("epoch-0002", "epoch-0003"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(3, checkpoints.load("mlp").orElseThrow().epoch());
        assertTrue(checkpoints.load("softmax").isEmpty());
    }

    @Test
    void whenTheNewestCheckpointDoesNotLoadTheOneBeforeIsUsed() throws IOException {
        MultiLayerNetwork network = trainedTinyNetwork();
        RunCheckpoints checkpoints = checkpoints();
        checkpoints.save("mlp", network, history(1), Map.of());
        checkpoints.save("mlp", network, history(2), Map.of());
        Path newest = checkpointDirectory().resolve("mlp/epoch-0002/model.zip");
        Files.write(newest, Arrays.copyOf(Files.readAllBytes(newest), 100));
        RunCheckpoints.Loaded loaded = checkpoints.load("mlp").orElseThrow();
        assertEquals(1, loaded.epoch());
        assertEquals(history(1), loaded.history());
        assertArrayEquals(network.params().toFloatVector(), loaded.network().params().toFloatVector());
    }

    @Test
    void aCheckpointCutShortByAKillIsIgnored() throws IOException {
        RunCheckpoints checkpoints = checkpoints();
        checkpoints.save("mlp", trainedTinyNetwork(), history(2), Map.of());
        Path partial = checkpointDirectory().resolve("mlp/epoch-0003.partial-1a2b3c4d");
        Files.createDirectories(partial);
        Files.write(partial.resolve("model.zip"), new byte[] {1, 2, 3});
        assertEquals(2, checkpoints.load("mlp").orElseThrow().epoch());
        checkpoints.save("mlp", trainedTinyNetwork(), history(3), Map.of());
        assertFalse(Files.exists(partial), "the next save clears what a killed one left");
    }

    @Test
    void checkpointsLiveUnderTheRunIdNotTheAttemptAndDiscardRemovesThem() throws IOException {
        RunCheckpoints checkpoints = checkpoints();
        checkpoints.save("mlp", trainedTinyNetwork(), history(1), Map.of());
        assertTrue(Files.isDirectory(checkpointDirectory().resolve("mlp/epoch-0001")));
        checkpoints.discard();
        assertFalse(checkpoints.exists());
        assertTrue(checkpoints.load("mlp").isEmpty());
    }
}
