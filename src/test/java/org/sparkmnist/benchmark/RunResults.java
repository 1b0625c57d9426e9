package org.sparkmnist.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a benchmarked run left behind, read the same way whoever trained: the job's run directory, or
 * the result file of the single-JVM baselines and the PyTorch reference
 * ({@code {"epoch_seconds": [...], "val_accuracy": [...], "test_accuracy": x, ...}}).
 */
record RunResults(List<Double> epochSeconds, List<Double> validationAccuracy, double testAccuracy) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The per-epoch columns of {@code <run>/<model>/metrics.csv} and the test accuracy in summary.json. */
    static RunResults ofRun(Path run, String model) throws IOException {
        Path metrics = run.resolve(model).resolve("metrics.csv");
        List<String> lines = Files.readAllLines(metrics);
        List<String> header = List.of(lines.get(0).split(","));
        int seconds = column(metrics, header, "seconds");
        int validation = column(metrics, header, "val_accuracy");
        List<Double> epochSeconds = new ArrayList<>();
        List<Double> validationAccuracy = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            epochSeconds.add(Double.parseDouble(cells[seconds]));
            validationAccuracy.add(Double.parseDouble(cells[validation]));
        }
        JsonNode accuracy = JSON.readTree(run.resolve("summary.json").toFile()).path("models").path(model).path("test_accuracy");
        if (!accuracy.isNumber()) {
            throw new IOException(run.resolve("summary.json") + " has no test accuracy for " + model);
        }
        return new RunResults(epochSeconds, validationAccuracy, accuracy.doubleValue());
    }

    /** A result file written by {@link SingleJvmBaseline} or the PyTorch reference script. */
    static RunResults ofResultFile(Path result) throws IOException {
        JsonNode json = JSON.readTree(result.toFile());
        if (!json.path("test_accuracy").isNumber()) {
            throw new IOException(result + " has no test_accuracy");
        }
        return new RunResults(numbers(result, json, "epoch_seconds"), numbers(result, json, "val_accuracy"),
                json.path("test_accuracy").doubleValue());
    }

    Measurement measurement(String name, long trainExamples, MeasuredProcess.Outcome outcome) {
        return new Measurement(name, trainExamples, epochSeconds, validationAccuracy, testAccuracy, outcome.driverPeakMb(),
                outcome.executorPeakMb());
    }

    private static int column(Path file, List<String> header, String name) throws IOException {
        int column = header.indexOf(name);
        if (column < 0) {
            throw new IOException(file + " has no " + name + " column");
        }
        return column;
    }

    private static List<Double> numbers(Path file, JsonNode json, String field) throws IOException {
        if (!json.path(field).isArray() || json.path(field).isEmpty()) {
            throw new IOException(file + " has no " + field);
        }
        List<Double> numbers = new ArrayList<>();
        json.path(field).forEach(n -> numbers.add(n.doubleValue()));
        return numbers;
    }
}
