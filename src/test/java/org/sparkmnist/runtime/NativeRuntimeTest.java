package org.sparkmnist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.sparkmnist.BadInputException;

/** What executors and the driver get for ND4J's native memory, threads and libraries, from the SparkConf alone. */
class NativeRuntimeTest {

    private static final long GIB = 1024L * 1024 * 1024;

    private static SparkConf conf(String master, String... keyValues) {
        SparkConf conf = new SparkConf(false).set("spark.master", master);
        for (int i = 0; i < keyValues.length; i += 2) {
            conf.set(keyValues[i], keyValues[i + 1]);
        }
        return conf;
    }

    private static Properties driverWithCache(String dir) {
        Properties properties = new Properties();
        properties.setProperty(NativeRuntime.CACHE_DIR, dir);
        return properties;
    }

    private static String executorOption(SparkConf conf, String key) {
        return NativeRuntime.systemProperty(conf.get(NativeRuntime.EXECUTOR_OPTIONS, ""), key).orElse(null);
    }

    @Test
    void onYarnTheContainerHoldsHeapPlusJavaCppsMaximumPlusTheJvmsOwnMemory() {
        SparkConf conf = NativeRuntime.configureExecutors(conf("yarn", "spark.executor.memory", "4g", "spark.executor.cores", "2"),
                new Properties(), Map.of());
        assertEquals("4096m", executorOption(conf, NativeRuntime.MAX_BYTES));
        assertEquals("5120m", conf.get("spark.executor.memoryOverhead"));
        assertEquals("9216m", executorOption(conf, NativeRuntime.MAX_PHYSICAL_BYTES), "heap + overhead: the container's size");
        assertEquals("2", conf.get(NativeRuntime.OMP_THREADS));
        assertEquals(NativeRuntime.EXECUTOR_CACHE_DIR, executorOption(conf, NativeRuntime.CACHE_DIR));
    }

    @Test
    void kubernetesIsSizedAsYarnIs() {
        SparkConf conf = NativeRuntime.configureExecutors(conf("k8s://https://api:6443", "spark.executor.memory", "2g"), new Properties(), Map.of());
        assertEquals("3072m", conf.get("spark.executor.memoryOverhead"));
    }

    @Test
    void aUserOverheadDecidesJavaCppsMaximumInstead() {
        SparkConf conf = NativeRuntime.configureExecutors(conf("yarn", "spark.executor.memory", "2g", "spark.executor.memoryOverhead", "3g"),
                new Properties(), Map.of());
        assertEquals("3g", conf.get("spark.executor.memoryOverhead"), "the user's setting is kept");
        assertEquals("2048m", executorOption(conf, NativeRuntime.MAX_BYTES), "overhead less the JVM's own native memory");
        assertEquals("5120m", executorOption(conf, NativeRuntime.MAX_PHYSICAL_BYTES));
    }

    @Test
    void anOverheadTooSmallForAnyOffHeapMemoryIsAConfigError() {
        BadInputException error = assertThrows(BadInputException.class, () -> NativeRuntime.configureExecutors(
                conf("yarn", "spark.executor.memory", "2g", "spark.executor.memoryOverhead", "1024m"), new Properties(), Map.of()));
        assertTrue(error.getMessage().startsWith("spark.executor.memoryOverhead=1024m"), error.getMessage());
    }

    @Test
    void aBadMemorySizeNamesItsKey() {
        BadInputException error = assertThrows(BadInputException.class,
                () -> NativeRuntime.configureExecutors(conf("yarn", "spark.executor.memory", "lots"), new Properties(), Map.of()));
        assertTrue(error.getMessage().startsWith("spark.executor.memory=lots is not a memory size"), error.getMessage());
    }

    @Test
    void theUsersOwnJavaOptionsWinAndOursAreNotRepeated() {
        SparkConf conf = NativeRuntime.configureExecutors(conf("yarn", "spark.executor.memory", "2g",
                NativeRuntime.EXECUTOR_OPTIONS, "-XX:+UseG1GC -Dorg.bytedeco.javacpp.maxbytes=3g -Dorg.bytedeco.javacpp.cachedir=/fast/cache",
                NativeRuntime.OMP_THREADS, "4"), new Properties(), Map.of());
        String options = conf.get(NativeRuntime.EXECUTOR_OPTIONS);
        assertEquals("3g", executorOption(conf, NativeRuntime.MAX_BYTES));
        assertEquals("/fast/cache", executorOption(conf, NativeRuntime.CACHE_DIR));
        assertEquals(1, options.split("maxbytes=", -1).length - 1, options);
        assertTrue(options.contains("-XX:+UseG1GC"), options);
        assertEquals("4096m", conf.get("spark.executor.memoryOverhead"), "sized from the user's maxbytes");
        assertEquals("4", conf.get(NativeRuntime.OMP_THREADS));
    }

    @Test
    void executorsOnTheDriversMachineShareItsCacheAndOthersUseTheirWorkingDirectory() {
        Properties driver = driverWithCache("/repo/target/javacpp-cache");
        for (String master : new String[] {"local[2]", "local-cluster[2,1,1024]", "spark://127.0.0.1:7077", "spark://localhost:7077"}) {
            assertEquals("/repo/target/javacpp-cache", executorOption(NativeRuntime.configureExecutors(conf(master), driver, Map.of()), NativeRuntime.CACHE_DIR),
                    master);
        }
        for (String master : new String[] {"spark://master:7077", "yarn"}) {
            assertEquals(NativeRuntime.EXECUTOR_CACHE_DIR, executorOption(NativeRuntime.configureExecutors(conf(master), driver, Map.of()),
                    NativeRuntime.CACHE_DIR), master);
        }
    }

