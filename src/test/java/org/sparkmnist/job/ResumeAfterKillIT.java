package org.sparkmnist.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sparkmnist.scoring.MnistScoringJob;
import org.sparkmnist.store.RunStore;
import org.sparkmnist.testing.JobRuns;
import org.sparkmnist.testing.MnistFiles;
import org.sparkmnist.testing.Scripts;
import org.sparkmnist.testing.StoreLayout;

/**
 * Nothing lost when the driver dies: the real job, in a JVM of its own on the real MNIST, is killed
 * with SIGKILL after the MLP's second epoch (the softmax model has finished by then); a scoring run
 * is then started under the same run.id, which must take over the dead driver's lock and be refused
 * before Spark starts, leaving the checkpoints alone; and the training is rerun with
 * output.mode=resume. The resumed run must not retrain softmax, continue the MLP from epoch 2, record
 * each epoch once, and score as an uninterrupted run does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResumeAfterKillIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EPOCHS = 3;
    private static final long MINUTES = 15;

    /** Kept after the build, with the three logs, for a look at what happened. */
    private final Path work = Scripts.REPO.resolve("target/it-resume");
    private final Path output = work.resolve("runs");

    private String resumedLog;
    private String killedLog;
    private JobRuns.Result secondDriver;
    private JobRuns.Result scoring;
    private Path resumed;
    private Path uninterrupted;

    private List<String> args(String runId, String mode) {
        return List.of("data.dir=" + MnistFiles.directory(), "output.dir=" + output, "run.id=" + runId,
                "output.mode=" + mode, "models=[softmax, mlp]", "train.epochs=" + EPOCHS, "spark.master=local[2]");
    }

    @BeforeAll
    void killAfterTheSecondMlpEpochThenResume() throws Exception {
        deleteRecursively(work);
        String softmaxEpoch1 = "softmax/epoch-0001";
        String mlpEpoch2 = "mlp/epoch-0002";

        // A short lease, renewed every second: a second driver sees the renewal, and is refused, within about a second.
        List<String> first = new java.util.ArrayList<>(args("r", "overwrite"));
        first.add("output.lock-lease=3s");
        Process doomed = JobRuns.start(first, work.resolve("killed.log"));
        try {
            awaitCheckpoint(doomed, softmaxEpoch1);
            // While the first driver lives (and has the whole MLP still to train), a second one of the same run.id stops at the lock.
            secondDriver = JobRuns.inProcess(args("r", "resume"));
            awaitCheckpoint(doomed, mlpEpoch2);
        } finally {
            doomed.destroyForcibly();
            doomed.waitFor(60, TimeUnit.SECONDS);
        }
        killedLog = Files.readString(work.resolve("killed.log"));
        assertNotEquals(0, doomed.exitValue(), "the first driver must really have been killed");
        assertFalse(killedLog.contains("mlp epoch 3/"), "killed too late, after the MLP's last epoch:\n" + killedLog);
        assertFalse(Files.exists(output.resolve("r/_SUCCESS")), "a killed run must not be visible");

        // A scoring run given the interrupted training run's run.id, with the softmax model it finished.
        Path model = work.resolve("softmax-model.zip");
        Files.copy(StoreLayout.checkpoint(output, "r", "softmax/epoch-000" + EPOCHS + "/model.zip").orElseThrow(), model);
        scoring = JobRuns.inProcess(MnistScoringJob::execute, List.of("score.model.file=" + model, "score.model.normalize=true",
                "score.input.path=" + MnistFiles.directory().resolve("t10k-images-idx3-ubyte"), "output.dir=" + output, "run.id=r",
                "spark.master=local[1]"));

        resumedLog = runToEnd(args("r", "resume"), work.resolve("resumed.log"));
        resumed = output.resolve("r");
        // The same seeds without the interruption: what the resumed run should match.
        runToEnd(args("u", "overwrite"), work.resolve("uninterrupted.log"));
        uninterrupted = output.resolve("u");
    }

    private void awaitCheckpoint(Process driver, String checkpoint) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(MINUTES);
        while (StoreLayout.checkpoint(output, "r", checkpoint).isEmpty()) {
            assertTrue(driver.isAlive(), "the run ended before checkpoint " + checkpoint + ": " + Files.readString(work.resolve("killed.log")));
            assertTrue(System.nanoTime() < deadline, "no checkpoint " + checkpoint + " within " + MINUTES + " minutes");
            Thread.sleep(100);
        }
    }

    private static String runToEnd(List<String> args, Path log) throws Exception {
        Process process = JobRuns.start(args, log);
        if (!process.waitFor(MINUTES, TimeUnit.MINUTES)) {
            Scripts.killTree(process.toHandle());
            throw new AssertionError("the job did not finish within " + MINUTES + " minutes; log " + log);
        }
        String output = Files.readString(log);
        assertEquals(0, process.exitValue(), "exit code; log " + log + ":\n" + output);
        return output;
    }

    @Test
    void aSecondDriverOfTheSameRunIsRefusedAtTheLock() {
        assertEquals(2, secondDriver.exitCode(), secondDriver.stderr());
        String line = secondDriver.lastLine();
        assertTrue(line.startsWith("spark-mnist: error: run r is already running (pid ")
                && line.contains(RunStore.DIRECTORY + "/r/lock-"), line);
    }

    @Test
    void aScoringRunUnderTheSameRunIdTookOverTheDeadDriversLockAndWasRefusedBeforeSpark() {
        assertEquals(2, scoring.exitCode(), scoring.stderr());
        assertTrue(scoring.stderr().contains("took over the lock") && scoring.stderr().contains("no longer running"), scoring.stderr());
        assertTrue(scoring.lastLine().startsWith("spark-mnist: error: run r holds the checkpoints of a training run that did not finish"),
                scoring.lastLine());
        assertFalse(scoring.stderr().contains("task slots"), "refused before Spark starts:\n" + scoring.stderr());
    }

    @Test
    void finishedModelIsNotRetrainedAndTheOtherContinuesFromItsLastEpoch() {
        assertTrue(killedLog.contains("softmax epoch " + EPOCHS + "/" + EPOCHS), killedLog);
        assertTrue(resumedLog.contains("softmax: resumed from epoch " + EPOCHS + "/" + EPOCHS + ": finished in an earlier attempt"),
                resumedLog);
        assertFalse(resumedLog.contains("softmax epoch "), "softmax must not train again:\n" + resumedLog);
        assertTrue(resumedLog.contains("mlp: resumed from epoch 2/" + EPOCHS), resumedLog);
        assertFalse(resumedLog.contains("mlp epoch 1/") || resumedLog.contains("mlp epoch 2/"), resumedLog);
        assertTrue(resumedLog.contains("mlp epoch 3/" + EPOCHS), resumedLog);
    }

    @Test
    void metricsHoldEveryEpochExactlyOnce() throws IOException {
        for (String model : List.of("softmax", "mlp")) {
            List<String> lines = Files.readAllLines(resumed.resolve(model + "/metrics.csv"));
            List<String> epochs = new ArrayList<>();
            lines.stream().skip(1).forEach(l -> epochs.add(l.split(",")[0]));
            assertEquals(List.of("1", "2", "3"), epochs, model + " metrics.csv: " + lines);
        }
    }

    @Test
    void runIsCommittedAndNothingIsLeftInTemporary() throws IOException {
        assertTrue(Files.exists(resumed.resolve("_SUCCESS")));
        JsonNode summary = JSON.readTree(resumed.resolve("summary.json").toFile());
        assertEquals(EPOCHS, summary.at("/models/mlp/epochs").asInt());
        assertFalse(Files.exists(output.resolve(RunStore.DIRECTORY)),
                "checkpoints, lock and the killed attempt must all be gone: " + listing(output.resolve(RunStore.DIRECTORY)));
    }

    @Test
    void resumedModelsScoreAsAnUninterruptedRun() throws IOException {
        JsonNode r = JSON.readTree(resumed.resolve("summary.json").toFile());
        JsonNode u = JSON.readTree(uninterrupted.resolve("summary.json").toFile());
        for (String model : List.of("softmax", "mlp")) {
            double resumedAccuracy = r.at("/models/" + model + "/test_accuracy").asDouble();
            double uninterruptedAccuracy = u.at("/models/" + model + "/test_accuracy").asDouble();
            assertEquals(uninterruptedAccuracy, resumedAccuracy, 0.005, model + " test accuracy");
        }
        assertTrue(r.at("/models/mlp/test_accuracy").asDouble() > 0.96, "a resumed MLP must still learn");
    }

    private static String listing(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return "";
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(dir::relativize).map(Path::toString).toList().toString();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
