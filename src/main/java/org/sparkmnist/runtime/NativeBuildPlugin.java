package org.sparkmnist.runtime;

import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Lets every Spark executor choose its ND4J build from its own CPU, when it starts and before any task
 * loads ND4J: nodes of one cluster may differ, so the driver's CPU cannot decide for them. Enable it
 * with {@code spark.plugins=org.sparkmnist.runtime.NativeBuildPlugin}.
 */
public final class NativeBuildPlugin implements SparkPlugin {

    @Override
    public DriverPlugin driverPlugin() {
        return null;
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext context, Map<String, String> extraConf) {
                NativeBuild.prepareThisJvm();
            }
        };
    }
}
