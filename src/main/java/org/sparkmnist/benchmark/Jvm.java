package org.sparkmnist.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A command line that starts a main class of this project in a new JVM, as submit/run-local.sh would. */
final class Jvm {

    private Jvm() {
    }

    static List<String> command(Class<?> main) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Spark's module openings, one per line, shared with the scripts.
        Files.readAllLines(Path.of("submit", "java17-flags")).stream().map(String::strip).filter(l -> !l.isEmpty())
                .forEach(command::add);
        command.add("-Xmx" + System.getenv().getOrDefault("DRIVER_MEMORY", "6g"));
        command.add("-Dorg.bytedeco.javacpp.cachedir=" + Path.of("target", "javacpp-cache").toAbsolutePath());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        return command;
    }
}
