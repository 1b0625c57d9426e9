package org.sparkmnist.training;

import org.apache.spark.SparkConf;

/**
 * How Spark carries an averaging round's bytes: the parameters and updater state broadcast to the
 * workers, and each worker's parameters and updater state back, every averaging round of every
 * epoch. Every setting here only fills in what the user left unset.
 */
public final class RoundTransport {

    /** Spark's cut-off above which a task's result goes through the block manager instead of its status message. */
    static final String DIRECT_RESULT_LIMIT = "spark.task.maxDirectResultSize";
    static final String BROADCAST_COMPRESSION = "spark.broadcast.compress";

    private RoundTransport() {
    }

    public static void configure(SparkConf conf) {
        ArrayKryoRegistrator.configure(conf);
        // Spark's default (1 MiB) sends every worker's result to the block manager and has the driver fetch it
        // from there: a store, a fetch and a removal per worker per round. In the status message instead, one
        // copy fewer. Spark caps this at spark.rpc.message.maxSize (128 MiB by default) and falls back to the
        // block manager above it, so a larger network still trains.
        conf.setIfMissing(DIRECT_RESULT_LIMIT, "128m");
        // Trained float parameters and their moments are close to random bits, which LZ4 barely shrinks, and
        // compressing them costs the driver a pass over them every round, before any worker can start.
        conf.setIfMissing(BROADCAST_COMPRESSION, "false");
    }
}
