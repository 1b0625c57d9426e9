package org.sparkmnist.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.network.util.JavaUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.BadInputException;

/**
 * What ND4J's native code needs from every JVM of a run, decided in this one place from the
 * SparkConf the job sees before Spark starts (spark-submit's options, the properties file, and the
 * defaults of this class):
 *
 * <ul>
 *   <li>JavaCPP's off-heap limits: {@code maxbytes} for ND4J's arrays, {@code maxphysicalbytes} for
 *       the whole process. Past them JavaCPP runs the garbage collector (which frees arrays nobody
 *       references) and then fails with a clear OutOfMemoryError, instead of a container manager or
 *       the kernel killing the JVM without a word.
 *   <li>On YARN and Kubernetes, which give a container heap + {@code memoryOverhead} and kill it
 *       beyond that, an overhead that holds JavaCPP's off-heap maximum plus the JVM's own native
 *       memory. One formula: overhead = maxbytes + {@link #JVM_NATIVE_MIB}, maxbytes = heap. When
 *       the user set the overhead, maxbytes is derived from it instead.
 *   <li>Where JavaCPP unpacks its native libraries, which are too large to unpack again per task.
 *   <li>One OpenMP (BLAS) thread per executor core: ND4J otherwise starts a thread per hardware
 *       thread in every executor, and executors sharing a machine fight over its cores.
 *   <li>The ND4J native build each executor loads, chosen in the executor from its own CPU by
 *       {@link NativeBuildPlugin}, and the Vector API module for the SIMD optimizer updates.
 *   <li>OpenBLAS's kernels, for executors on the driver's machine: the driver's choice.
 * </ul>
 *
 * <p>Executors get all of this through the SparkConf ({@link #configureExecutors}). The driver's own
 * JVM is already running when the job starts: {@link #configureThisJvm} sets its limits as system
 * properties first thing in {@code main}, before anything loads ND4J (JavaCPP reads them once, when
 * its Pointer class initialises). Only the container of a YARN or Kubernetes cluster-mode driver is
 * sized before the job runs, by spark-submit: it must be given {@code spark.driver.memoryOverhead}.
 */
