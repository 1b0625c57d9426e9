package org.sparkmnist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

class NativeBuildTest {

    private static final String ZEN5 = """
            processor	: 0
            vendor_id	: AuthenticAMD
            cpu family	: 26
            flags		: fpu sse sse2 avx avx2 fma bmi2 avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl avx512_bf16
            processor	: 1
            flags		: fpu sse listed_only_for_the_second
            """;
    private static final String HASWELL = """
            processor	: 0
            flags		: fpu sse sse2 avx avx2 fma bmi2
            """;
    /** Knights Landing: AVX-512 foundation without the byte/word, dword/qword and vector-length subsets. */
    private static final String KNIGHTS_LANDING = """
            processor	: 0
            flags		: fpu sse avx avx2 fma avx512f avx512cd avx512er avx512pf
            """;

    @Test
    void readsTheFirstProcessorsFlags() {
        CpuFlags flags = CpuFlags.parse(ZEN5);
        assertTrue(flags.flags().containsAll(Set.of("avx512f", "avx512vl", "fma")));
        assertEquals(14, flags.flags().size(), flags.toString());
        assertTrue(!flags.flags().contains("listed_only_for_the_second"), flags.toString());
    }

    @Test
    void aCpuWithTheSkylakeAvx512SubsetsGetsTheAvx512Build() {
        assertEquals("-avx512", NativeBuild.systemProperties(CpuFlags.parse(ZEN5)).get(NativeBuild.PLATFORM_EXTENSION));
    }

    @Test
    void aCpuWithoutThemGetsTheGenericBuild() {
        for (String cpuinfo : new String[] {HASWELL, KNIGHTS_LANDING, "", "Processor : ARMv8\nFeatures : fp asimd\n"}) {
            assertEquals("", NativeBuild.systemProperties(CpuFlags.parse(cpuinfo)).get(NativeBuild.PLATFORM_EXTENSION), cpuinfo);
        }
    }

    @Test
    void aPreparedJvmReadsNoStatmOnEveryAllocationUnlessALimitWasSet() {
        // The test JVM sets no limit (the jobs do, from the SparkConf, and that setting wins).
        NativeBuild.prepareThisJvm();
        assertEquals(0, Pointer.maxPhysicalBytes());
    }

    @Test
    void thisJvmRunsTheBuildItsCpuCalledFor() {
        // Test JVMs choose before the first test (org.sparkmnist.testing.NativeBuildForTests).
        NativeBuild.prepareThisJvm();
        String expected = NativeBuild.systemProperties(CpuFlags.ofThisMachine()).get(NativeBuild.PLATFORM_EXTENSION);
        assertEquals(expected, Loader.loadProperties().getProperty("platform.extension"), "JavaCPP loaded with our choice");
        assertEquals(expected.isEmpty() ? NativeBuild.GENERIC_BUILD : NativeBuild.AVX512_BUILD, NativeBuild.running());
    }

    @Test
    void aJvmPreparedForACpuWithoutAvx512LoadsTheGenericBuildThoughBothAreThere() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir", "target/javacpp-cache"),
                "-cp", System.getProperty("java.class.path"), NativeBuildProbe.class.getName()));
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, probe.waitFor(), output);
        assertTrue(output.contains("running=" + NativeBuild.GENERIC_BUILD) && output.contains("extension=[]"), output);
    }
}
