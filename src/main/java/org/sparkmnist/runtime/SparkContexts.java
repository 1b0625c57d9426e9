package org.sparkmnist.runtime;

import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Spark for the job. Anything spark-submit decided (master, UI, addresses) wins; the job's
 * config only fills in what is missing, which is what makes the same jar run embedded on a laptop
 * and submitted to a cluster.
 */
public final class SparkContexts {

    private static final Logger LOG = LoggerFactory.getLogger(SparkContexts.class);

    /** The environment variable Spark's web UI takes its listening address from. */
    static final String LOCAL_IP_VARIABLE = "SPARK_LOCAL_IP";

    private static final Pattern LOOPBACK_MASTER = Pattern.compile("spark://(127\\.0\\.0\\.1|localhost):\\d+");

    private SparkContexts() {
    }

    /**
     * Spark for a job whose own defaults ({@code jobDefaults}: what its data needs, such as a serializer)
     * fill in what neither spark-submit nor the settings decided.
     */
    public static JavaSparkContext start(SparkSettings settings, Consumer<SparkConf> jobDefaults) {
        return prepared(new JavaSparkContext(conf(settings, jobDefaults, System.getenv())), settings);
    }

    /** A SparkSession, for jobs that write with Spark SQL's DataFrame writer, on a context started as {@link #start} starts it. */
    public static SparkSession startSession(SparkSettings settings, Consumer<SparkConf> jobDefaults) {
        SparkSession session = SparkSession.builder().config(conf(settings, jobDefaults, System.getenv())).getOrCreate();
        prepared(JavaSparkContext.fromSparkContext(session.sparkContext()), settings);
        return session;
    }

    private static JavaSparkContext prepared(JavaSparkContext spark, SparkSettings settings) {
        spark.setLogLevel(settings.logLevel());
        spark.sc().addSparkListener(new ExecutorLossLog());
        LOG.info("Spark {} master {} with {} task slots", spark.version(), spark.master(), spark.defaultParallelism());
        if (spark.sc().uiWebUrl().isDefined()) {
            LOG.info("Spark UI at {}", spark.sc().uiWebUrl().get());
        }
        return spark;
    }

    /** The configuration Spark starts with, given the job's own defaults and the process environment {@code env}. */
    static SparkConf conf(SparkSettings settings, Consumer<SparkConf> jobDefaults, Map<String, String> env) {
        SparkConf conf = new SparkConf()
                .setIfMissing("spark.master", settings.master())
                .setIfMissing("spark.app.name", settings.appName())
                .setIfMissing("spark.ui.enabled", Boolean.toString(settings.ui()))
                // The console progress bar fights with the job's own per-epoch lines.
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        jobDefaults.accept(conf);
        // Before the context starts: executors are launched (and on YARN sized) from this conf.
        NativeRuntime.configureExecutors(conf, System.getProperties(), env);
        if (onThisMachine(conf.get("spark.master"))) {
            // An embedded run, or one on a cluster of this machine, serves nobody else: keep the driver's RPC and
            // block manager ports off the network.
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            // The web UI ignores spark.driver.bindAddress: Spark 3.5's WebUI.bind listens on $SPARK_LOCAL_IP,
            // or on every interface (0.0.0.0) when it is unset, and a JVM cannot set its own environment.
            // submit/java.sh exports 127.0.0.1; started any other way (spark-submit, an IDE,
            // a test) the UI would face the network by default, so it stays off and the log says how to have
            // it. A SPARK_LOCAL_IP the user set is a decision, like any other spark-submit made, and is kept.
            if (conf.getBoolean("spark.ui.enabled", true) && !env.containsKey(LOCAL_IP_VARIABLE)) {
                LOG.warn("Spark UI not started: without {} it would listen on every interface "
                        + "(set {}=127.0.0.1, as submit/java.sh does, to have it on this machine only)",
                        LOCAL_IP_VARIABLE, LOCAL_IP_VARIABLE);
                conf.set("spark.ui.enabled", "false");
            }
        }
        return conf;
    }

    /** True when the master runs every executor on this machine: local mode, local-cluster, a standalone master on loopback. */
    static boolean onThisMachine(String master) {
        return master.startsWith("local") || LOOPBACK_MASTER.matcher(master).matches();
    }
}
