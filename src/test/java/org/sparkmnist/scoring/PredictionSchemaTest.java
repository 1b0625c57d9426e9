package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.sparkmnist.runtime.KnownSecrets;

/**
 * The job's rows made from what {@link MnistClassifierModel} appended to the job's inputs, as an
 * executor makes them: the prediction and the network's probabilities as the model gave them, the
 * input's own reason before the model's, and every text masked with the driver's secrets.
 */
class PredictionSchemaTest {

    /**
     * A row of the job's input (identity, label, input, unread) with the model's four columns appended,
     * without a schema, as Spark hands the model's rows on.
     */
    private static Row classified(Object id, Integer label, double[] probability, String unread, String rejection) {
        List<Object> values = new ArrayList<>(List.of(id));
        values.add(label);
        values.add(null);
        values.add(unread);
        int best = 0;
        for (int c = 0; probability != null && c < probability.length; c++) {
            best = probability[c] > probability[best] ? c : best;
        }
        values.add(probability == null ? null : (double) best);
        values.add(probability == null ? null : Vectors.dense(probability));
        values.add(null);
        values.add(rejection);
        return RowFactory.create(values.toArray());
    }

    @Test
    void aScoredRowCarriesThePredictionAndEachClasssProbabilityAsTheNetworksFloats() {
        float[] network = {0.01f, 0.02f, 0.03f, 0.04f, 0.05f, 0.06f, 0.07f, 0.6f, 0.08f, 0.04f};
        double[] widened = new double[network.length];
        for (int c = 0; c < network.length; c++) {
            widened[c] = network[c];
        }
        Row row = PredictionSchema.byIndex(10).classified(classified(41, 7, widened, null, null));

        assertEquals(41, row.getInt(0));
        assertEquals(7, row.getInt(1));
        assertEquals(7, row.getInt(2));
        assertEquals(0.6f, row.getFloat(3));
        for (int c = 0; c < 10; c++) {
            assertEquals(network[c], row.getFloat(4 + c), "p" + c);
        }
        assertNull(row.get(14));
    }

    @Test
    void anInputThatCouldNotBeReadIsRejectedForThatReasonNotTheModelsNullInput() {
        PredictionSchema schema = PredictionSchema.byPath(10);
        Row row = schema.classified(classified("file:/in/3.png", 3, null, "cannot be read: permission denied",
                "no input: the input column is null"));

        assertEquals(3, row.getInt(1));
        assertNull(row.get(2), "a reject has no prediction");
        assertEquals("cannot be read: permission denied", row.getString(14));
    }

    /**
     * A row is made on an executor with the driver's secrets: its path loses only its user-info (it
     * still names the file) and a reason quoting a library's message loses the secret in it, on a
     * schema that has travelled to the executor as a task does.
     */
    @Test
    void theTextsOfRowsMadeOnAnExecutorAreMasked() throws Exception {
        PredictionSchema schema = serialisedAndBack(PredictionSchema.byPath(10).maskingWith(KnownSecrets.of(Set.of("row-s3cret-77"))));
        double[] probability = new double[10];
        probability[7] = 1;
        Row scored = schema.classified(classified("hdfs://alice:pw-77@nn:8020/digits/7.png", 7, probability, null, null));
        Row rejected = schema.classified(classified("hdfs://alice:pw-77@nn:8020/digits/8.png", null, null,
                "cannot be read: token row-s3cret-77 expired", "no input: the input column is null"));

        assertEquals("hdfs://****@nn:8020/digits/7.png", scored.getString(0));
        assertEquals("/digits/7.png", new org.apache.hadoop.fs.Path(scored.getString(0)).toUri().getPath(), "still the file's path");
        assertEquals("hdfs://****@nn:8020/digits/8.png", rejected.getString(0));
        assertEquals("cannot be read: token **** expired", rejected.getString(14));
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
}
