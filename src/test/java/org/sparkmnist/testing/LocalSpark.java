package org.sparkmnist.testing;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.sparkmnist.training.RoundTransport;

/**
 * A local[2] SparkContext for unit tests: two task slots, so that work really is split between
 * tasks and workers, on loopback only, without a web UI. A JVM runs one SparkContext at a time and
 * starting one costs seconds, so a test class starts one for all its tests and stops it after them.
 */
public final class LocalSpark {

    private LocalSpark() {
    }

    public static JavaSparkContext start(Class<?> test) {
        return start(test, new SparkConf(false));
    }

    /** With {@code extra} settings on top, e.g. another serializer. */
    public static JavaSparkContext start(Class<?> test, SparkConf extra) {
        JavaSparkContext spark = new JavaSparkContext(conf(test, extra));
        spark.setLogLevel("WARN");
        return spark;
    }

    /** The same local[2] Spark as a SparkSession, for tests of DataFrames and Spark ML; stop it after the tests. */
    public static SparkSession session(Class<?> test) {
        SparkSession session = SparkSession.builder().config(conf(test, new SparkConf(false))).getOrCreate();
        session.sparkContext().setLogLevel("WARN");
        return session;
    }

    private static SparkConf conf(Class<?> test, SparkConf extra) {
        SparkConf conf = new SparkConf(false).setMaster("local[2]").setAppName(test.getSimpleName())
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        for (scala.Tuple2<String, String> setting : extra.getAll()) {
            conf.set(setting._1(), setting._2());
        }
        // The transport the job's contexts use (Kryo with the job's registrator, direct results), unless the test chose otherwise.
        RoundTransport.configure(conf);
        return conf;
    }
}
