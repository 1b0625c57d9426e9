package org.sparkmnist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkUserAppException;
import org.junit.jupiter.api.Test;

/** Only a YARN cluster-mode driver hands its outcome back to the ApplicationMaster instead of ending the JVM. */
class JobExitTest {

    private static SparkConf conf(String master, String deployMode) {
        SparkConf conf = new SparkConf(false).set("spark.master", master);
        return deployMode == null ? conf : conf.set("spark.submit.deployMode", deployMode);
    }

    @Test
    void onlyAYarnClusterDriverReturnsToItsLauncher() {
        assertTrue(JobExit.returnsToYarn(conf("yarn", "cluster")));
        assertFalse(JobExit.returnsToYarn(conf("yarn", "client")));
        assertFalse(JobExit.returnsToYarn(conf("yarn", null)));
        assertFalse(JobExit.returnsToYarn(conf("k8s://https://api:6443", "cluster")), "a Kubernetes driver pod reads the JVM's exit code");
        assertFalse(JobExit.returnsToYarn(conf("spark://master:7077", "cluster")));
        assertFalse(JobExit.returnsToYarn(conf("local[2]", null)));
    }

    @Test
    void aYarnClusterDriverReturnsOnSuccessAndHandsAFailuresCodeToTheApplicationMaster() throws SparkUserAppException {
        JobExit.exit(JobExit.OK, conf("yarn", "cluster"));
        SparkUserAppException failure = assertThrows(SparkUserAppException.class, () -> JobExit.exit(JobExit.BAD_INPUT, conf("yarn", "cluster")));
        assertEquals(JobExit.BAD_INPUT, failure.exitCode());
    }
}
