package org.sparkmnist.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.junit.jupiter.api.Test;

/** The job's transport for averaging rounds fills in Spark's settings, and leaves alone whatever the user set. */
class RoundTransportTest {

    @Test
    void resultsTravelInTheTaskMessageAndBroadcastsUncompressed() {
        SparkConf conf = new SparkConf(false);
        RoundTransport.configure(conf);
        assertEquals(128L << 20, conf.getSizeAsBytes(RoundTransport.DIRECT_RESULT_LIMIT));
        assertEquals(false, conf.getBoolean(RoundTransport.BROADCAST_COMPRESSION, true));
        assertEquals(KryoSerializer.class.getName(), conf.get("spark.serializer"));
    }

    @Test
    void theUsersSettingsWin() {
        SparkConf conf = new SparkConf(false)
                .set(RoundTransport.DIRECT_RESULT_LIMIT, "4m")
                .set(RoundTransport.BROADCAST_COMPRESSION, "true");
        RoundTransport.configure(conf);
        assertEquals(4L << 20, conf.getSizeAsBytes(RoundTransport.DIRECT_RESULT_LIMIT));
        assertEquals(true, conf.getBoolean(RoundTransport.BROADCAST_COMPRESSION, false));
    }
}
