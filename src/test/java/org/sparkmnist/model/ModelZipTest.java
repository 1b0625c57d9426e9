package org.sparkmnist.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparkmnist.config.SettingsLoader;

/**
 * ModelZip writes what ModelSerializer writes, entry for entry and byte for byte once unzipped, so
 * ModelSerializer reads it back; only the zip's compression differs.
 */
class ModelZipTest {

    private static MultiLayerNetwork trained(String model, String updater) {
        ModelSpec spec = SettingsLoader.load(List.of("model.defaults.updater.name=" + updater)).models().stream()
                .filter(m -> m.name().equals(model)).findFirst().orElseThrow();
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.configuration(spec, 784, 10));
        network.init();
        for (long seed = 1; seed <= 2; seed++) {
            Nd4j.getRandom().setSeed(seed);
            INDArray labels = Nd4j.zeros(DataType.FLOAT, 16, 10);
            for (int i = 0; i < 16; i++) {
                labels.putScalar(i, i % 10, 1f);
            }
            network.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 16, 784), labels));
        }
        return network;
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

    @Test
    void theEntriesAreModelSerializersByteForByteAndReloadWithIt() throws Exception {
        for (String model : List.of("mlp", "softmax")) {
            for (String updater : List.of("adam", "rmsprop")) {
                String what = model + " with " + updater;
                MultiLayerNetwork network = trained(model, updater);
                ByteArrayOutputStream stock = new ByteArrayOutputStream();
                ModelSerializer.writeModel(network, stock, true);
                ByteArrayOutputStream ours = new ByteArrayOutputStream();
                ModelZip.write(network, ours, true);

                Map<String, byte[]> expected = entries(stock.toByteArray());
                Map<String, byte[]> actual = entries(ours.toByteArray());
                assertEquals(expected.keySet(), actual.keySet(), what);
                assertTrue(actual.containsKey(ModelSerializer.UPDATER_BIN), what);
                expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), what + ": " + name));

                MultiLayerNetwork reloaded = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(ours.toByteArray()), true);
                assertEquals(network.getLayerWiseConfigurations(), reloaded.getLayerWiseConfigurations(), what);
                assertArrayEquals(network.params().toFloatVector(), reloaded.params().toFloatVector(), what);
                assertArrayEquals(network.getUpdater().getStateViewArray().toFloatVector(),
                        reloaded.getUpdater().getStateViewArray().toFloatVector(), what);
            }
        }
    }

    @Test
    void withoutTheUpdaterThereIsNoUpdaterEntry() throws Exception {
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        ModelZip.write(trained("mlp", "adam"), ours, false);
        assertEquals(List.of(ModelSerializer.COEFFICIENTS_BIN, ModelSerializer.CONFIGURATION_JSON),
                List.copyOf(entries(ours.toByteArray()).keySet()));
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
