package org.sparkmnist.runtime;

import org.bytedeco.javacpp.Loader;

/** Run in a JVM of its own by NativeBuildTest: prepares ND4J as on a CPU without AVX-512, then says which build loaded. */
public final class NativeBuildProbe {

    private NativeBuildProbe() {
    }

    public static void main(String[] args) {
        NativeBuild.prepare(CpuFlags.parse("flags : fpu sse sse2 avx avx2 fma\n"));
        System.out.println("running=" + NativeBuild.running());
        System.out.println("extension=[" + Loader.loadProperties().getProperty("platform.extension") + "]");
    }
}
