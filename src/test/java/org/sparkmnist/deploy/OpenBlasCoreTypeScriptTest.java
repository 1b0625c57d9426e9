package org.sparkmnist.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.testing.Scripts;

/**
 * submit/openblas-coretype.sh names OpenBLAS kernels only for a CPU that can run them: forcing the
 * AVX-512 kernels on a CPU without AVX-512 would crash every JVM the launchers start.
 */
class OpenBlasCoreTypeScriptTest {

    @TempDir
    Path tmp;

    private String coretype(String cpuinfo) throws IOException {
        Path file = Files.writeString(tmp.resolve("cpuinfo"), cpuinfo);
        Scripts.Result result = Scripts.run(List.of("submit/openblas-coretype.sh", file.toString()), Map.of(), tmp.resolve("log"),
                Duration.ofSeconds(30));
        assertEquals(0, result.exitCode(), result.output());
        return result.output().strip();
    }

    @Test
    void theAvx512KernelsOnlyWithEverySubsetTheyUse() throws IOException {
        assertEquals("SkylakeX", coretype("processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma avx512f avx512cd avx512bw avx512dq avx512vl\n"
                + "processor\t: 1\nflags\t\t: fpu\n"));
        // Knights Landing: AVX-512 foundation without the byte/word and vector-length subsets.
        assertEquals("Haswell", coretype("flags\t\t: fpu avx avx2 fma avx512f avx512cd avx512er avx512pf\n"));
    }

    @Test
    void withoutAvx2AndFmaOpenBlasDecides() throws IOException {
        assertEquals("", coretype("flags\t\t: fpu sse sse2 avx\n"));
        assertEquals("", coretype("Processor\t: ARMv8\nFeatures\t: fp asimd\n"));
        assertEquals("", coretype(""));
    }
}
