package org.sparkmnist.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads what a benchmarked run left behind: the job's run directory, or the baseline's result file. */
final class RunResults {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunResults() {
    }

    /** The seconds column of {@code <run>/<model>/metrics.csv}, epoch by epoch. */
    static List<Double> epochSeconds(Path run, String model) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve(model).resolve("metrics.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        int column = header.indexOf("seconds");
        if (column < 0) {
            throw new IOException(run.resolve(model).resolve("metrics.csv") + " has no seconds column");
        }
        List<Double> seconds = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            seconds.add(Double.parseDouble(line.split(",")[column]));
        }
        return seconds;
    }

    static double testAccuracy(Path run, String model) throws IOException {
        JsonNode accuracy = JSON.readTree(run.resolve("summary.json").toFile()).path("models").path(model).path("test_accuracy");
        if (!accuracy.isNumber()) {
            throw new IOException(run.resolve("summary.json") + " has no test accuracy for " + model);
        }
        return accuracy.doubleValue();
    }

    /** The {@link SingleJvmBaseline} result file: its epoch seconds and test accuracy. */
    static JsonNode baseline(Path result) throws IOException {
        return JSON.readTree(result.toFile());
    }
}
