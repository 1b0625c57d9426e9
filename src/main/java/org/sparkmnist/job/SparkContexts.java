package org.sparkmnist.job;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.config.SparkSettings;

/**
 * Starts Spark for the job. Anything spark-submit decided (master, UI, addresses) wins; the job's
 * config only fills in what is missing, which is what makes the same jar run embedded on a laptop
 * and submitted to a cluster.
 */
final class SparkContexts {

    private static final Logger LOG = LoggerFactory.getLogger(SparkContexts.class);

    private SparkContexts() {
    }

    static JavaSparkContext start(SparkSettings settings) {
        SparkConf conf = new SparkConf()
                .setIfMissing("spark.master", settings.master())
                .setIfMissing("spark.app.name", settings.appName())
                .setIfMissing("spark.ui.enabled", Boolean.toString(settings.ui()))
                // The console progress bar fights with the job's own per-epoch lines.
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        if (conf.get("spark.master").startsWith("local")) {
            // An embedded run serves nobody else: keep the driver and UI off the network.
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        JavaSparkContext spark = new JavaSparkContext(conf);
        spark.setLogLevel(settings.logLevel());
        spark.sc().addSparkListener(new ExecutorLossLog());
        LOG.info("Spark {} master {} with {} task slots", spark.version(), spark.master(), spark.defaultParallelism());
        if (spark.sc().uiWebUrl().isDefined()) {
            LOG.info("Spark UI at {}", spark.sc().uiWebUrl().get());
        }
        return spark;
    }
}
