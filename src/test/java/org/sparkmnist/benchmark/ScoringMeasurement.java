package org.sparkmnist.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One configuration of the scoring-throughput table: how many images it scored, the seconds of its
 * timed span (the scoring itself, see {@link SingleJvmScoring} and the scoring job's summary.json),
 * the whole command's wall time, its accuracy when the labels were known, and its peak memory (MiB;
 * 0 for executors inside the driver).
 */
record ScoringMeasurement(String name, long images, double scoringSeconds, double commandSeconds, Optional<Double> accuracy,
                          long driverPeakMb, long executorPeakMb) {

    private static final ObjectMapper JSON = new ObjectMapper();

    double imagesPerSecond() {
        return images / scoringSeconds;
    }

    /**
     * Reads a scoring run's summary.json or {@link SingleJvmScoring}'s result file (the same field
     * names: {@code inputs}, {@code scoring_seconds}, optional {@code accuracy}).
     */
    static ScoringMeasurement read(String name, Path file, MeasuredProcess.Outcome outcome) throws IOException {
        JsonNode json = JSON.readTree(file.toFile());
        if (!json.path("inputs").canConvertToLong() || !json.path("scoring_seconds").isNumber() || json.path("scoring_seconds").doubleValue() <= 0) {
            throw new IOException(file + " has no inputs and positive scoring_seconds");
        }
        Optional<Double> accuracy = json.path("accuracy").isNumber() ? Optional.of(json.path("accuracy").doubleValue()) : Optional.empty();
        return new ScoringMeasurement(name, json.path("inputs").longValue(), json.path("scoring_seconds").doubleValue(), outcome.seconds(),
                accuracy, outcome.driverPeakMb(), outcome.executorPeakMb());
    }
}
