package org.sparkmnist.config;

import java.util.List;

/** How the job talks to Spark when spark-submit has not decided for it. */
public record SparkSettings(String master, String appName, boolean ui, String logLevel) {

    static SparkSettings from(ConfigReader spark) {
        SparkSettings settings = new SparkSettings(
                spark.string("master"),
                spark.string("app-name"),
                spark.bool("ui"),
                spark.oneOf("log-level", List.of("error", "warn", "info", "debug")).toUpperCase(java.util.Locale.ROOT));
        spark.check(!settings.master.isBlank(), "master", "must be a Spark master URL such as local[*]");
        return settings;
    }
}
