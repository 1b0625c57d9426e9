package org.sparkmnist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * ND4J's AVX-512 build (chosen in Java) and OpenBLAS's AVX-512 kernels (chosen by the launchers'
 * submit/openblas-coretype.sh) need the same flags, which both read from cpu-levels.properties: the
 * two choices agree on a CPU with every one of those flags and on CPUs lacking any single one.
 */
class CpuLevelsTest {

    @TempDir
    Path tmp;

    private String coretype(List<String> flags) throws IOException {
        Path cpuinfo = Files.writeString(tmp.resolve("cpuinfo"), "processor\t: 0\nflags\t\t: fpu sse sse2 " + String.join(" ", flags) + "\n");
        Scripts.Result result = Scripts.run(List.of("submit/openblas-coretype.sh", cpuinfo.toString()), Map.of(), tmp.resolve("log"),
                Duration.ofSeconds(30));
        assertEquals(0, result.exitCode(), result.output());
        return result.output().strip();
    }

    @Test
    void theLaunchersChooseOpenBlasAvx512KernelsExactlyWhereJavaChoosesNd4jsAvx512Build() throws IOException {
        List<String> all = CpuFlags.AVX512_BUILD_NEEDS;
        assertEquals("SkylakeX", coretype(all));
        assertTrue(CpuFlags.parse("flags : " + String.join(" ", all) + "\n").runsAvx512Build());
        for (String missing : all) {
            List<String> fewer = new ArrayList<>(all);
            fewer.remove(missing);
            String cpuinfo = "flags : " + String.join(" ", fewer) + "\n";
            assertFalse(CpuFlags.parse(cpuinfo).runsAvx512Build(), "without " + missing);
            assertNotEquals("SkylakeX", coretype(fewer), "without " + missing);
        }
    }
}
