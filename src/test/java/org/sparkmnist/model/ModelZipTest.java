package org.sparkmnist.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.RmsPropUpdater;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.model.layers.DenseLayerImpl;
import org.sparkmnist.model.layers.OutputLayerImpl;
import org.sparkmnist.model.updaters.FusedAdam;
import org.sparkmnist.model.updaters.FusedRmsProp;
import org.sparkmnist.testing.TinyModels;

/**
 * A model.zip is a stock DL4J model: ModelZip writes what ModelSerializer writes for the same network
 * built from DL4J's own classes, entry for entry and byte for byte once unzipped (only the zip's
 * compression differs), and DL4J opens it as that network and trains on from it as the job would.
 * Read by the job, a zip DL4J wrote, or one of earlier versions naming the project's classes, gets
 * the project's layers and optimizers (the job's own: SavedModelReloadTest).
 */
class ModelZipTest {

    private static final List<String> UPDATERS = List.of("adam", "rmsprop");

    /** {@code model} with {@code updater}, after two minibatches and two epochs, so its state and schedule have moved. */
    private static MultiLayerNetwork trained(String model, String updater) {
        ModelSpec spec = SettingsLoader.load(List.of("model.defaults.updater.name=" + updater)).models().stream()
                .filter(m -> m.name().equals(model)).findFirst().orElseThrow();
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.configuration(spec, 784, 10));
        network.init();
        for (long seed = 1; seed <= 2; seed++) {
            network.fit(minibatch(seed));
            network.incrementEpochCount();
        }
        return network;
    }

    private static DataSet minibatch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 16, 10);
        for (int i = 0; i < 16; i++) {
            labels.putScalar(i, (i + seed) % 10, 1f);
        }
        return new DataSet(Nd4j.rand(DataType.FLOAT, 16, 784), labels);
    }

    private static byte[] written(MultiLayerNetwork network) throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelZip.write(network, zip, true);
        return zip.toByteArray();
    }

    private static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    /** {@code network} as a DL4J user would have built it, from DL4J's own classes, with the same parameters and updater state. */
    private static MultiLayerNetwork stockTwin(MultiLayerNetwork network) {
        MultiLayerNetwork twin = new MultiLayerNetwork(StockFormat.toStock(network.getLayerWiseConfigurations()));
        twin.init(network.params().dup(), false);
        twin.getUpdater().setStateViewArray(twin, network.getUpdater().getStateViewArray().dup(), false);
        return twin;
    }

    /** "class of the configuration/class of the updater" of each updater block, with its parameter and state ranges. */
    private static List<String> updaterBlocks(MultiLayerNetwork network) {
        return ((BaseMultiLayerUpdater<?>) network.getUpdater()).getUpdaterBlocks().stream().map(ModelZipTest::describe).toList();
    }

    private static String describe(UpdaterBlock block) {
        return block.getGradientUpdater().getConfig().getClass().getSimpleName() + "/" + block.getGradientUpdater().getClass().getSimpleName()
                + " params " + block.getParamOffsetStart() + ".." + block.getParamOffsetEnd()
                + " state " + block.getUpdaterViewOffsetStart() + ".." + block.getUpdaterViewOffsetEnd();
    }

    private static void assertFastClasses(MultiLayerNetwork network, String what) {
        Layer[] layers = network.getLayers();
        for (int i = 0; i < layers.length - 1; i++) {
            assertInstanceOf(DenseLayerImpl.class, layers[i], what);
        }
        assertInstanceOf(OutputLayerImpl.class, network.getOutputLayer(), what);
        for (UpdaterBlock block : ((BaseMultiLayerUpdater<?>) network.getUpdater()).getUpdaterBlocks()) {
            Object config = block.getGradientUpdater().getConfig();
            assertTrue(config instanceof FusedAdam || config instanceof FusedRmsProp, what + ": " + config);
        }
    }

    @Test
    void theEntriesAreWhatModelSerializerWritesForTheSameNetworkOfDl4jsOwnClasses() throws Exception {
        for (String model : List.of("mlp", "softmax")) {
            for (String updater : UPDATERS) {
                String what = model + " with " + updater;
                MultiLayerNetwork network = trained(model, updater);
                ByteArrayOutputStream stock = new ByteArrayOutputStream();
                ModelSerializer.writeModel(stockTwin(network), stock, true);

                Map<String, byte[]> expected = entries(stock.toByteArray());
                Map<String, byte[]> actual = entries(written(network));
                assertEquals(expected.keySet(), actual.keySet(), what);
                assertTrue(actual.containsKey(ModelSerializer.UPDATER_BIN), what);
                expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), what + ": " + name));
            }
        }
    }

    @Test
    void dl4jOpensItAsItsOwnNetworkWithTheSameUpdaterBlocksAndTrainsOnAsTheJobWould() throws Exception {
        for (String updater : UPDATERS) {
            MultiLayerNetwork network = trained("mlp", updater);
            MultiLayerNetwork stock = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(written(network)), true);

            assertInstanceOf(org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer.class, stock.getLayer(0), updater);
            assertInstanceOf(org.deeplearning4j.nn.layers.OutputLayer.class, stock.getOutputLayer(), updater);
            String dl4jUpdater = updater.equals("adam") ? AdamUpdater.class.getSimpleName() : RmsPropUpdater.class.getSimpleName();
            assertTrue(updaterBlocks(stock).stream().allMatch(block -> block.contains("/" + dl4jUpdater + " ")), updaterBlocks(stock).toString());
            // The same blocks over the same parameters and state: DL4J's optimizers read the state where the fused ones wrote it.
            assertEquals(updaterBlocks(network).stream().map(b -> b.substring(b.indexOf(" params"))).toList(),
                    updaterBlocks(stock).stream().map(b -> b.substring(b.indexOf(" params"))).toList(), updater);
            assertEquals(network.params(), stock.params(), updater);
            assertEquals(network.getUpdater().getStateViewArray(), stock.getUpdater().getStateViewArray(), updater);
            assertEquals(List.of(network.getEpochCount(), network.getIterationCount()), List.of(stock.getEpochCount(), stock.getIterationCount()),
                    "the counters the learning-rate schedule and Adam's bias correction follow");
            // One more step: at epoch 2 the rate has decayed, so a lost counter or a misplaced moment would show.
            network.fit(minibatch(3));
            stock.fit(minibatch(3));
            DenseLayersMatchStockTest.assertClose(network.params(), stock.params(), updater + ": parameters after one more step");
            DenseLayersMatchStockTest.assertClose(network.getUpdater().getStateViewArray(), stock.getUpdater().getStateViewArray(),
                    updater + ": updater state after one more step");
        }
    }

    @Test
    void aModelDl4jWroteIsReadWithTheProjectsLayersAndOptimizer() throws Exception {
        MultiLayerNetwork stock = TinyModels.stockDl4j();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(stock, zip, true);

        MultiLayerNetwork read = ModelZip.read(new ByteArrayInputStream(zip.toByteArray()), true);
        assertFastClasses(read, "DL4J's model");
        assertEquals(stock.params(), read.params());
        assertEquals(stock.getUpdater().getStateViewArray(), read.getUpdater().getStateViewArray());
        INDArray features = minibatch(4).getFeatures();
        DenseLayersMatchStockTest.assertClose(stock.output(features, false), read.output(features, false), "outputs");
        // It trains on from DL4J's optimizer state as DL4J would.
        stock.fit(minibatch(5));
        read.fit(minibatch(5));
        DenseLayersMatchStockTest.assertClose(stock.params(), read.params(), "parameters after one more step");
    }

    @Test
    void aModelOfEarlierVersionsNamingTheProjectsClassesIsReadAsItWas() throws Exception {
        MultiLayerNetwork network = trained("mlp", "adam");
        // What the job wrote until now: ModelSerializer's zip of the network as it trains.
        ByteArrayOutputStream earlier = new ByteArrayOutputStream();
        ModelSerializer.writeModel(network, earlier, true);
        String configuration = new String(entries(earlier.toByteArray()).get(ModelSerializer.CONFIGURATION_JSON), StandardCharsets.UTF_8);
        assertTrue(configuration.contains("\"org.sparkmnist.model.layers.DenseLayer\""), "the earlier format");

        MultiLayerNetwork read = ModelZip.read(new ByteArrayInputStream(earlier.toByteArray()), true);
        assertFastClasses(read, "earlier format");
        assertEquals(network.getLayerWiseConfigurations(), read.getLayerWiseConfigurations());
        assertEquals(network.params(), read.params());
        assertEquals(network.getUpdater().getStateViewArray(), read.getUpdater().getStateViewArray());
    }

    @Test
    void withoutTheUpdaterThereIsNoUpdaterEntryAndReadingStartsAFreshOptimizer() throws Exception {
        MultiLayerNetwork network = trained("mlp", "adam");
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        ModelZip.write(network, ours, false);
        assertEquals(List.of(ModelSerializer.COEFFICIENTS_BIN, ModelSerializer.CONFIGURATION_JSON),
                List.copyOf(entries(ours.toByteArray()).keySet()));
        MultiLayerNetwork read = ModelZip.read(new ByteArrayInputStream(written(network)), false);
        assertEquals(network.params(), read.params());
        assertEquals(0, read.getUpdater().getStateViewArray().sumNumber().doubleValue(), "Adam's moments start at zero");
    }

    @Test
    void aZipWithoutAConfigurationIsNotAModel() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(ModelSerializer.COEFFICIENTS_BIN));
            ModelZip.writeArray(Nd4j.rand(DataType.FLOAT, 1, 5), new DataOutputStream(zip));
        }
        IOException refused = assertThrows(IOException.class, () -> ModelZip.read(new ByteArrayInputStream(bytes.toByteArray()), true));
        assertEquals("not a DL4J model: it holds no configuration.json", refused.getMessage());
    }

    @Test
    void anyArrayIsWrittenAsNd4jWritesIt() throws Exception {
        INDArray matrix = Nd4j.rand(DataType.FLOAT, 300, 700);
        List<INDArray> arrays = List.of(matrix, matrix.get(NDArrayIndex.interval(10, 20), NDArrayIndex.all()),
                matrix.getColumn(3), Nd4j.rand(DataType.FLOAT, 'f', 5, 7), Nd4j.rand(DataType.DOUBLE, 4, 6),
                Nd4j.createFromArray(1L, 2L, 3L), Nd4j.scalar(1.5f));
        for (INDArray array : arrays) {
            assertArrayEquals(bytes(array, true), bytes(array, false), array.shapeInfoToString());
        }
    }

    private static byte[] bytes(INDArray array, boolean stock) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (stock) {
                Nd4j.write(array, out);
            } else {
                ModelZip.writeArray(array, out);
            }
        }
        return bytes.toByteArray();
    }
}
