package org.sparkmnist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sparkmnist.testing.JobRuns;

/**
 * The driver's JavaCPP limits take effect when they are set as system properties first thing in
 * main, before anything initialises JavaCPP (it reads them once); set later, they are ignored, which
 * is why every job's main (JobMain.run) sets them before it does anything else.
 */
class NativeRuntimeJvmTest {

    private static List<String> probe(String when) throws IOException, InterruptedException {
        Path log = Path.of("target", "native-runtime-probe-" + when + ".log").toAbsolutePath();
        Process process = JobRuns.startMain(JavaCppLimitsProbe.class.getName(), List.of(when), log);
        assertEquals(true, process.waitFor(2, TimeUnit.MINUTES), "the probe JVM did not finish");
        List<String> lines = Files.readAllLines(log);
        assertEquals(0, process.exitValue(), String.join("\n", lines));
        String asked = lines.stream().filter(l -> l.startsWith("asked ")).findFirst().orElseThrow().substring(6);
        String used = lines.stream().filter(l -> l.startsWith("javacpp ")).findFirst().orElseThrow().substring(8);
        return List.of(asked, used);
    }

    @Test
    void limitsSetFirstThingInMainAreTheOnesJavaCppUses() throws Exception {
        List<String> first = probe("first");
        assertEquals(first.get(0), first.get(1), "asked for vs used by JavaCPP");
    }

    @Test
    void limitsSetAfterJavaCppInitialisedAreIgnored() throws Exception {
        List<String> late = probe("late");
        assertNotEquals(late.get(0), late.get(1), "JavaCPP's defaults should have stayed");
    }
}
