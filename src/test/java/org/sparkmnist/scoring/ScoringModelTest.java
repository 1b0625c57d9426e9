package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.DataSettings;
import org.sparkmnist.config.ScoringSettings.ModelSource;
import org.sparkmnist.model.layers.DenseLayerImpl;
import org.sparkmnist.model.layers.OutputLayerImpl;
import org.sparkmnist.testing.TinyModels;

/** Which model references scoring accepts, and the one-line refusal of each it does not. */
class ScoringModelTest {

    private static MultiLayerNetwork network;

    @TempDir
    Path dir;

    private final Configuration hadoop = new Configuration();

    @BeforeAll
    static void oneSmallModel() {
        network = TinyModels.softmax();
    }

    private static ModelSource run(Path run, String name) {
        return new ModelSource(run.toString(), name, "", Optional.empty());
    }

    private String refusal(ModelSource source) {
        return assertThrows(BadInputException.class, () -> ScoringModel.load(source, hadoop)).getMessage();
    }

    @Test
    void aRunsModelComesWithTheRunsOwnNormalisation() throws IOException {
        Path run = TinyModels.run(dir.resolve("r1"), "softmax", network, false);
        ScoringModel model = ScoringModel.load(run(run, "softmax"), hadoop);
        assertFalse(model.normalize(), "the run's summary.json says data.normalize = false");
        assertEquals(784, model.inputs());
        assertEquals(10, model.classes());
        assertEquals(7850, model.params());
        assertTrue(model.source().endsWith("r1/softmax/model.zip"), model.source());
        // What executors get: the same parameters, without the updater state.
        MultiLayerNetwork shipped = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model.bytes()), false);
        assertEquals(network.params(), shipped.params());
        assertTrue(model.bytes().length < Files.size(run.resolve("softmax/model.zip")), "no updater state");
    }

    @Test
    void aRunsModelNamesItsClassesAsTheRunDidAndOtherwiseByTheirLabels() throws IOException {
        Path named = TinyModels.run(dir.resolve("named"), "softmax", network, true);
        Files.writeString(named.resolve("summary.json"), "{\"config\": {\"data\": {\"normalize\": true, \"class-names\": "
                + "[\"T-shirt/top\", \"Trouser\", \"Pullover\", \"Dress\", \"Coat\", \"Sandal\", \"Shirt\", \"Sneaker\", \"Bag\", \"Ankle boot\"]}}}");
        List<String> names = ScoringModel.load(run(named, "softmax"), hadoop).classNames();
        assertEquals("T-shirt/top", names.get(0));
        assertEquals("Ankle boot", names.get(9));
        // A run from before data.class-names, and a bare model file, name their classes by label.
        Path old = TinyModels.run(dir.resolve("old"), "softmax", network, true);
        assertEquals(DataSettings.labelsAsNames(10), ScoringModel.load(run(old, "softmax"), hadoop).classNames());
        Path file = TinyModels.write(network, dir.resolve("file/model.zip"));
        assertEquals(DataSettings.labelsAsNames(10),
                ScoringModel.load(new ModelSource("", "mlp", file.toString(), Optional.of(true)), hadoop).classNames());
    }

    @Test
    void aModelDl4jWroteReachesTheExecutorsWithTheProjectsLayers() throws IOException {
        MultiLayerNetwork stock = TinyModels.stockDl4j();
        Path file = TinyModels.writeWithModelSerializer(stock, dir.resolve("dl4j/model.zip"));
        assertExecutorsRunTheProjectsLayersComputing(stock, file);
    }

    @Test
    void aModelOfEarlierVersionsReachesTheExecutorsWithTheProjectsLayers() throws IOException {
        // Earlier versions saved what ModelSerializer writes for the network as it trained, naming the project's classes.
        Path file = TinyModels.writeWithModelSerializer(network, dir.resolve("earlier/model.zip"));
        assertExecutorsRunTheProjectsLayersComputing(network, file);
    }

    /** The network an executor scores with, read from {@code file}: the project's layers, computing what {@code expected} computes. */
    private void assertExecutorsRunTheProjectsLayersComputing(MultiLayerNetwork expected, Path file) {
        ScoringModel model = ScoringModel.load(new ModelSource("", "mlp", file.toString(), Optional.of(true)), hadoop);
        String key = "test-" + file;
        MultiLayerNetwork executors = ExecutorModels.borrow(key, model::bytes);
        try {
            for (int i = 0; i < executors.getnLayers() - 1; i++) {
                assertInstanceOf(DenseLayerImpl.class, executors.getLayer(i));
            }
            assertInstanceOf(OutputLayerImpl.class, executors.getOutputLayer());
            Nd4j.getRandom().setSeed(3);
            INDArray pixels = Nd4j.rand(DataType.FLOAT, 20, 784);
            INDArray difference = expected.output(pixels, false).sub(executors.output(pixels, false));
            assertTrue(Transforms.abs(difference).maxNumber().doubleValue() < 1e-5, "probabilities differ by " + difference);
        } finally {
            ExecutorModels.forget(key);
        }
    }

    @Test
    void aRunWithoutSuccessIsRefused() throws IOException {
        Path run = TinyModels.run(dir.resolve("r2"), "mlp", network, true);
        Files.delete(run.resolve("_SUCCESS"));
        String message = refusal(run(run, "mlp"));
        assertTrue(message.startsWith("model run " + run + " (score.model.run) has no _SUCCESS: it is not a committed training run"), message);
    }

    @Test
    void aModelTheRunDoesNotHoldIsRefusedNamingTheOnesItHolds() {
        Path run = TinyModels.run(dir.resolve("r3"), "mlp", network, true);
        TinyModels.write(network, run.resolve("softmax/model.zip"));
        String message = refusal(run(run, "cnn"));
        assertEquals("model run " + run + " holds no model \"cnn\" (score.model.name); it holds mlp, softmax", message);
    }

    @Test
    void aMissingRunIsRefused() {
        assertTrue(refusal(run(dir.resolve("nowhere"), "mlp")).contains("nowhere (score.model.run) does not exist"));
    }

    @Test
    void aRunWhoseSummaryDoesNotSayItsNormalisationIsRefused() throws IOException {
        Path run = TinyModels.run(dir.resolve("r4"), "mlp", network, true);
        Files.writeString(run.resolve("summary.json"), "{\"config\": {\"data\": {}}}");
        assertTrue(refusal(run(run, "mlp")).contains("has no boolean config.data.normalize"));
        Files.delete(run.resolve("summary.json"));
        assertTrue(refusal(run(run, "mlp")).contains("summary.json cannot be read"));
    }

    @Test
    void aNormalisationThatContradictsTheRunIsRefused() {
        Path run = TinyModels.run(dir.resolve("r5"), "mlp", network, true);
        String message = refusal(new ModelSource(run.toString(), "mlp", "", Optional.of(false)));
        assertTrue(message.contains("score.model.normalize is false but run " + run + " was trained with data.normalize = true"), message);
    }

    @Test
    void aModelZipIsReadWithTheNormalisationGiven() throws IOException {
        Path file = TinyModels.write(network, dir.resolve("bare/model.zip"));
        ScoringModel model = ScoringModel.load(new ModelSource("", "mlp", file.toString(), Optional.of(true)), hadoop);
        assertTrue(model.normalize());
        assertEquals(7850, model.params());
    }

    @Test
    void aFileThatIsNotAModelIsRefused() throws IOException {
        Path garbage = Files.writeString(dir.resolve("model.zip"), "not a zip at all");
        String message = refusal(new ModelSource("", "mlp", garbage.toString(), Optional.of(true)));
        assertTrue(message.startsWith("model file " + garbage + " cannot be read as a DL4J MultiLayerNetwork model.zip: not a DL4J model"),
                message);
        String missing = refusal(new ModelSource("", "mlp", dir.resolve("none.zip").toString(), Optional.of(true)));
        assertTrue(missing.contains("none.zip (score.model.file) does not exist"), missing);
    }

    @Test
    void inputsOfAnotherSizeAreRefused() throws IOException {
        Path file = TinyModels.write(network, dir.resolve("m/model.zip"));
        ScoringModel model = ScoringModel.load(new ModelSource("", "mlp", file.toString(), Optional.of(true)), hadoop);
        String message = assertThrows(BadInputException.class, () -> model.requireInputs(400, "idx file x (20x20)")).getMessage();
        assertTrue(message.contains("idx file x (20x20) has 400 pixels per image but the model") && message.endsWith("takes 784"), message);
    }
}
