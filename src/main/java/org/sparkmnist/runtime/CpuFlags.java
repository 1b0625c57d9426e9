package org.sparkmnist.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/** The instruction-set flags of this machine's CPU, as Linux lists them in /proc/cpuinfo. */
public record CpuFlags(Set<String> flags) {

    /**
     * The resource that lists each instruction-set level's flags, read here and by submit/openblas-coretype.sh,
     * so that ND4J's build and OpenBLAS's kernels are chosen from the same facts.
     */
    static final String LEVELS = "/cpu-levels.properties";
    /** What ND4J's {@code -avx512} build is compiled for (GCC's skylake-avx512 set): without any of them it exits on start. */
    static final List<String> AVX512_BUILD_NEEDS = level("skylake-avx512");

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    public CpuFlags {
        flags = Set.copyOf(flags);
    }

    /** This machine's flags; none where /proc/cpuinfo is missing or unreadable (not Linux), which chooses the generic build. */
    public static CpuFlags ofThisMachine() {
        try {
            return parse(Files.readString(CPUINFO));
        } catch (IOException | RuntimeException unreadable) {
            return new CpuFlags(Set.of());
        }
    }

    /** The flags of the first processor listed in a /proc/cpuinfo text ("flags" on x86). */
    static CpuFlags parse(String cpuinfo) {
        return cpuinfo.lines()
                .filter(line -> line.startsWith("flags") && line.contains(":"))
                .findFirst()
                .map(line -> new CpuFlags(new TreeSet<>(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")))))
                .orElseGet(() -> new CpuFlags(Set.of()));
    }

    boolean runsAvx512Build() {
        return flags.containsAll(AVX512_BUILD_NEEDS);
    }

    /** The flags a level of {@value #LEVELS} needs; a level missing there is a broken build, not a CPU without it. */
    static List<String> level(String name) {
        Properties levels = new Properties();
        try (InputStream in = CpuFlags.class.getResourceAsStream(LEVELS)) {
            if (in == null) {
                throw new IllegalStateException(LEVELS + " is not on the class path");
            }
            levels.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LEVELS, e);
        }
        String flags = levels.getProperty(name, "").strip();
        if (flags.isEmpty()) {
            throw new IllegalStateException(LEVELS + " lists no flags for " + name);
        }
        return List.of(flags.split("\\s+"));
    }
}
