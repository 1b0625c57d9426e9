package org.sparkmnist.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.factory.Nd4j;

/** What the run ran on, recorded in summary.json so numbers can be compared across machines. */
public final class RunEnvironment {

    private RunEnvironment() {
    }

    public static Map<String, String> describe(JavaSparkContext spark) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("spark_version", spark.version());
        env.put("spark_master", spark.master());
        env.put("task_slots", Integer.toString(spark.defaultParallelism()));
        env.put("java_version", System.getProperty("java.version"));
        env.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName());
        env.put("host_cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return env;
    }
}
