package org.sparkmnist.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.testing.Scripts;

/**
 * submit/spark-submit.sh submits either of the jar's two jobs: training by default, batch scoring
 * with --class; any other class is refused before anything runs. Checked against a stand-in Spark
 * install whose spark-submit prints what it was given, so no Spark starts.
 */
class SparkSubmitClassTest {

    @TempDir
    Path tmp;

    private Scripts.Result dryRun(String... args) throws IOException {
        Path sparkHome = tmp.resolve("spark");
        Path submit = Files.createDirectories(sparkHome.resolve("bin")).resolve("spark-submit");
        Files.writeString(submit, "#!/bin/sh\necho \"$@\"\n");
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.writeString(tmp.resolve("app.jar"), "stand-in");
        List<String> command = new ArrayList<>(List.of("submit/spark-submit.sh"));
        command.addAll(List.of(args));
        return Scripts.run(command, Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_MNIST_JAR", jar.toString()),
                tmp.resolve("submit.log"), Duration.ofMinutes(1));
    }

    @Test
    void trainingIsTheDefaultAndScoringIsChosenWithClass() throws IOException {
        Scripts.Result training = dryRun("--master", "local[2]", "train.epochs=1");
        assertEquals(0, training.exitCode(), training.output());
        assertTrue(training.output().contains("--class org.sparkmnist.job.MnistTrainingJob "), training.output());

        Scripts.Result scoring = dryRun("--class", "org.sparkmnist.scoring.MnistScoringJob", "--master", "local[2]",
                "score.model.run=runs/r1", "score.input.path=digits");
        assertEquals(0, scoring.exitCode(), scoring.output());
        assertTrue(scoring.output().contains("--class org.sparkmnist.scoring.MnistScoringJob "), scoring.output());
        assertTrue(scoring.output().contains("score.model.run=runs/r1 score.input.path=digits"), scoring.output());
    }

    @Test
    void anyOtherClassIsRefused() throws IOException {
        Scripts.Result result = dryRun("--class", "org.example.Other", "train.epochs=1");
        assertEquals(2, result.exitCode(), result.output());
        assertEquals("spark-submit.sh: error: --class must be org.sparkmnist.job.MnistTrainingJob (the default) or "
                + "org.sparkmnist.scoring.MnistScoringJob, got 'org.example.Other'", result.tail(1));
    }
}
