package org.sparkmnist.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.data.DataFingerprint;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.model.ModelSummary;
import org.sparkmnist.model.NetworkFactory;
import org.sparkmnist.runtime.SecretMasking;
import org.sparkmnist.staging.StagedSplit;
import org.sparkmnist.store.RunCheckpoints;
import org.sparkmnist.training.DistributedTrainer;
import org.sparkmnist.training.EpochMetrics;
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
    private final SortedMap<String, String> data;
    private final Map<String, RunCheckpoints.Loaded> resumed = new HashMap<>();

    /** @param data the data's fingerprint ({@link DataFingerprint}), part of every checkpoint's identity */
    ResumableTraining(JobSettings settings, RunCheckpoints checkpoints, SortedMap<String, String> data) {
        this.settings = settings;
        this.checkpoints = checkpoints;
        this.data = data;
    }

    /** What a checkpoint of {@code model} must agree with to be resumed: the settings that shape it, and the data. */
    SortedMap<String, String> identity(String model) {
        SortedMap<String, String> identity = new TreeMap<>(settings.checkpointIdentity(model));
        identity.putAll(data);
        return identity;
    }

    /** What a committed run must agree with for output.mode=resume to leave it as it is: every model's identity, and what is written. */
    SortedMap<String, String> runIdentity() {
        SortedMap<String, String> identity = new TreeMap<>();
        settings.models().forEach(spec -> identity.putAll(identity(spec.name())));
        identity.put("models", settings.models().stream().map(ModelSpec::name).toList().toString());
        identity.put("output.misclassified", Integer.toString(settings.output().misclassified()));
        return identity;
    }

    /**
     * Before Spark starts: with output.mode=resume, loads each model's checkpoint and refuses one made
     * under other settings or data (the result would be a model no config describes); otherwise
     * discards the checkpoints of an earlier attempt.
     */
    void prepare() throws IOException {
        if (!settings.output().resume()) {
            if (checkpoints.exists()) {
                LOG.info("output.mode={}: discarding the checkpoints of an earlier attempt of run {}",
                        settings.output().mode().configName(), settings.runId());
                checkpoints.discard();
            }
            return;
        }
        for (ModelSpec spec : settings.models()) {
            Optional<RunCheckpoints.Loaded> checkpoint = checkpoints.load(spec.name());
            if (checkpoint.isPresent()) {
                List<String> differences = differences(checkpoint.get().settings(), identity(spec.name()));
                if (!differences.isEmpty()) {
                    throw new BadInputException("cannot resume run " + settings.runId() + ": the checkpoint of model " + spec.name()
                            + " (" + checkpoint.get().path() + ") was made with other settings: " + String.join("; ", differences)
                            + "; rerun with those settings, or start over with output.mode=overwrite");
                }
                resumed.put(spec.name(), checkpoint.get());
            }
        }
    }

    TrainingRun train(DistributedTrainer trainer, StagedSplit staged, ModelSpec spec) throws Exception {
        String name = spec.name();
        int epochs = settings.train().epochs();
        Optional<RunCheckpoints.Loaded> checkpoint = Optional.ofNullable(resumed.get(name));
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
        LOG.info("{}: training {} epochs on {} workers, batch {} per worker, averaging {}", name,
                epochs - earlier.size(), trainer.workers(), settings.train().batchSize(), settings.train().averaging().describe());
        SortedMap<String, String> identity = identity(name);
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
