package org.sparkmnist.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings apply the runtime's masking rule to every record they make of the config. */
class SettingsMaskingTest {

    @Test
    void whatCheckpointsAndTheManifestRecordOfTheConfigIsMasked() {
        JobSettings settings = SettingsLoader.load(List.of("data.train-images=hdfs://bob:topsecret@nn/mnist/train", "run.id=r1"));
        String identity = settings.checkpointIdentity("mlp").toString();
        assertFalse(identity.contains("topsecret"), identity);
        assertTrue(identity.contains("data.train-images=\"hdfs://****@nn/mnist/train\""), identity);
    }

    @Test
    void effectiveConfigInSummaryAndLogsIsMasked() {
        JobSettings settings = SettingsLoader.load(List.of("output.dir=hdfs://bob:topsecret@nn/runs", "run.id=r1"));
        assertFalse(settings.effectiveJson().contains("topsecret"), settings.effectiveJson());
        assertTrue(settings.effectiveJson().contains("hdfs://****@nn/runs"), settings.effectiveJson());
        assertEquals("hdfs://bob:topsecret@nn/runs", settings.output().dir(), "the job itself still uses the real value");
    }
}
