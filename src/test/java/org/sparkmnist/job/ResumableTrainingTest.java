package org.sparkmnist.job;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.model.NetworkFactory;
import org.sparkmnist.store.RunCheckpoints;
import org.sparkmnist.store.RunKind;
import org.sparkmnist.store.RunStore;
import org.sparkmnist.testing.StoredRuns;
import org.sparkmnist.training.EpochMetrics;

class ResumableTrainingTest {

    @TempDir
    Path out;

    private RunStore store;

    /** The data the checkpoints below were made from. */
    private static final SortedMap<String, String> DATA = new TreeMap<>(Map.of("data.fingerprint.train-labels.bytes", "60008",
            "data.fingerprint.labels.sha256", "aa11"));

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private JobSettings settings(String... overrides) {
        List<String> args = new ArrayList<>(List.of(overrides));
        args.addAll(List.of("output.dir=" + out, "run.id=r1", "models=[softmax]", "output.mode=resume"));
        return SettingsLoader.load(args);
    }

    /** A checkpoint of softmax after epoch 2, made under {@code made}. */
    private RunCheckpoints checkpointUnder(JobSettings made) throws IOException {
        store = RunStore.open(out.toString(), "r1", RunKind.TRAINING, StoredRuns.LEASE, new Configuration());
        RunCheckpoints checkpoints = store.checkpoints();
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.configuration(made.models().get(0), 784, 10));
        network.init();
        checkpoints.save("softmax", network, List.of(new EpochMetrics(1, 1, 1, 0.5, 1, 0.5), new EpochMetrics(2, 1, 1, 0.5, 1, 0.5)),
                new ResumableTraining(made, checkpoints, DATA).identity("softmax"));
        return checkpoints;
    }

    @Test
    void checkpointMadeUnderOtherSettingsIsRefusedNamingWhatDiffers() throws IOException {
        RunCheckpoints checkpoints = checkpointUnder(settings("train.epochs=4"));
        JobSettings changed = settings("train.epochs=6", "train.batch-size=64", "model.softmax.updater.learning-rate=0.01");
        String message = assertThrows(BadInputException.class,
                () -> new ResumableTraining(changed, checkpoints, DATA).prepare()).getMessage();
        assertTrue(message.startsWith("cannot resume run r1: the checkpoint of model softmax"), message);
        assertTrue(message.contains("train.epochs = 4 in the checkpoint, 6 now"), message);
        assertTrue(message.contains("train.batch-size = 128 in the checkpoint, 64 now"), message);
        assertTrue(message.contains("model.softmax.updater.learning-rate = 0.002 in the checkpoint, 0.01 now"), message);
        assertTrue(message.contains("output.mode=overwrite"), message);
    }

    @Test
    void changedModelDefaultsAreCaughtToo() throws IOException {
        RunCheckpoints checkpoints = checkpointUnder(settings());
        JobSettings changed = settings("model.defaults.l2=0.5");
        String message = assertThrows(BadInputException.class,
                () -> new ResumableTraining(changed, checkpoints, DATA).prepare()).getMessage();
        assertTrue(message.contains("model.softmax.l2 = 0 in the checkpoint, 0.5 now"), message);
    }

    @Test
    void whereTheDataLivesAndHowManyWorkersRunAndWarmUpMayChange() throws IOException {
        RunCheckpoints checkpoints = checkpointUnder(settings());
        JobSettings moved = settings("data.dir=/elsewhere/mnist", "train.workers=3", "train.prefetch=0", "train.warm-up-minibatches=0");
        assertDoesNotThrow(() -> new ResumableTraining(moved, checkpoints, DATA).prepare());
    }

    @Test
    void checkpointOfOtherDataIsRefusedEvenWhenItsShapesAgree() throws IOException {
        RunCheckpoints checkpoints = checkpointUnder(settings());
        SortedMap<String, String> relabelled = new TreeMap<>(DATA);
        relabelled.put("data.fingerprint.labels.sha256", "bb22");
        String message = assertThrows(BadInputException.class,
                () -> new ResumableTraining(settings(), checkpoints, relabelled).prepare()).getMessage();
        assertTrue(message.contains("data.fingerprint.labels.sha256 = aa11 in the checkpoint, bb22 now"), message);
    }

    @Test
    void withoutResumeTheCheckpointsOfAnEarlierAttemptAreDiscarded() throws IOException {
        RunCheckpoints checkpoints = checkpointUnder(settings());
        JobSettings overwrite = SettingsLoader.load(List.of("output.dir=" + out, "run.id=r1", "models=[softmax]"));
        new ResumableTraining(overwrite, checkpoints, DATA).prepare();
        assertFalse(checkpoints.exists());
    }

    @Test
    void differencesListKeysMissingOnEitherSide() {
        assertEquals(List.of("a = 1 in the checkpoint, 2 now", "b = (unset) in the checkpoint, x now"),
                ResumableTraining.differences(Map.of("a", "1", "c", "z"), Map.of("a", "2", "b", "x", "c", "z")));
    }
}
