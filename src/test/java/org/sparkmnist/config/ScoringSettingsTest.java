package org.sparkmnist.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;

/** The scoring job's settings: the training job's layering and errors, over reference.conf's score section. */
class ScoringSettingsTest {

    @TempDir
    Path dir;

    private static final List<String> VALID = List.of("score.model.run=runs/r1", "score.input.path=digits/");

    private static ScoringSettings load(String... extra) {
        List<String> args = new ArrayList<>(VALID);
        args.addAll(List.of(extra));
        return SettingsLoader.loadScoring(args);
    }

    private static String rejection(List<String> args) {
        return assertThrows(BadInputException.class, () -> SettingsLoader.loadScoring(args)).getMessage();
    }

    private static String rejection(String... extra) {
        List<String> args = new ArrayList<>(VALID);
        args.addAll(List.of(extra));
        return rejection(args);
    }

    @Test
    void defaultsScoreTheRunsMlpWithAutoInversionIntoParquet() {
        ScoringSettings settings = load();
        assertEquals("runs/r1", settings.model().run());
        assertEquals("mlp", settings.model().name());
        assertTrue(settings.model().fromRun());
        assertEquals(Optional.empty(), settings.model().normalize());
        assertEquals("digits/", settings.input().path());
        assertEquals(Optional.empty(), settings.input().labels());
        assertEquals(Inversion.AUTO, settings.invert());
        assertEquals(PredictionFormat.PARQUET, settings.format());
        assertEquals(0.01, settings.maxRejectShare());
        assertEquals(256, settings.batchSize());
        assertEquals(64L << 20, settings.maxFileBytes());
        assertEquals("runs", settings.output().dir());
        assertTrue(settings.runId().matches("\\d{8}-\\d{6}"), settings.runId());
    }

    @Test
    void theLargestImageFileIsASizeInBytesWithOrWithoutAUnit() {
        assertEquals(1_000_000, load("score.images.max-file-bytes=1000000").maxFileBytes());
        assertEquals(2L << 30, load("score.images.max-file-bytes=2G").maxFileBytes());
    }

    @Test
    void filesAndOverridesLayerAsForTraining() throws IOException {
        String conf = Files.writeString(dir.resolve("score.conf"), "score { images.invert = true\n format = csv\n batch-size = 64 }\n").toString();
        ScoringSettings settings = SettingsLoader.loadScoring(List.of(conf, "score.model.file=hdfs://nn/m/model.zip",
                "score.model.normalize=false", "score.input.path=hdfs://nn/in", "score.batch-size=32", "run.id=s1"));
        assertEquals(Inversion.TRUE, settings.invert());
        assertEquals(PredictionFormat.CSV, settings.format());
        assertEquals(32, settings.batchSize());
        assertEquals("hdfs://nn/m/model.zip", settings.model().file());
        assertFalse(settings.model().fromRun());
        assertEquals(Optional.of(false), settings.model().normalize());
        assertEquals("s1", settings.runId());
    }

    @Test
    void aModelIsRequiredAndOnlyOne() {
        String none = rejection(List.of("score.input.path=digits/"));
        assertTrue(none.contains("score.model.run is empty") && none.contains("score.model.file"), none);
        String both = rejection("score.model.file=m.zip", "score.model.normalize=true");
        assertTrue(both.contains("score.model.file and score.model.run are both set"), both);
    }

    @Test
    void aBareModelZipNeedsItsNormalisationSaid() {
        String message = rejection(List.of("score.model.file=m.zip", "score.input.path=digits/"));
        assertTrue(message.startsWith("config key score.model.normalize must be true or false with score.model.file"), message);
        String wrong = rejection(List.of("score.model.file=m.zip", "score.model.normalize=maybe", "score.input.path=digits/"));
        assertTrue(wrong.contains("score.model.normalize must be one of true, false, got \"maybe\" (from the command line)"), wrong);
    }

    @Test
    void theModelNameIsOnePlainDirectoryName() {
        assertTrue(rejection("score.model.name=../mlp").contains("config key score.model.name must be the name of a model directory"));
        assertTrue(rejection("score.model.name=a/b").contains("score.model.name"));
    }

    @Test
    void theInputIsRequired() {
        assertTrue(rejection(List.of("score.model.run=runs/r1")).startsWith("config key score.input.path must name what to score"));
    }

    @Test
    void rangesAndNamesAreChecked() {
        assertTrue(rejection("score.max-reject-share=1.5").contains("config key score.max-reject-share must be in [0, 1], got 1.5"));
        assertTrue(rejection("score.max-reject-share=-0.1").contains("score.max-reject-share"));
        assertTrue(rejection("score.batch-size=0").contains("config key score.batch-size must be > 0, got 0"));
        assertTrue(rejection("score.images.max-pixels=0").contains("score.images.max-pixels must be > 0"));
        assertTrue(rejection("score.images.max-file-bytes=0").contains("config key score.images.max-file-bytes must be > 0 bytes, got 0"));
        assertTrue(rejection("score.images.max-file-bytes=lots").contains("score.images.max-file-bytes must be a size in bytes"));
        assertTrue(rejection("score.format=json").contains("score.format must be one of parquet, csv, got \"json\""));
        assertTrue(rejection("score.images.invert=sometimes").contains("score.images.invert must be one of auto, true, false"));
        assertTrue(rejection("score.batch-size=lots").contains("score.batch-size must be a whole number, got \"lots\""));
    }

    @Test
    void aMistypedScoringKeyGetsASuggestion() {
        String message = rejection("score.max-rejects-share=0.1");
        assertTrue(message.contains("unknown config key score.max-rejects-share") && message.contains("did you mean score.max-reject-share?"),
                message);
    }

    @Test
    void resumeIsForTraining() {
        String message = rejection("output.mode=resume");
        assertTrue(message.startsWith("config key output.mode must be overwrite or fail-if-exists for scoring"), message);
        assertFalse(load("output.mode=fail-if-exists").output().overwrite());
    }

    @Test
    void trainingKeysAreAcceptedButNotRecorded() {
        ScoringSettings settings = load("train.epochs=3", "run.id=s2");
        assertFalse(settings.effectiveJson().contains("epochs"));
        assertTrue(settings.effectiveJson().contains("\"s2\""));
        assertTrue(settings.effectiveJson().contains("max-reject-share"));
    }

    @Test
    void theTrainingRunsRecordLeavesTheScoringSectionOut() {
        JobSettings training = SettingsLoader.load(List.of());
        assertFalse(training.effectiveJson().contains("max-reject-share"));
    }

    @Test
    void secretsInTheInputUriAreMasked() {
        ScoringSettings settings = load("score.input.path=hdfs://user:hunter2@nn/in");
        assertFalse(settings.effectiveJson().contains("hunter2"));
    }
}
