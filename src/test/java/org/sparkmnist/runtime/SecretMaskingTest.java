package org.sparkmnist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskingTest {

    @Test
    void keysThatNameSecretsAreSecret() {
        for (String key : List.of("spark.authenticate.secret", "fs.s3a.secret.key", "fs.s3a.access.key", "db.password",
                "spark.ssl.keyPassword", "api-token", "aws_secret_access_key", "service.credentials.user", "\"ssl.trust-store-Passwd\"")) {
            assertTrue(SecretMasking.isSecret(key), key);
        }
    }

    @Test
    void ordinaryKeysAreNotSecret() {
        for (String key : List.of("train.batch-size", "model.mlp.hidden-layers", "data.train-images", "output.dir", "spark.ui",
                "monkeys", "keys", "tokenizer", "run.id", "split.seed")) {
            assertFalse(SecretMasking.isSecret(key), key);
        }
    }

    @Test
    void noKeyOfReferenceConfIsMasked() {
        // The rule must not hide what the job really ran with.
        Config reference = ConfigFactory.parseResources("reference.conf");
        assertEquals(reference.root().render(), SecretMasking.mask(reference).root().render());
    }

    @Test
    void secretValuesOfAnyTypeAreMasked() {
        Config config = ConfigFactory.parseString("""
                fs.s3a.secret.key = "AKIAsecretvalue"
                spark.authenticate.secret = hunter2
                db { password = 12345, port = 5432 }
                train.epochs = 3
                """);
        Config masked = SecretMasking.mask(config);
        assertEquals("****", masked.getString("fs.s3a.secret.key"));
        assertEquals("****", masked.getString("spark.authenticate.secret"));
        assertEquals("****", masked.getString("db.password"));
        assertEquals(5432, masked.getInt("db.port"));
        assertEquals(3, masked.getInt("train.epochs"));
        String rendered = masked.root().render();
        assertFalse(rendered.contains("hunter2") || rendered.contains("AKIA") || rendered.contains("12345"), rendered);
    }

    @Test
    void passwordsInUrisAreMaskedAndTheRestKept() {
        Config config = ConfigFactory.empty()
                .withValue("output.dir", ConfigValueFactory.fromAnyRef("hdfs://alice:s3cr3t@nn:8020/runs"))
                .withValue("data.dir", ConfigValueFactory.fromAnyRef("hdfs://nn:8020/data/mnist"));
        Config masked = SecretMasking.mask(config);
        assertEquals("hdfs://****@nn:8020/runs", masked.getString("output.dir"));
        assertEquals("hdfs://nn:8020/data/mnist", masked.getString("data.dir"));
        assertEquals("data file s3a://****@bucket/x is empty",
                SecretMasking.maskUriUserInfo("data file s3a://k:pw@bucket/x is empty"));
    }

    @Test
    void theWholeUserInfoIsMaskedEvenWithAnUnencodedSlashOrAtInThePassword() {
        assertEquals("cannot read hdfs://****@nn:8020/data: refused",
                SecretMasking.maskUriUserInfo("cannot read hdfs://alice:pa/ss@w@rd@nn:8020/data: refused"));
        assertEquals("\"hdfs://****@nn/x\", \"s3a://****@b/y\"",
                SecretMasking.maskUriUserInfo("\"hdfs://bob@nn/x\", \"s3a://AKIA:k/e@y@b/y\""));
        assertEquals("Connecting to spark://CoarseGrainedScheduler@127.0.0.1:7077",
                SecretMasking.maskUriUserInfo("Connecting to spark://CoarseGrainedScheduler@127.0.0.1:7077"));
        assertEquals("spark://****@127.0.0.1:7077", SecretMasking.maskUriUserInfo("spark://u:p@127.0.0.1:7077"));
    }

    @Test
    void secretsAreFoundInSecretKeysAndUriUserInfoRawAndDecoded() {
        assertEquals(java.util.Set.of("t0p/s@cret"), SecretMasking.secretsIn("spark.authenticate.secret", "t0p/s@cret"));
        assertEquals(java.util.Set.of("bob:Pa55%2Fw0rd", "Pa55%2Fw0rd", "bob:Pa55/w0rd", "Pa55/w0rd"),
                SecretMasking.secretsIn("output.dir", "hdfs://bob:Pa55%2Fw0rd@nn/runs"));
        assertEquals(java.util.Set.of(), SecretMasking.secretsIn("train.epochs", "10"));
        assertEquals(java.util.Set.of(), SecretMasking.secretsIn("db.password", "abc"), "too short to search for in free text");
    }

    /** Masking every "true" would mask the job's own records (summary.json's "normalize": true). */
    @Test
    void aSecretSoundingSwitchIsNotASecret() {
        assertEquals(java.util.Set.of(), SecretMasking.secretsIn("spark.yarn.security.credentials.hive.enabled", "false"));
        assertEquals(java.util.Set.of(), SecretMasking.secretsIn("spark.security.credentials.enabled", "TRUE"));
    }
}
