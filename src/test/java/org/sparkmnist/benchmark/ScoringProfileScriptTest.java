package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.testing.Scripts;

/**
 * submit/benchmark/scoring_profile.py, which makes docs/BENCHMARKS.md's scoring profile tables, on
 * samples written as {@code jfr print} writes them: which samples it counts, and under what.
 */
class ScoringProfileScriptTest {

    private static final Path SCRIPT = Path.of("submit", "benchmark", "scoring_profile.py").toAbsolutePath();

    @TempDir
    Path dir;

    private static String sample(String time, String thread, String... frames) {
        StringBuilder event = new StringBuilder("jdk.ExecutionSample {\n  startTime = " + time + "\n  sampledThread = \"" + thread
                + "\" (javaThreadId = 7)\n  state = \"STATE_RUNNABLE\"\n  stackTrace = [\n");
        for (String frame : frames) {
            event.append("    ").append(frame).append(" line: 1\n");
        }
        return event.append("    ...\n  ]\n}\n\n").toString();
    }

    private String table(String samples, String... span) throws IOException {
        Path file = Files.writeString(dir.resolve("samples.txt"), samples);
        List<String> command = new ArrayList<>(List.of(PytorchReference.PYTHON, SCRIPT.toString(), file.toString()));
        command.addAll(List.of(span));
        Scripts.Result run = Scripts.run(command, Map.of(), dir.resolve("profile.log"), Duration.ofMinutes(1));
        assertEquals(0, run.exitCode(), run.output());
        return run.output();
    }

    @Test
    void countsOnlyTaskThreadSamplesInsideTheSpanEachUnderTheTopmostFramesCategory() throws IOException {
        String worker = "Executor task launch worker for task 0.0 in stage 1.0 (TID 1)";
        String samples = sample("00:55:05.000", worker, "org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner.exec(CustomOp)",
                "org.sparkmnist.scoring.ClassifierPartition.forward(MultiLayerNetwork, float[], int)")
                + sample("00:55:06.000", worker, "org.sparkmnist.scoring.ClassifierInput.pixels(Row, int, DigitImage, int, float[], int)")
                + sample("00:55:07.000", "main", "org.nd4j.linalg.factory.Nd4j.create()")
                + sample("00:55:20.000", worker, "org.nd4j.linalg.factory.Nd4j.create()");
        String table = table(samples, "00:55:04.500", "00:55:15.300");
        assertEquals(List.of("| ND4J forward pass (native ops, shape and buffer set-up) | 1 | 50% |",
                "| minibatch pixels and output rows (ClassifierInput, ClassifierPartition) | 1 | 50% |", "| all | 2 | 100% |"),
                table.lines().filter(line -> line.startsWith("| ") && !line.startsWith("| where")).toList());
    }
}
