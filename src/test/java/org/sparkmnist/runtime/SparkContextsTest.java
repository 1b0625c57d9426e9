package org.sparkmnist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** An embedded (local-mode) run listens on 127.0.0.1 only; on a cluster spark-submit decides. */
class SparkContextsTest {

    private static final Map<String, String> LOOPBACK_ENV = Map.of("SPARK_LOCAL_IP", "127.0.0.1");

    private static final Consumer<SparkConf> NO_JOB_DEFAULTS = conf -> { };

    private static SparkSettings settings(String master, boolean ui) {
        return new SparkSettings(master, "spark-mnist-test", ui, "WARN");
    }

    @Test
    void localModePutsTheDriverOnLoopback() {
        List.of("local", "local[2]", "local[*]").forEach(SparkContextsTest::assertDriverOnLoopback);
    }

    @Test
    void localModeUiListensOnLoopbackWhenSparkLocalIpSaysSo() {
        SparkConf conf = SparkContexts.conf(settings("local[*]", true), NO_JOB_DEFAULTS, LOOPBACK_ENV);
        assertTrue(conf.getBoolean("spark.ui.enabled", false));
    }

    /** Without SPARK_LOCAL_IP Spark's UI listens on every interface; the job then leaves it off. */
    @Test
    void localModeUiStaysOffWhenItWouldFaceTheNetwork() {
        SparkConf conf = SparkContexts.conf(settings("local[2]", true), NO_JOB_DEFAULTS, Map.of());
        assertFalse(conf.getBoolean("spark.ui.enabled", true));
    }

    /** Someone who sets SPARK_LOCAL_IP to another address has decided where the UI listens. */
    @Test
    void anExplicitSparkLocalIpIsKept() {
        Map<String, String> env = Map.of("SPARK_LOCAL_IP", "0.0.0.0");
        assertTrue(SparkContexts.conf(settings("local[2]", true), NO_JOB_DEFAULTS, env).getBoolean("spark.ui.enabled", false));
    }

    /** A standalone cluster on this machine (submit/standalone-cluster.sh's) needs the driver on nothing but loopback either. */
    @Test
    void aLoopbackStandaloneMasterPutsTheDriverOnLoopback() {
        List.of("spark://127.0.0.1:7077", "spark://localhost:7077", "local-cluster[2,1,1024]").forEach(SparkContextsTest::assertDriverOnLoopback);
    }

    private static void assertDriverOnLoopback(String master) {
        SparkConf conf = SparkContexts.conf(settings(master, false), NO_JOB_DEFAULTS, Map.of());
        assertEquals("127.0.0.1", conf.get("spark.driver.host"), master);
        assertEquals("127.0.0.1", conf.get("spark.driver.bindAddress"), master);
    }

    @Test
    void aClusterMasterLeavesAddressesToSparkSubmit() {
        SparkConf conf = SparkContexts.conf(settings("spark://10.1.2.3:7077", true), NO_JOB_DEFAULTS, Map.of());
        assertFalse(conf.contains("spark.driver.host"));
        assertFalse(conf.contains("spark.driver.bindAddress"));
        assertTrue(conf.getBoolean("spark.ui.enabled", false));
    }

    @Test
    void theJobsOwnDefaultsAreInTheConfSparkStartsWith() {
        SparkConf conf = SparkContexts.conf(settings("local[2]", false), c -> c.setIfMissing("spark.serializer", "a.JobSerializer"), Map.of());
        assertEquals("a.JobSerializer", conf.get("spark.serializer"));
    }

    /**
     * The settings above, measured: every socket a real local-mode SparkContext opens for listening
     * (driver RPC, block manager, and the UI when this JVM's SPARK_LOCAL_IP allows it) is on loopback.
     */
    @Test
    void aLocalSparkContextListensOnLoopbackOnly() throws IOException {
        Set<String> before = listeningSockets();
        Set<String> opened;
        try (JavaSparkContext spark = new JavaSparkContext(SparkContexts.conf(settings("local[1]", true), NO_JOB_DEFAULTS, System.getenv()))) {
            opened = listeningSockets();
            opened.removeAll(before);
        }
        assertFalse(opened.isEmpty(), "Spark opened no listening socket");
        for (String socket : opened) {
            assertTrue(isLoopback(socket.substring(0, socket.indexOf(':'))), "listening on " + socket + " (hex, as /proc/net shows it)");
        }
    }

    /** "ADDRESS:PORT" (hex, as in /proc/net/tcp and tcp6) of the TCP sockets this JVM listens on. */
    private static Set<String> listeningSockets() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // The listing's own descriptor, or one closed since.
                }
            }
        }
        Set<String> sockets = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                // local_address, state (0A = LISTEN), inode.
                if (fields[3].equals("0A") && inodes.contains(fields[9])) {
                    sockets.add(fields[1]);
                }
            }
        }
        return sockets;
    }

    /** /proc/net prints an address as 32-bit words in host (little-endian) byte order. */
    private static boolean isLoopback(String hex) throws IOException {
        byte[] address = new byte[hex.length() / 2];
        for (int word = 0; word < address.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = (word * 4 + b) * 2;
                address[word * 4 + 3 - b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) comes back as the IPv4 address.
        return InetAddress.getByAddress(address).isLoopbackAddress();
    }
}
