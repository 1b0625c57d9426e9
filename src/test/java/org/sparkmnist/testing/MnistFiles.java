package org.sparkmnist.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real MNIST files the integration tests train on (submit/fetch-mnist.sh puts them in data/mnist). */
public final class MnistFiles {

    private static final List<String> NAMES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private MnistFiles() {
    }

    /** The directory Failsafe names in {@code mnist.dir}; fails the test with the fix when a file is missing. */
    public static Path directory() {
        files();
        return dir();
    }

    /** The four idx files, each raw or gzipped as the job accepts them. */
    public static List<Path> files() {
        Path dir = dir();
        List<Path> files = new ArrayList<>();
        for (String name : NAMES) {
            Path raw = dir.resolve(name);
            Path gzipped = dir.resolve(name + ".gz");
            if (Files.isRegularFile(raw)) {
                files.add(raw);
            } else if (Files.isRegularFile(gzipped)) {
                files.add(gzipped);
            } else {
                fail("MNIST file " + raw + " is missing; run submit/fetch-mnist.sh (submit/test.sh does) first");
            }
        }
        return files;
    }

    private static Path dir() {
        return Path.of(System.getProperty("mnist.dir", "data/mnist")).toAbsolutePath();
    }
}
