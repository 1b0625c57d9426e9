package org.sparkmnist.model.nativebuild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The instruction-set flags of this machine's CPU, as Linux lists them in /proc/cpuinfo. */
public record CpuFlags(Set<String> flags) {

    /** What ND4J's {@code -avx512} build is compiled for (GCC's skylake-avx512 set): without any of them it exits on start. */
    static final List<String> AVX512_BUILD_NEEDS = List.of("avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

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
}