    @Test
    void standaloneExecutorsGetLimitsButNoOverhead() {
        SparkConf conf = NativeRuntime.configureExecutors(conf("spark://master:7077"), new Properties(), Map.of());
        assertFalse(conf.contains("spark.executor.memoryOverhead"));
        assertEquals("1024m", executorOption(conf, NativeRuntime.MAX_BYTES), "Spark's default executor memory");
        assertEquals("3072m", executorOption(conf, NativeRuntime.MAX_PHYSICAL_BYTES));
        assertEquals("1", conf.get(NativeRuntime.OMP_THREADS));
    }

    @Test
    void aLocalOrClientModeDriverIsSizedFromItsHeap() {
        for (SparkConf conf : new SparkConf[] {conf("local[2]"), conf("yarn", "spark.submit.deployMode", "client",
                "spark.driver.memoryOverhead", "5g")}) {
            assertEquals(Map.of(NativeRuntime.MAX_BYTES, "2048m", NativeRuntime.MAX_PHYSICAL_BYTES, "5120m"),
                    NativeRuntime.driverProperties(conf, 2 * GIB, new Properties()), conf.get("spark.master"));
        }
    }

    @Test
    void aClusterModeDriverIsSizedFromTheOverheadItsContainerWasGiven() {
        SparkConf conf = conf("yarn", "spark.submit.deployMode", "cluster", "spark.driver.memoryOverhead", "1536m");
        assertEquals(Map.of(NativeRuntime.MAX_BYTES, "512m", NativeRuntime.MAX_PHYSICAL_BYTES, "3584m"),
                NativeRuntime.driverProperties(conf, 2 * GIB, new Properties()));
    }

    @Test
    void aDriverLimitSetWithDashDIsLeftAlone() {
        Properties current = new Properties();
        current.setProperty(NativeRuntime.MAX_BYTES, "3g");
        assertEquals(Map.of(NativeRuntime.MAX_PHYSICAL_BYTES, "6144m"), NativeRuntime.driverProperties(conf("local[2]"), 2 * GIB, current));
    }

    @Test
    void sizingIsOneFormula() {
        NativeRuntime.Sizing sizing = NativeRuntime.Sizing.of(4096, Optional.empty(), Optional.empty(), "k");
        assertEquals(new NativeRuntime.Sizing(4096, 4096, 4096 + NativeRuntime.JVM_NATIVE_MIB), sizing);
        assertEquals(4096 + 4096 + NativeRuntime.JVM_NATIVE_MIB, sizing.physicalMib());
    }

    @Test
    void everyExecutorChoosesItsNativeBuildAndGetsTheVectorModuleOnce() {
        String plugin = NativeBuildPlugin.class.getName();
        SparkConf conf = NativeRuntime.configureExecutors(conf("spark://master:7077", NativeRuntime.PLUGINS, "com.example.Theirs"),
                new Properties(), Map.of());
        assertEquals("com.example.Theirs," + plugin, conf.get(NativeRuntime.PLUGINS), "the user's plugins are kept");
        String options = conf.get(NativeRuntime.EXECUTOR_OPTIONS);
        assertTrue(options.contains(NativeRuntime.VECTOR_MODULE_OPTION), options);
        assertFalse(options.contains(NativeBuild.PLATFORM_EXTENSION), "the driver's CPU does not choose for the executors: " + options);

        SparkConf again = NativeRuntime.configureExecutors(conf, new Properties(), Map.of());
        assertEquals("com.example.Theirs," + plugin, again.get(NativeRuntime.PLUGINS));
        String twice = again.get(NativeRuntime.EXECUTOR_OPTIONS);
        assertEquals(1, twice.split(NativeRuntime.VECTOR_MODULE, -1).length - 1, twice);
        assertEquals(plugin, NativeRuntime.configureExecutors(conf("local[2]"), new Properties(), Map.of()).get(NativeRuntime.PLUGINS));
    }

    @Test
    void executorsOnTheDriversMachineRunItsOpenBlasKernelsAndOthersChooseTheirOwn() {
        Map<String, String> env = Map.of(NativeRuntime.OPENBLAS_CORETYPE, "SkylakeX");
        String key = "spark.executorEnv." + NativeRuntime.OPENBLAS_CORETYPE;
        for (String master : new String[] {"local[2]", "local-cluster[2,1,1024]", "spark://127.0.0.1:7077"}) {
            assertEquals("SkylakeX", NativeRuntime.configureExecutors(conf(master), new Properties(), env).get(key, null), master);
        }
        for (String master : new String[] {"spark://master:7077", "yarn"}) {
            assertFalse(NativeRuntime.configureExecutors(conf(master), new Properties(), env).contains(key), master);
        }
        assertFalse(NativeRuntime.configureExecutors(conf("local[2]"), new Properties(), Map.of()).contains(key), "no choice, none passed on");
        assertEquals("Haswell", NativeRuntime.configureExecutors(conf("spark://127.0.0.1:7077", key, "Haswell"), new Properties(), env).get(key),
                "the user's setting wins");
    }
}
