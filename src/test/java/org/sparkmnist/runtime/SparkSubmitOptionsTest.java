package org.sparkmnist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Where spark-submit's options end, as Spark's own launcher library parses them (the job's Spark, 3.5). */
class SparkSubmitOptionsTest {

    @Test
    void everyOptionSparkSubmitDocumentsWithAValueTakesTheNextArgument() {
        for (String option : List.of("--master", "--deploy-mode", "--class", "--name", "--jars", "--packages", "--exclude-packages",
                "--repositories", "--py-files", "--files", "--archives", "--conf", "-c", "--properties-file", "--driver-memory",
                "--driver-java-options", "--driver-library-path", "--driver-class-path", "--executor-memory", "--proxy-user",
                "--driver-cores", "--total-executor-cores", "--executor-cores", "--num-executors", "--principal", "--keytab",
                "--queue", "--kill", "--status")) {
            assertTrue(SparkSubmitOptions.takesValue(option), option);
        }
    }

    @Test
    void switchesAndOptionsWithTheirValueAfterAnEqualsSignAreOneArgument() {
        for (String option : List.of("--verbose", "-v", "--supervise", "--help", "-h", "--version", "--master=yarn",
                "--conf=spark.executor.cores=2")) {
            assertFalse(SparkSubmitOptions.takesValue(option), option);
        }
    }

    @Test
    void theJobsArgumentsStartAtTheFirstArgumentThatIsNeitherAnOptionNorItsValue() {
        assertEquals(9, SparkSubmitOptions.count(List.of("--master", "yarn", "--verbose", "--conf=spark.x=1", "-c", "spark.y=2",
                "--supervise", "--properties-file", "my.properties", "my.conf", "train.epochs=1")));
        // After the first of the job's arguments everything is the job's, dashes or not.
        assertEquals(2, SparkSubmitOptions.count(List.of("--class", "org.sparkmnist.scoring.MnistScoringJob", "run.id=s1", "--verbose")));
        assertEquals(0, SparkSubmitOptions.count(List.of("train.epochs=1")));
        assertEquals(0, SparkSubmitOptions.count(List.of()));
    }

    @Test
    void anOptionSparkDoesNotKnowStaysWithSparkSubmitToReport() {
        assertEquals(1, SparkSubmitOptions.count(List.of("--no-such-option", "train.epochs=1")));
    }

    @Test
    void anOptionWithoutItsValueIsRefusedNamingIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SparkSubmitOptions.count(List.of("--verbose", "--master")));
        assertEquals("option --master needs a value", refused.getMessage());
    }
}
