package org.sparkmnist.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.util.List;

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

    /** The merged config as HOCON without comments, for logs and for re-running the same setup, secrets masked. */
    public String effectiveHocon() {
        return SecretMasking.mask(effective).root().render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false));
    }
}
