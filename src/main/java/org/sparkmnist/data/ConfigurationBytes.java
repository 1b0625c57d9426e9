package org.sparkmnist.data;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration as bytes, to broadcast to executors. Executors then open the
 * inputs and write the scratch space with exactly the job's settings: the cluster's *-site.xml,
 * spark.hadoop.* and anything set on the driver's SparkContext, none of which a Configuration built
 * on the executor is sure to have. Plain bytes because every Spark serializer ships them (Kryo
 * would skip a wrapper's custom writeObject).
 */
public final class ConfigurationBytes {

    private ConfigurationBytes() {
    }

    public static byte[] of(Configuration hadoop) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            hadoop.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    public static Configuration read(byte[] bytes) {
        // No defaults loaded: the bytes already hold every property the driver had, defaults included.
        Configuration hadoop = new Configuration(false);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            hadoop.readFields(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hadoop;
    }
}
