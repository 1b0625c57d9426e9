package org.sparkmnist.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.ProfilerConfig;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses which of the two ND4J native builds the job ships a JVM runs: {@code linux-x86_64-avx512} on
 * a CPU that has the AVX-512 subsets it is compiled for, the generic {@code linux-x86_64} everywhere else.
 *
 * <p>JavaCPP picks the build when ND4J first loads, from the system property
 * {@code org.bytedeco.javacpp.platform.extension}. Left unset, it takes the AVX-512 build whenever that
 * jar is on the class path, and ND4J then exits the JVM on a CPU without AVX-512; so every JVM that
 * loads ND4J must decide before it does: entry points call {@link #prepareThisJvm()} first, Spark
 * executors get it from {@link NativeBuildPlugin}, and other JVMs started from this one can be given
 * {@link #detect()} as {@code -D} options.
 */
public final class NativeBuild {

    /** The JavaCPP property naming the build's suffix; "" is the generic build. */
    public static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
    /**
     * The JavaCPP property bounding the whole process's resident memory. While it is positive, JavaCPP
     * reads /proc/self/statm on every native allocation it tracks; where no one set a limit, 0 turns
     * that off (ND4J's own off-heap limit, {@code org.bytedeco.javacpp.maxbytes}, still holds).
     */
    public static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";

    static final String AVX512 = "-avx512";
    static final String GENERIC = "";
    static final String AVX512_BUILD = "linux-x86_64-avx512";
    static final String GENERIC_BUILD = "linux-x86_64 (generic)";

    private static boolean prepared;

    private static final Logger LOG = LoggerFactory.getLogger(NativeBuild.class);

    private NativeBuild() {
    }

    /**
     * The system properties a JVM started on this machine should be given for ND4J to load the build that
     * fits this CPU (as {@code -Dkey=value}). Executors on other hosts must decide on their own CPU:
     * {@link NativeBuildPlugin} does that.
     */
    public static Map<String, String> detect() {
        return systemProperties(CpuFlags.ofThisMachine());
    }

    /** The system properties a JVM on a CPU with {@code cpu}'s flags should be given. */
    public static Map<String, String> systemProperties(CpuFlags cpu) {
        return Map.of(PLATFORM_EXTENSION, cpu.runsAvx512Build() ? AVX512 : GENERIC);
    }

    /**
     * Makes this JVM load the build that fits its CPU, loads ND4J, logs which build runs and turns off
     * ND4J's per-op workspace checks and, unless a limit was set, JavaCPP's statm reads. Call it before
     * anything touches ND4J or JavaCPP: JavaCPP reads these properties once, when it first loads. Properties
     * already set (on the command line, or from the SparkConf by org.sparkmnist.runtime.NativeRuntime) win.
     * Calling it again does nothing more.
     */
    public static void prepareThisJvm() {
        prepare(CpuFlags.ofThisMachine());
    }

    static synchronized void prepare(CpuFlags cpu) {
        if (prepared) {
            return;
        }
        boolean chosenHere = System.getProperty(PLATFORM_EXTENSION) == null;
        Map<String, String> properties = new LinkedHashMap<>(systemProperties(cpu));
        properties.put(MAX_PHYSICAL_BYTES, "0");
        properties.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
        // The default profiling config checks every op's arrays against the open workspaces: a
        // debugging aid whose cost is paid on each of the tens of ops per minibatch.
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkWorkspaces(false).build());
        String running = running();
        String fitting = cpu.runsAvx512Build() ? AVX512_BUILD : GENERIC_BUILD;
        if (!chosenHere) {
            LOG.info("ND4J native build: {} ({}={} was given)", running, PLATFORM_EXTENSION, System.getProperty(PLATFORM_EXTENSION));
        } else if (running.equals(fitting)) {
            LOG.info("ND4J native build: {} ({})", running,
                    cpu.runsAvx512Build() ? "this CPU has AVX-512" : "this CPU lacks the AVX-512 subsets the avx512 build needs");
        } else {
            LOG.warn("ND4J native build: {}, where this CPU calls for {}: JavaCPP was loaded before the build was chosen", running, fitting);
        }
        prepared = true;
    }

    /** The build ND4J loaded, by the instruction set its binary was compiled for. */
    static String running() {
        int level = NativeOpsHolder.getInstance().getDeviceNativeOps().binaryLevel();
        return level == 3 ? AVX512_BUILD : level == 2 ? "linux-x86_64-avx2" : GENERIC_BUILD;
    }
}
