package org.sparkmnist.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparkmnist.testing.Scripts;

/**
 * The Airflow DAG cannot be run here (Airflow is not installable), so submit/airflow/test_dag.py
 * compiles it and checks, against stand-ins for Airflow, that the spark-submit it would run matches
 * the job's interface. This runs that script with the unit tests; python3 is a build prerequisite.
 */
class AirflowDagTest {

    @Test
    void dagSubmitsTheJobTheWaySparkSubmitShDoes() {
        Scripts.Result result = Scripts.run(List.of("python3", "submit/airflow/test_dag.py"), Map.of("PYTHONDONTWRITEBYTECODE", "1"),
                Path.of("target", "airflow-dag-test.log").toAbsolutePath(), Duration.ofMinutes(2));
        assertEquals(0, result.exitCode(), "submit/airflow/test_dag.py failed:\n" + result.output());
    }
}
