package org.sparkmnist.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.reflect.ClassTag$;

/**
 * ND4J arrays through Spark's Kryo as the job configures it: the same type, shape and values back,
 * whatever their layout, in one block of bytes; records by Java serialization; and a user's own
 * serializer or registrator respected.
 */
class ArrayKryoRegistratorTest {

    private static final String KRYO = KryoSerializer.class.getName();

    private static SerializerInstance kryo() {
        SparkConf conf = new SparkConf(false);
        ArrayKryoRegistrator.configure(conf);
        return new KryoSerializer(conf).newInstance();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(SerializerInstance serializer, T value) {
        ByteBuffer bytes = serializer.serialize(value, ClassTag$.MODULE$.AnyRef());
        return (T) serializer.deserialize(bytes, ClassTag$.MODULE$.AnyRef());
    }

    private static void assertSameArray(INDArray expected, INDArray actual) {
        assertEquals(expected.dataType(), actual.dataType());
        assertArrayEquals(expected.shape(), actual.shape());
        assertEquals(expected, actual, "values of " + expected.shapeInfoToString());
    }

    @Test
    void arraysOfEveryLayoutComeBackEqual() {
        SerializerInstance serializer = kryo();
        INDArray big = Nd4j.rand(DataType.FLOAT, 7, 9);
        List<INDArray> arrays = List.of(
                Nd4j.rand(DataType.FLOAT, 3, 5),
                Nd4j.rand(DataType.FLOAT, 'f', 4, 6),
                big.get(NDArrayIndex.interval(2, 5), NDArrayIndex.all()),
                big.get(NDArrayIndex.all(), NDArrayIndex.point(3)),
                big.getRow(4),
                Nd4j.rand(DataType.DOUBLE, 2, 3, 4),
                Nd4j.createFromArray(1L, -2L, 3L),
                Nd4j.createFromArray(7, 8, 9),
                Nd4j.scalar(2.5f),
                Nd4j.create(DataType.FLOAT, 0, 4));
        for (INDArray array : arrays) {
            assertSameArray(array, roundTrip(serializer, array));
        }
    }

    @Test
    void anArrayTravelsAsOneBlockOfItsBytes() {
        INDArray parameters = Nd4j.rand(DataType.FLOAT, 1, 648_010);
        int size = kryo().serialize((Object) parameters, ClassTag$.MODULE$.AnyRef()).remaining();
        long payload = 648_010L * Float.BYTES;
        assertTrue(size >= payload && size < payload + 128, size + " bytes for " + payload + " bytes of floats");
    }

    @Test
    void arraysInsideOtherObjectsUseItToo() {
        SerializerInstance serializer = kryo();
        INDArray parameters = Nd4j.rand(DataType.FLOAT, 1, 10);
        INDArray state = Nd4j.rand(DataType.FLOAT, 1, 20);
        Object[] tuple = {parameters, state, "score", 0.25};
        Object[] back = roundTrip(serializer, tuple);
        assertSameArray(parameters, (INDArray) back[0]);
        assertSameArray(state, (INDArray) back[1]);
        assertEquals("score", back[2]);
    }

    @Test
    void recordsComeBackEqual() {
        Tally tally = new Tally(1.5, 3, 4);
        assertEquals(tally, roundTrip(kryo(), tally));
    }

    @Test
    void kryoWithThisRegistratorIsTheDefault() {
        SparkConf conf = new SparkConf(false);
        ArrayKryoRegistrator.configure(conf);
        assertEquals(KRYO, conf.get("spark.serializer"));
        assertEquals(ArrayKryoRegistrator.class.getName(), conf.get("spark.kryo.registrator"));
        assertEquals("1g", conf.get("spark.kryoserializer.buffer.max"));
    }

    @Test
    void aUsersRegistratorIsKeptAndComesFirst() {
        SparkConf conf = new SparkConf(false).set("spark.kryo.registrator", "com.example.Theirs")
                .set("spark.kryoserializer.buffer.max", "256m");
        ArrayKryoRegistrator.configure(conf);
        ArrayKryoRegistrator.configure(conf);
        assertEquals("com.example.Theirs," + ArrayKryoRegistrator.class.getName(), conf.get("spark.kryo.registrator"));
        assertEquals("256m", conf.get("spark.kryoserializer.buffer.max"));
    }

    @Test
    void aUsersOtherSerializerIsLeftAlone() {
        SparkConf conf = new SparkConf(false).set("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
        ArrayKryoRegistrator.configure(conf);
        assertEquals("org.apache.spark.serializer.JavaSerializer", conf.get("spark.serializer"));
        assertFalse(conf.contains("spark.kryo.registrator"));
    }
}
