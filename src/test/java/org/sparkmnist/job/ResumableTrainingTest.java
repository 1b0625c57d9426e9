package org.sparkmnist.job;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.model.NetworkFactory;
import org.sparkmnist.output.RunCheckpoints;
import org.sparkmnist.training.EpochMetrics;

class ResumableTrainingTest {

    @TempDir
    Path out;

    private JobSettings settings(String... overrides) {
        List<String> args = new ArrayList<>(List.of(overrides));
        args.addAll(List.of("output.dir=" + out, "run.id=r1", "models=[softmax]", "output.mode=resume"));
        return SettingsLoader.load(args);
    }

    /** A checkpoint of softmax after epoch 2, made under {@code made}. */
    private RunCheckpoints checkpointUnder(JobSettings made) throws IOException {
        RunCheckpoints checkpoints = RunCheckpoints.of(out.toString(), "r1", new Configuration());
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.configuration(made.models().get(0), 784, 10));
        network.init();
        checkpoints.save("softmax", network, List.of(new EpochMetrics(1, 1, 1, 0.5, 1, 0.5), new EpochMetrics(2, 1, 1, 0.5, 1, 0.5)),
                made.checkpointIdentity("softmax"));
        return checkpoints;
    }

    @Test
    void checkpointMadeUnderOtherSettingsIsRefusedNamingWhatDiffers() throws IOException {
        RunCheckpoints checkpoints = checkpointUnder(settings("train.epochs=4"));
        JobSettings changed = settings("train.epochs=6", "train.batch-size=64", "model.softmax.updater.learning-rate=0.01");
        String message = assertThrows(BadInputException.class,
                () -> new ResumableTraining(changed, checkpoints).checkCheckpointsMatchConfig()).getMessage();
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
                () -> new ResumableTraining(changed, checkpoints).checkCheckpointsMatchConfig()).getMessage();
        assertTrue(message.contains("model.softmax.l2 = 0 in the checkpoint, 0.5 now"), message);
    }

    @Test
    void whereTheDataLivesAndHowManyWorkersRunMayChange() throws IOException {
        RunCheckpoints checkpoints = checkpointUnder(settings());
        JobSettings moved = settings("data.dir=/elsewhere/mnist", "train.workers=3", "train.prefetch=0");
        assertDoesNotThrow(() -> new ResumableTraining(moved, checkpoints).checkCheckpointsMatchConfig());
    }

    @Test
    void differencesListKeysMissingOnEitherSide() {
        assertEquals(List.of("a = 1 in the checkpoint, 2 now", "b = (unset) in the checkpoint, x now"),
                ResumableTraining.differences(Map.of("a", "1", "c", "z"), Map.of("a", "2", "b", "x", "c", "z")));
    }
}
