package org.sparkmnist.benchmark;

import java.util.List;
import java.util.Map;

/** A command line that starts a main class of this project in a new JVM, through submit/java.sh as every launch goes. */
final class Jvm {

    private Jvm() {
    }

    static List<String> command(Class<?> main) {
        return List.of("submit/java.sh", "-Xmx" + System.getenv().getOrDefault("DRIVER_MEMORY", "6g"), main.getName());
    }

    /** The classpath the new JVM runs on (submit/java.sh reads it from the environment): this JVM's own. */
    static Map<String, String> environment() {
        return Map.of("CLASSPATH", System.getProperty("java.class.path"));
    }
}
