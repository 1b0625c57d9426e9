package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.runtime.KnownSecrets;
import org.sparkmnist.testing.TinyModels;
import scala.reflect.ClassTag$;

/**
 * A partition scored in minibatches on an executor: every input comes out once, in order, rejects
 * among them, with the probabilities the whole network gives in one pass; the model is
 * deserialized once per JVM and each concurrent task gets a network of its own.
 */
class PartitionScorerTest {

    private static MultiLayerNetwork network;
    private static byte[] bytes;

    @BeforeAll
    static void aModel() throws IOException {
        network = TinyModels.softmax();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelSerializer.writeModel(network, out, false);
        bytes = out.toByteArray();
    }

    /** A broadcast as a local-mode executor sees it: the value itself. */
    private static Broadcast<byte[]> local(byte[] value) {
        return new Broadcast<byte[]>(0, ClassTag$.MODULE$.apply(byte[].class)) {
            @Override
            public byte[] getValue() {
                return value;
            }

            @Override
            public void doUnpersist(boolean blocking) {
            }

            @Override
            public void doDestroy(boolean blocking) {
            }
        };
    }

    private static List<InputDigit> inputs(int n, Random random) {
        List<InputDigit> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % 4 == 2) {
                inputs.add(InputDigit.rejected("file:/in/" + i + ".png", i % 10, "empty file"));
            } else {
                byte[] pixels = new byte[784];
                random.nextBytes(pixels);
                inputs.add(InputDigit.of("file:/in/" + i + ".png", i % 3 == 0 ? null : i % 10, pixels));
            }
        }
        return inputs;
    }

    @Test
    void everyInputComesOutInOrderWithTheWholeNetworksProbabilities() throws Exception {
        List<InputDigit> inputs = inputs(23, new Random(5));
        String key = UUID.randomUUID().toString();
        PartitionScorer scorer = new PartitionScorer(key, local(bytes), new Encoding(10, true), 5, PredictionSchema.byPath(10));
        List<Row> rows = new ArrayList<>();
        scorer.call(inputs.iterator()).forEachRemaining(rows::add);
        ExecutorModels.forget(key);

        assertEquals(inputs.size(), rows.size());
        for (int i = 0; i < inputs.size(); i++) {
            InputDigit input = inputs.get(i);
            Row row = rows.get(i);
            assertEquals(input.id(), row.getString(0));
            assertEquals(input.label(), row.get(1));
            if (input.isRejected()) {
                assertNull(row.get(2), "a reject has no prediction");
                assertEquals("empty file", row.getString(14));
                continue;
            }
            assertNull(row.get(14));
            float[] expected = network.output(new Encoding(10, true).features(input.pixels(), 1, 784), false).toFloatVector();
            int predicted = 0;
            for (int c = 0; c < 10; c++) {
                assertEquals(expected[c], row.getFloat(4 + c), 1e-6, "p" + c + " of input " + i);
                predicted = expected[c] > expected[predicted] ? c : predicted;
            }
            assertEquals(predicted, row.getInt(2));
            assertEquals(expected[predicted], row.getFloat(3), 1e-6);
        }
    }

    /**
     * A row is made on an executor with the driver's secrets: its path loses only its user-info (it
     * still names the file) and a reason quoting a library's message loses the secret in it, on a
     * schema that has travelled to the executor as a task does.
     */
    @Test
    void theTextsOfRowsMadeOnAnExecutorAreMasked() throws Exception {
        PredictionSchema schema = serialisedAndBack(PredictionSchema.byPath(10).maskingWith(KnownSecrets.of(Set.of("row-s3cret-77"))));
        byte[] pixels = new byte[784];
        List<InputDigit> inputs = List.of(InputDigit.of("hdfs://alice:pw-77@nn:8020/digits/7.png", 7, pixels),
                InputDigit.rejected("hdfs://alice:pw-77@nn:8020/digits/8.png", null, "cannot be read: token row-s3cret-77 expired"));
        String key = UUID.randomUUID().toString();
        List<Row> rows = new ArrayList<>();
        new PartitionScorer(key, local(bytes), new Encoding(10, true), 8, schema).call(inputs.iterator()).forEachRemaining(rows::add);
        ExecutorModels.forget(key);

        assertEquals("hdfs://****@nn:8020/digits/7.png", rows.get(0).getString(0));
        assertEquals("/digits/7.png", new org.apache.hadoop.fs.Path(rows.get(0).getString(0)).toUri().getPath(), "still the file's path");
        assertEquals("hdfs://****@nn:8020/digits/8.png", rows.get(1).getString(0));
        assertEquals("cannot be read: token **** expired", rows.get(1).getString(14));
    }

    @SuppressWarnings("unchecked")
    private static <T> T serialisedAndBack(T value) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void rawPixelsForAModelTrainedOnRawPixels() throws Exception {
        List<InputDigit> inputs = inputs(3, new Random(6));
        String key = UUID.randomUUID().toString();
        Iterator<Row> rows = new PartitionScorer(key, local(bytes), new Encoding(10, false), 8, PredictionSchema.byPath(10)).call(inputs.iterator());
        float[] expected = network.output(new Encoding(10, false).features(inputs.get(0).pixels(), 1, 784), false).toFloatVector();
        assertEquals(expected[3], rows.next().getFloat(4 + 3), 1e-6);
        ExecutorModels.forget(key);
    }

    @Test
    void theModelIsDeserializedOncePerJvmAndEachConcurrentTaskHasItsOwnNetwork() {
        String key = UUID.randomUUID().toString();
        AtomicInteger deserialized = new AtomicInteger();
        MultiLayerNetwork first = ExecutorModels.borrow(key, () -> {
            deserialized.incrementAndGet();
            return bytes;
        });
        MultiLayerNetwork second = ExecutorModels.borrow(key, () -> {
            deserialized.incrementAndGet();
            return bytes;
        });
        assertEquals(1, deserialized.get());
        assertNotSame(first, second, "two tasks at once never share a network");
        INDArray params = first.params();
        assertSame(params.data(), second.params().data(), "but they share the parameters");
        ExecutorModels.release(key, second);
        assertSame(second, ExecutorModels.borrow(key, () -> bytes), "a finished task's network is reused");
        assertTrue(ExecutorModels.holds(key));
        ExecutorModels.forget(key);
        assertTrue(!ExecutorModels.holds(key));
    }
}
