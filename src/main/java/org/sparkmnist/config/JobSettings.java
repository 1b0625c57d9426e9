package org.sparkmnist.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.runtime.SecretMasking;
import org.sparkmnist.runtime.SparkSettings;

/**
 * Everything the job was told, validated once at start-up. Code below the entry point reads these
 * typed fields and never looks a key up by string.
 */
public record JobSettings(
        DataSettings data,
        SplitSettings split,
        List<ModelSpec> models,
        TrainSettings train,
        OutputSettings output,
        String runId,
        SparkSettings spark,
        Config effective) {

    /** The merged config as JSON, for summary.json and the report: what this run really used, secrets masked. */
    public String effectiveJson() {
        return SecretMasking.mask(effective).root().render(ConfigRenderOptions.concise().setFormatted(true));
    }

    /**
     * Keys that may change between a checkpoint and its resumption: where the data lives and what the
     * reports call it, how many workers run, which follows the cluster a rerun happens to get, and how
     * the workers read ahead and warm up, which change when the numbers come, not what they are.
     */
    private static final Set<String> FREE_ON_RESUME = Set.of("data.dir", "data.name", "data.class-names", "train.workers", "train.prefetch",
            "train.warm-up-minibatches");

    /**
     * What a checkpoint of {@code model} must agree with to be resumed: the data's shape and
     * encoding, the split, the model's definition and the training recipe, as flat key = value.
     * Checkpoints and the committed run's manifest record it, so its values are masked as the
     * effective config is ({@link SecretMasking#mask}); a resume compares masked with masked.
     */
    public SortedMap<String, String> checkpointIdentity(String model) {
        Config shown = SecretMasking.mask(effective);
        SortedMap<String, String> identity = new TreeMap<>();
        for (String section : List.of("data", "split", "train")) {
            flatten(section, shown.getConfig(section), identity);
        }
        Config own = shown.hasPath("model." + model) ? shown.getConfig("model." + model) : shown.getConfig("model.defaults");
        flatten("model." + model, own.withFallback(shown.getConfig("model.defaults")), identity);
        identity.keySet().removeAll(FREE_ON_RESUME);
        return identity;
    }

    private static void flatten(String prefix, Config config, Map<String, String> into) {
        config.entrySet().forEach(e -> into.put(prefix + "." + e.getKey(), e.getValue().render(ConfigRenderOptions.concise())));
    }
}
