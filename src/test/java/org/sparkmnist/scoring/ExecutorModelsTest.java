package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkmnist.testing.TinyModels;

/** The model in an executor JVM: deserialized once per JVM, and each concurrent task has a network of its own. */
class ExecutorModelsTest {

    private static byte[] bytes;

    @BeforeAll
    static void aModel() throws IOException {
        MultiLayerNetwork network = TinyModels.softmax();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelSerializer.writeModel(network, out, false);
        bytes = out.toByteArray();
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
        assertFalse(ExecutorModels.holds(key));
    }
}
