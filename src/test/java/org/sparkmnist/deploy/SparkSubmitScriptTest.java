package org.sparkmnist.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.launcher.SparkLauncher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.testing.Scripts;

/**
 * submit/spark-submit.sh hands spark-submit every argument untouched and in order, with the jar where
 * spark-submit's options end, and runs it in the caller's directory. Checked against a Spark install
 * whose bin/spark-submit prints its directory and arguments, so no Spark starts; its jars/ holds the
 * real spark-launcher of the job's Spark, which decides where the options end, and the job's compiled
 * classes stand in for the jar. SparkSubmitFromAnotherDirectoryIT submits to the real spark-submit.
 */
class SparkSubmitScriptTest {

    @TempDir
    Path tmp;

    private Path sparkHome;
    private final Path jar = Path.of("target", "classes").toAbsolutePath();

    @BeforeEach
    void standInSpark() throws IOException, URISyntaxException {
        sparkHome = tmp.resolve("spark");
        Path submit = Files.createDirectories(sparkHome.resolve("bin")).resolve("spark-submit");
        Files.writeString(submit, "#!/bin/sh\npwd\nfor arg in \"$@\"; do printf '%s\\n' \"$arg\"; done\n");
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path launcher = Path.of(SparkLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.createSymbolicLink(Files.createDirectories(sparkHome.resolve("jars")).resolve(launcher.getFileName()), launcher);
    }

    private Scripts.Result submit(Path directory, String... args) {
        List<String> command = new ArrayList<>(List.of(Scripts.REPO.resolve("submit/spark-submit.sh").toString()));
        command.addAll(List.of(args));
        return Scripts.runIn(directory, command, Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_MNIST_JAR", jar.toString()),
                tmp.resolve("submit.log"), Duration.ofMinutes(1));
    }

    /** What the stand-in spark-submit printed: its directory, then one argument per line. */
    private static List<String> printed(Scripts.Result result) {
        assertEquals(0, result.exitCode(), result.output());
        return result.output().lines().filter(line -> !line.startsWith("WARNING")).toList();
    }

    @Test
    void everyArgumentGoesOnUntouchedWithTheJarWhereSparkSubmitsOptionsEnd() {
        List<String> options = List.of("--master", "local[2]", "--verbose", "--conf=spark.ui.enabled=false", "-c",
                "spark.driver.extraJavaOptions=-Da=1 -Db=2", "--supervise", "--class", "org.sparkmnist.scoring.MnistScoringJob");
        List<String> jobArgs = List.of("my.conf", "run.id=a b", "--verbose");
        List<String> args = new ArrayList<>(options);
        args.addAll(jobArgs);

        List<String> expected = new ArrayList<>(options);
        expected.add(jar.toString());
        expected.addAll(jobArgs);
        assertEquals(expected, printed(submit(Scripts.REPO, args.toArray(String[]::new))).subList(1, expected.size() + 1));
    }

    @Test
    void withoutClassNothingIsAddedAndTheJarsMainClassRuns() {
        assertEquals(List.of("--master", "local[2]", jar.toString(), "train.epochs=1"),
                printed(submit(Scripts.REPO, "--master", "local[2]", "train.epochs=1")).subList(1, 5));
    }

    @Test
    void relativePathsAreLeftToTheCallersDirectory() throws IOException {
        Path caller = Files.createDirectories(tmp.resolve("elsewhere"));
        List<String> printed = printed(submit(caller, "--properties-file", "spark.properties", "--files", "conf/my.conf", "my.conf",
                "output.dir=runs"));
        assertEquals(caller.toRealPath().toString(), printed.get(0), "spark-submit's working directory");
        assertEquals(List.of("--properties-file", "spark.properties", "--files", "conf/my.conf", jar.toString(), "my.conf",
                "output.dir=runs"), printed.subList(1, 8));
    }

    @Test
    void anOptionWithoutItsValueIsRefusedBeforeSparkSubmitRuns() {
        Scripts.Result result = submit(Scripts.REPO, "--verbose", "--master");
        assertEquals(2, result.exitCode(), result.output());
        assertEquals("spark-submit.sh: error: option --master needs a value", result.tail(1));
        assertFalse(result.output().contains(Scripts.REPO.toString()), "the stand-in spark-submit never ran: " + result.output());
    }
}
