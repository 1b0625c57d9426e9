package org.sparkmnist.training;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.util.Arrays;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoRegistrator;
import org.apache.spark.serializer.KryoSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Spark's Kryo registrator for this job's JVMs: ND4J arrays travel as one bulk copy of their bytes
 * ({@link BulkArraySerializer}), whatever class holds them (DL4J's broadcast of parameters and
 * updater state, and each worker's result of an averaging round), and Java records by Java
 * serialization. Named in spark.kryo.registrator by {@link #configure}.
 */
public final class ArrayKryoRegistrator implements KryoRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        // A default serializer applies to every implementation of INDArray (ND4J's CPU NDArray among them).
        kryo.addDefaultSerializer(INDArray.class, new BulkArraySerializer());
        // Kryo 4 cannot build a Java record (its fields are final and it has no no-arg constructor); the
        // job's records (a metrics tally, a scored digit) are Serializable, and small.
        kryo.addDefaultSerializer(Record.class, new JavaSerializer());
    }

    /**
     * Spark serializes with Kryo and this registrator, unless the user chose another serializer. A
     * registrator of the user's stays, before this one, so that what it registers wins.
     */
    public static void configure(SparkConf conf) {
        String kryo = KryoSerializer.class.getName();
        conf.setIfMissing("spark.serializer", kryo);
        if (!conf.get("spark.serializer").equals(kryo)) {
            return;
        }
        String mine = ArrayKryoRegistrator.class.getName();
        String theirs = conf.get("spark.kryo.registrator", "").strip();
        if (!Arrays.asList(theirs.split("\\s*,\\s*")).contains(mine)) {
            conf.set("spark.kryo.registrator", theirs.isEmpty() ? mine : theirs + "," + mine);
        }
        // Kryo's buffer must hold the largest object it writes: a larger network's parameters and updater state in one.
        conf.setIfMissing("spark.kryoserializer.buffer.max", "1g");
    }
}
