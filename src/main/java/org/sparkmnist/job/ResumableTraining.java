package org.sparkmnist.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.config.SecretMasking;
import org.sparkmnist.model.ModelSummary;
import org.sparkmnist.model.NetworkFactory;
import org.sparkmnist.output.RunCheckpoints;
import org.sparkmnist.training.DistributedTrainer;
import org.sparkmnist.training.EpochMetrics;
import org.sparkmnist.training.StagedSplit;
import org.sparkmnist.training.TrainingRun;

/**
 * Trains one model with a checkpoint after every epoch, and with output.mode=resume starts it from
 * its last checkpoint of the same run.id: a model that finished in an interrupted attempt is not
 * trained again, one that was in the middle continues after its last complete epoch.
 */
final class ResumableTraining {

    private static final Logger LOG = LoggerFactory.getLogger(ResumableTraining.class);

    private final JobSettings settings;
    private final RunCheckpoints checkpoints;

    ResumableTraining(JobSettings settings, RunCheckpoints checkpoints) {
        this.settings = settings;
        this.checkpoints = checkpoints;
    }

    /**
     * Refuses, before Spark starts, to resume from checkpoints made under other settings: the
     * result would be a model no config describes.
     */
    void checkCheckpointsMatchConfig() throws IOException {
        for (ModelSpec spec : settings.models()) {
            Optional<RunCheckpoints.Checkpoint> checkpoint = checkpoints.latest(spec.name());
            if (checkpoint.isPresent()) {
                List<String> differences = differences(checkpoint.get().settings(), settings.checkpointIdentity(spec.name()));
                if (!differences.isEmpty()) {
                    throw new BadInputException("cannot resume run " + settings.runId() + ": the checkpoint of model " + spec.name()
                            + " (" + checkpoint.get().path() + ") was made with other settings: " + String.join("; ", differences)
                            + "; rerun with those settings, or start over with output.mode=overwrite");
                }
            }
        }
    }

    TrainingRun train(DistributedTrainer trainer, StagedSplit staged, ModelSpec spec) throws Exception {
        String name = spec.name();
        int epochs = settings.train().epochs();
        Optional<RunCheckpoints.Checkpoint> checkpoint = settings.output().resume() ? checkpoints.latest(name) : Optional.empty();
        MultiLayerNetwork network;
        List<EpochMetrics> earlier;
        if (checkpoint.isPresent()) {
            network = checkpoint.get().network();
            earlier = checkpoint.get().history();
        } else {
            network = new MultiLayerNetwork(NetworkFactory.configuration(spec, settings.data().pixels(), settings.data().classes()));
            network.init();
            earlier = List.of();
        }
        LOG.info("\n{}", ModelSummary.of(name, network));
        if (earlier.size() >= epochs) {
            LOG.info("{}: resumed from epoch {}/{}: finished in an earlier attempt, not trained again", name, earlier.size(), epochs);
            return new TrainingRun(network, earlier);
        }
        if (checkpoint.isPresent()) {
            LOG.info("{}: resumed from epoch {}/{}; training epochs {}..{}", name, earlier.size(), epochs, earlier.size() + 1, epochs);
        }
        LOG.info("{}: training {} epochs on {} workers, batch {} per worker, averaging every {} batches", name,
                epochs - earlier.size(), trainer.workers(), settings.train().batchSize(), settings.train().averagingFrequency());
        SortedMap<String, String> identity = settings.checkpointIdentity(name);
        List<EpochMetrics> history = new ArrayList<>(earlier);
        return trainer.train(name, network, staged, earlier, (metrics, net) -> {
            history.add(metrics);
            checkpoints.save(name, net, history, identity);
        });
    }

    /** "train.epochs = 4 in the checkpoint, 6 now", one entry per key that differs. */
    static List<String> differences(Map<String, String> saved, Map<String, String> now) {
        List<String> differences = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(saved.keySet());
        keys.addAll(now.keySet());
        for (String key : keys) {
            String before = SecretMasking.value(key, saved.getOrDefault(key, "(unset)"));
            String after = SecretMasking.value(key, now.getOrDefault(key, "(unset)"));
            if (!before.equals(after)) {
                differences.add(key + " = " + before + " in the checkpoint, " + after + " now");
            }
        }
        return differences;
    }
}
