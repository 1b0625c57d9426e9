package org.sparkmnist.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sparkmnist.model.HiddenActivation;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.model.UpdaterKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;

class SettingsLoaderTest {

    @TempDir
    Path dir;

    private static JobSettings load(String... args) {
        return SettingsLoader.load(List.of(args));
    }

    private static String rejection(String... args) {
        return assertThrows(BadInputException.class, () -> load(args)).getMessage();
    }

    /** Asserts that {@code arg} is refused with a message that says each of {@code parts}. */
    private static void assertRefusedSaying(String arg, String... parts) {
        String message = rejection(arg);
        for (String part : parts) {
            assertTrue(message.contains(part), message);
        }
    }

    private String file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content).toString();
    }

    @Test
    void defaultsAreTheTunedRecipeWithBothTutorialModels() {
        JobSettings settings = load();
        assertEquals(List.of("softmax", "mlp"), settings.models().stream().map(ModelSpec::name).toList());
        assertEquals(List.of(500, 500), settings.models().get(1).hiddenLayers());
        assertEquals(List.of(), settings.models().get(0).hiddenLayers());
        assertTrue(settings.data().normalize());
        assertEquals(50000, settings.split().train());
        assertEquals(10000, settings.split().validation());
        assertEquals("local[*]", settings.spark().master());
    }

    @Test
    void aBatchMayHoldTheWholeTrainingSplitButNoMore() {
        assertEquals(100, load("split.train=100", "train.batch-size=100").train().batchSize());
        String message = rejection("split.train=100", "train.batch-size=101");
        assertTrue(message.contains("train.batch-size") && message.contains("split.train (100)") && message.contains("101"), message);
    }

    @Test
    void emptyRunIdBecomesATimestamp() {
        assertTrue(load().runId().matches("\\d{8}-\\d{6}"), load().runId());
        assertEquals("nightly-1", load("run.id=nightly-1").runId());
    }

    @Test
    void laterFilesOverrideEarlierOnesAndArgumentsOverrideFiles() throws IOException {
        String first = file("a.conf", "train.epochs = 3\ntrain.batch-size = 64\n");
        String second = file("b.conf", "train.epochs = 4\n");
        JobSettings settings = load(first, second, "train.batch-size=32");
        assertEquals(4, settings.train().epochs());
        assertEquals(32, settings.train().batchSize());
    }

    @Test
    void aLaterKeyValueArgumentWinsOverAnEarlierOne() {
        // Wrappers (run-local.sh, schedulers) put defaults first and the user's arguments after them.
        assertEquals(2, load("train.epochs=7", "train.epochs=2").train().epochs());
        JobSettings settings = load("model.mlp.hidden-layers=[7]", "model.mlp.dropout=0.2", "model.mlp.hidden-layers=[9]");
        ModelSpec mlp = settings.models().stream().filter(m -> m.name().equals("mlp")).findFirst().orElseThrow();
        assertEquals(List.of(9), mlp.hiddenLayers());
        assertEquals(0.2, mlp.dropout());
    }

    @Test
    void uriOverridesAreKeptVerbatim() {
        JobSettings settings = load("data.dir=hdfs://namenode:8020/mnist", "output.dir=file:///tmp/x//y");
        assertEquals("hdfs://namenode:8020/mnist", settings.data().dir());
        assertEquals("file:///tmp/x//y", settings.output().dir());
    }

    @Test
    void listAndNumberOverridesAreParsed() {
        JobSettings settings = load("models=[mlp]", "model.mlp.updater.learning-rate=1e-4", "model.mlp.hidden-layers=[32,16]");
        assertEquals(1, settings.models().size());
        assertEquals(1e-4, settings.models().get(0).updater().learningRate(), 1e-12);
        assertEquals(List.of(32, 16), settings.models().get(0).hiddenLayers());
    }

    @Test
    void aNewModelCanBeDefinedWithoutCode() {
        JobSettings settings = load("models=[wide]", "model.wide.hidden-layers=[1000]", "model.wide.activation=tanh");
        ModelSpec wide = settings.models().get(0);
        assertEquals("wide", wide.name());
        assertEquals(List.of(1000), wide.hiddenLayers());
        assertEquals(HiddenActivation.TANH, wide.activation());
        assertEquals(UpdaterKind.ADAM, wide.updater().kind());
    }

    @Test
    void modelDefaultsApplyToEveryModel() {
        JobSettings settings = load("model.defaults.updater.name=rmsprop", "model.defaults.updater.rho=0.8");
        assertTrue(settings.models().stream().allMatch(m -> m.updater().kind() == UpdaterKind.RMSPROP && m.updater().rho() == 0.8));
    }

    @Test
    void tutorialConfHasTheKerasRecipe() {
        JobSettings settings = load("conf/tutorial.conf");
        assertFalse(settings.data().normalize());
        assertEquals(50, settings.train().epochs());
        assertEquals(128, settings.train().batchSize());
        for (ModelSpec model : settings.models()) {
            assertEquals(UpdaterKind.RMSPROP, model.updater().kind());
            assertEquals(1e-4, model.updater().learningRate(), 1e-12);
            assertEquals(0.9, model.updater().rho(), 1e-12);
            assertEquals(1e-7, model.updater().epsilon(), 1e-15);
        }
    }

    @Test
    void unknownKeySuggestsTheKeyMeant() {
        assertRefusedSaying("train.epoch=3", "unknown config key train.epoch", "did you mean train.epochs?");
    }

    @Test
    void unknownKeyLikeNoKnownKeyPointsToReferenceConf() {
        String message = rejection("shuffle.buffer=3");
        assertTrue(message.contains("unknown config key shuffle.buffer") && message.endsWith("; see reference.conf for the keys"), message);
    }

    @Test
    void unknownKeyInAFileNamesTheFileAndLine() throws IOException {
        String conf = file("typo.conf", "# comment\ntrain {\n  batch-sise = 3\n}\n");
        String message = rejection(conf);
        assertTrue(message.contains("train.batch-sise") && message.contains("typo.conf") && message.contains("3"), message);
        assertTrue(message.contains("train.batch-size"), message);
    }

    @Test
    void unknownModelKeyIsRejected() {
        assertRefusedSaying("model.mlp.hiden-layers=[3]", "model.mlp.hiden-layers");
    }

    @Test
    void wrongTypeNamesKeyAndExpectation() {
        assertRefusedSaying("train.epochs=many", "train.epochs", "whole number", "many");
    }

    @Test
    void outOfRangeValuesAreRejected() {
        assertRefusedSaying("train.epochs=0", "train.epochs must be > 0");
        assertRefusedSaying("train.batch-size=-5", "train.batch-size");
        assertRefusedSaying("train.averaging-frequency=0", "train.averaging-frequency");
        assertRefusedSaying("train.warm-up-minibatches=-1", "train.warm-up-minibatches");
        assertRefusedSaying("model.mlp.updater.learning-rate=0", "model.mlp.updater.learning-rate");
        assertRefusedSaying("model.defaults.dropout=1.5", "config key model.defaults.dropout must be in [0, 1)");
        assertRefusedSaying("model.mlp.dropout=1.5", "config key model.mlp.dropout");
        assertRefusedSaying("model.mlp.hidden-layers=[500,0]", "model.mlp.hidden-layers");
    }

    @Test
    void classNamesDefaultToTheLabelsAndOtherwiseNameEachClassOnce() throws IOException {
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), load().data().classNames());
        assertEquals(List.of("no", "yes"), load("data.classes=2", "data.class-names=[no, yes]").data().classNames());
        List<String> fashion = load(Path.of("conf/fashion-mnist.conf").toString()).data().classNames();
        assertEquals(10, fashion.size());
        assertEquals("T-shirt/top", fashion.get(0));
        assertEquals("Ankle boot", fashion.get(9));

        String tooFew = rejection("data.class-names=[a, b]");
        assertTrue(tooFew.contains("data.class-names") && tooFew.contains("10 classes (data.classes), got 2 names"), tooFew);
        String blank = rejection("data.classes=2", "data.class-names=[a, \"\"]");
        assertTrue(blank.contains("data.class-names") && blank.contains("empty name"), blank);
        String twice = rejection("data.classes=2", "data.class-names=[a, a]");
        assertTrue(twice.contains("data.class-names") && twice.contains("two classes alike"), twice);
        String notAList = rejection("data.class-names=shirts");
        assertTrue(notAList.contains("data.class-names"), notAList);
    }

    @Test
    void modelNamesThatDifferOnlyInCaseAreRefusedAsOneDirectory() {
        String message = rejection("models=[mlp, MLP]", "model.MLP.hidden-layers=[5]");
        assertTrue(message.contains("models") && message.contains("\"mlp\" and \"MLP\", which differ only in case"), message);
    }

    @Test
    void unknownEnumValueListsTheChoices() {
        assertRefusedSaying("model.defaults.updater.name=adagrad", "adam, rmsprop, nesterovs, sgd", "adagrad");
    }

    @Test
    void unknownModelNameListsTheDefinedOnes() {
        assertRefusedSaying("models=[mlp, cnn]", "\"cnn\"", "mlp, softmax");
    }

    @Test
    void unreadableConfigFileGivesItsLineNumber() throws IOException {
        String conf = file("broken.conf", "train {\n  epochs = 3\n  batch-size = [\n");
        String message = rejection(conf);
        assertTrue(message.contains("broken.conf") && message.matches("(?s).*\\b[34]\\b.*"), message);
    }

    @Test
    void missingConfigFileIsNamed() {
        assertRefusedSaying("nope/missing.conf", "nope/missing.conf");
    }

    @Test
    void strayArgumentIsRejected() {
        assertRefusedSaying("--epochs", "--epochs");
    }

    @Test
    void runIdMustBeSafeAsADirectoryName() {
        for (String bad : List.of("../etc", "a/b", "..", ".hidden", "_SUCCESS", "_temporary", "summary.json", "REPORT.HTML", "a..b",
                "a\\b", "x y")) {
            String message = rejection("run.id=" + bad);
            assertTrue(message.startsWith("config key run.id must be a plain name") && message.contains("(from the command line)"),
                    bad + ": " + message);
        }
        assertEquals("r-1.2_b", load("run.id=r-1.2_b").runId());
    }

    @Test
    void modelNamesThatArePathsAreRefusedNamingTheKey() {
        String message = rejection("models=[\"/some/dir\"]", "model.\"/some/dir\".hidden-layers=[]");
        assertTrue(message.startsWith("config key models must be a plain name") && message.contains("\"/some/dir\"")
                && message.contains("path separator"), message);
        String dots = rejection("models=[\"..\"]");
        assertTrue(dots.startsWith("config key models must be a plain name"), dots);
        assertRefusedSaying("models=[summary.json]", "the run writes a file");
    }

    @Test
    void lockLeaseIsADurationOfAtLeastASecond() {
        assertEquals(java.time.Duration.ofSeconds(60), load().output().lockLease());
        assertEquals(java.time.Duration.ofMinutes(2), load("output.lock-lease=2 minutes").output().lockLease());
        assertRefusedSaying("output.lock-lease=60", "output.lock-lease must be at least 1s (a bare number is milliseconds)");
        assertRefusedSaying("output.lock-lease=soon", "output.lock-lease must be a duration such as 60s");
    }

    @Test
    void outputModeIsOverwriteFailIfExistsOrResume() {
        assertTrue(load().output().overwrite());
        assertFalse(load("output.mode=fail-if-exists").output().overwrite());
        assertTrue(load("output.mode=resume").output().resume());
        assertTrue(load("output.mode=resume").output().overwrite(), "a resumed run replaces an earlier complete one");
        assertRefusedSaying("output.mode=append", "output.mode", "overwrite, fail-if-exists, resume");
    }

    @Test
    void effectiveConfigRecordsTheResolvedRunId() {
        JobSettings settings = load("run.id=r7");
        assertTrue(settings.effectiveJson().contains("\"r7\""));
    }
}