public final class NativeRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(NativeRuntime.class);

    static final String MAX_BYTES = "org.bytedeco.javacpp.maxbytes";
    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";
    static final String CACHE_DIR = "org.bytedeco.javacpp.cachedir";
    static final String OMP_THREADS = "spark.executorEnv.OMP_NUM_THREADS";
    static final String EXECUTOR_OPTIONS = "spark.executor.extraJavaOptions";
    static final String PLUGINS = "spark.plugins";
    static final String OPENBLAS_CORETYPE = "OPENBLAS_CORETYPE";
    /**
     * The JDK's Vector API, an incubator module a JVM has only when started with it: the optimizer's
     * updates run as SIMD with it and as a scalar loop without (org.sparkmnist.model.updaters).
     */
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String VECTOR_MODULE_OPTION = "--add-modules=" + VECTOR_MODULE;

    /**
     * The JVM's native memory beside its heap and ND4J's arrays: metaspace, code cache, thread
     * stacks, GC structures, Netty's buffers. Chosen to hold every executor and driver of this job
     * whose peak memory docs/BENCHMARKS.md records.
     */
    static final long JVM_NATIVE_MIB = 1024;

    /** An executor's cache, relative to its working directory: always writable, filled once per executor. */
    static final String EXECUTOR_CACHE_DIR = "javacpp-cache";

    private NativeRuntime() {
    }

    /** The memory of one JVM, in MiB: its heap, ND4J's off-heap maximum, and the container's overhead. */
    record Sizing(long heapMib, long maxBytesMib, long overheadMib) {

        /** The whole process: what JavaCPP counts as physical bytes and YARN calls the container size. */
        long physicalMib() {
            return heapMib + overheadMib;
        }

        /**
         * The sizing for a JVM of {@code heapMib}: maxbytes from the user's explicit maxbytes, else
         * from the user's overhead (named {@code overheadKey} in the error), else the heap.
         */
        static Sizing of(long heapMib, Optional<Long> userMaxBytesMib, Optional<Long> userOverheadMib, String overheadKey) {
            long maxBytes;
            if (userMaxBytesMib.isPresent()) {
                maxBytes = userMaxBytesMib.get();
            } else if (userOverheadMib.isPresent()) {
                maxBytes = userOverheadMib.get() - JVM_NATIVE_MIB;
                if (maxBytes <= 0) {
                    throw new BadInputException(overheadKey + "=" + userOverheadMib.get() + "m leaves ND4J no off-heap memory: it must be "
                            + "larger than " + JVM_NATIVE_MIB + "m (the JVM's own native memory) by what ND4J's arrays need, e.g. "
                            + (heapMib + JVM_NATIVE_MIB) + "m for this JVM's " + heapMib + "m heap; or leave it unset to have it sized");
                }
            } else {
                maxBytes = heapMib;
            }
            return new Sizing(heapMib, maxBytes, userOverheadMib.orElse(maxBytes + JVM_NATIVE_MIB));
        }
    }

    /**
     * Adds to {@code conf} what executors need, keeping whatever the user set: JavaCPP's limits and
     * cache directory in {@code spark.executor.extraJavaOptions}, OMP_NUM_THREADS, and on YARN and
     * Kubernetes {@code spark.executor.memoryOverhead}. {@code driverProperties} and {@code driverEnv}
     * are this JVM's system properties and environment; executors on the driver's machine share its
     * JavaCPP cache and its OpenBLAS kernel choice.
     */
    static SparkConf configureExecutors(SparkConf conf, Properties driverProperties, Map<String, String> driverEnv) {
        String master = conf.get("spark.master", "");
        String options = conf.get(EXECUTOR_OPTIONS, "");
        boolean containers = sizesContainers(master);
        Optional<Long> userOverhead = containers ? sizeMib(conf, "spark.executor.memoryOverhead") : Optional.empty();
        long heap = sizeMib(conf, "spark.executor.memory").orElse(1024L);
        Sizing sizing = Sizing.of(heap, systemProperty(options, MAX_BYTES).map(NativeRuntime::mib), userOverhead,
                "spark.executor.memoryOverhead");
        if (containers && userOverhead.isEmpty()) {
            conf.set("spark.executor.memoryOverhead", sizing.overheadMib() + "m");
        }

        Map<String, String> ours = new LinkedHashMap<>();
        ours.put(MAX_BYTES, sizing.maxBytesMib() + "m");
        ours.put(MAX_PHYSICAL_BYTES, sizing.physicalMib() + "m");
        ours.put(CACHE_DIR, executorCacheDir(master, driverProperties));
        List<String> added = new ArrayList<>();
        ours.forEach((key, value) -> {
            if (systemProperty(options, key).isEmpty()) {
                added.add("-D" + key + "=" + value);
            }
        });
        if (!options.contains(VECTOR_MODULE)) {
            added.add(VECTOR_MODULE_OPTION);
        }
        if (!added.isEmpty()) {
            conf.set(EXECUTOR_OPTIONS, (String.join(" ", added) + " " + options).strip());
        }
        conf.setIfMissing(OMP_THREADS, conf.get("spark.executor.cores", "1"));
        addNativeBuildPlugin(conf);
        // OpenBLAS reads its kernel choice from the environment as it loads, so a JVM cannot make it for
        // itself; the launchers choose from the CPU's flags (submit/openblas-coretype.sh). Executors on
        // this machine share the driver's CPU and take its choice; elsewhere a CPU of another kind might
        // lack the kernel's instructions, so there OpenBLAS decides (or the user, with this key).
        String coretype = driverEnv.get(OPENBLAS_CORETYPE);
        if (SparkContexts.onThisMachine(master) && coretype != null && !coretype.isBlank()) {
            conf.setIfMissing("spark.executorEnv." + OPENBLAS_CORETYPE, coretype);
        }
        return conf;
    }

    /**
     * JavaCPP's limits for this JVM, the driver, as system properties to set before ND4J loads; the
     * ones already set (by the user, with -D) are left out. {@code heapBytes} is this JVM's maximum
     * heap.
     */
    static Map<String, String> driverProperties(SparkConf conf, long heapBytes, Properties current) {
        boolean clusterContainer = sizesContainers(conf.get("spark.master", ""))
                && "cluster".equals(conf.get("spark.submit.deployMode", "client"));
        Optional<Long> userOverhead = clusterContainer ? sizeMib(conf, "spark.driver.memoryOverhead") : Optional.empty();
        if (clusterContainer && userOverhead.isEmpty()) {
            LOG.warn("spark.driver.memoryOverhead is not set: the driver's container holds its heap plus Spark's default overhead, "
                    + "less than ND4J may allocate off-heap; pass --conf spark.driver.memoryOverhead=<driver memory + {}m>", JVM_NATIVE_MIB);
        }
        Optional<Long> userMaxBytes = Optional.ofNullable(current.getProperty(MAX_BYTES)).map(NativeRuntime::mib);
        Sizing sizing = Sizing.of(heapBytes / (1024 * 1024), userMaxBytes, userOverhead, "spark.driver.memoryOverhead");
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(MAX_BYTES, sizing.maxBytesMib() + "m");
        properties.put(MAX_PHYSICAL_BYTES, sizing.physicalMib() + "m");
        properties.keySet().removeIf(current::containsKey);
        return properties;
    }

    /** Sets this JVM's JavaCPP limits from the SparkConf spark-submit gave it; call before anything touches ND4J. */
    public static void configureThisJvm() {
        driverProperties(new SparkConf(), Runtime.getRuntime().maxMemory(), System.getProperties()).forEach(System::setProperty);
    }

    /** YARN and Kubernetes give each JVM a container of heap + memoryOverhead and kill it beyond that. */
    static boolean sizesContainers(String master) {
        return master.startsWith("yarn") || master.startsWith("k8s://");
    }

    /**
     * The driver's own cache when the executors run on its machine (local-cluster, a loopback
     * standalone master), so the libraries are unpacked once; else one in each executor's directory.
     */
    private static String executorCacheDir(String master, Properties driverProperties) {
        String driverCache = driverProperties.getProperty(CACHE_DIR);
        return SparkContexts.onThisMachine(master) && driverCache != null && !driverCache.isBlank() && !driverCache.contains(" ") ? driverCache : EXECUTOR_CACHE_DIR;
    }

    /**
     * Has every executor choose its ND4J native build (generic or AVX-512) from its own CPU when it
     * starts, before any task loads ND4J: nodes of one cluster may differ, so the driver's choice is not
     * passed on. A local-mode driver chose for itself in {@code main}, and the plugin then does nothing more.
     */
    static void addNativeBuildPlugin(SparkConf conf) {
        String plugin = NativeBuildPlugin.class.getName();
        List<String> plugins = new ArrayList<>(List.of(conf.get(PLUGINS, "").split(",")));
        plugins.removeIf(String::isBlank);
        if (!plugins.contains(plugin)) {
            plugins.add(plugin);
            conf.set(PLUGINS, String.join(",", plugins));
        }
    }

    /** The value of {@code -Dkey=value} in a JVM option string, if present. */
    static Optional<String> systemProperty(String options, String key) {
        Matcher matcher = Pattern.compile("(?:^|\\s)-D" + Pattern.quote(key) + "=(\\S*)").matcher(options);
        String value = null;
        while (matcher.find()) {
            value = matcher.group(1);
        }
        return Optional.ofNullable(value);
    }

    /** A Spark memory setting in MiB (a plain number means MiB, as Spark reads these keys), if set. */
    private static Optional<Long> sizeMib(SparkConf conf, String key) {
        if (!conf.contains(key)) {
            return Optional.empty();
        }
        try {
            return Optional.of(conf.getSizeAsMb(key));
        } catch (NumberFormatException e) {
            throw new BadInputException(key + "=" + conf.get(key) + " is not a memory size: expected one such as 4g or 512m");
        }
    }

    /** A JavaCPP size (bytes, or with a k/m/g/t suffix) in MiB. */
    private static long mib(String size) {
        try {
            return JavaUtils.byteStringAsMb(size.strip().matches("\\d+") ? size.strip() + "b" : size.strip());
        } catch (NumberFormatException e) {
            throw new BadInputException("-D" + MAX_BYTES + "=" + size + " is not a size: expected bytes or a size such as 2g");
        }
    }
}
