package org.sparkmnist.runtime;

/** How the job talks to Spark when spark-submit has not decided for it (the config's {@code spark} section). */
public record SparkSettings(String master, String appName, boolean ui, String logLevel) {
}
