"""spark-mnist on a schedule: one spark-submit of the cluster jar per logical date.

The task runs the same command submit/spark-submit.sh builds: the job's main class in
spark-mnist-<version>-cluster.jar (whose reference.conf holds the tuned defaults), an optional
config file of your own (shipped with --files), key=value overrides, and the JVM options DL4J needs
on the executors. Each run writes <output_dir>/<logical date as YYYYMMDDTHHMMSS>/; a retry or a rerun of
the same logical date replaces that run directory atomically, so retries are safe.

Site settings come from one JSON Airflow Variable, "spark_mnist" (every key optional, defaults in
DEFAULTS below), for example:

    airflow variables set --json spark_mnist '{
      "conn_id": "spark_yarn", "deploy_mode": "cluster",
      "jar": "/opt/spark-mnist/spark-mnist-0.1.0-SNAPSHOT-cluster.jar",
      "conf_file": "/opt/spark-mnist/conf/nightly.conf",
      "data_dir": "hdfs:///data/mnist", "output_dir": "hdfs:///runs/spark-mnist",
      "executor_memory": "4g", "executor_cores": 2, "num_executors": 4, "driver_memory": "2g",
      "overrides": {"train.batch-size": 128}}'

Per-run knobs are DAG params (Trigger DAG w/ config): epochs and models.
See README.md beside this file.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.models.param import Param
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

MAIN_CLASS = "org.sparkmnist.job.MnistTrainingJob"

DEFAULTS = {
    # Airflow connection of type Spark: host = master URL (yarn, k8s://https://..., spark://...).
    "conn_id": "spark_default",
    # Must match the connection's "deploy-mode" extra: in cluster mode the driver finds the shipped
    # config files in its working directory, in client mode it reads them where they are.
    "deploy_mode": "cluster",
    "jar": "/opt/spark-mnist/spark-mnist-cluster.jar",
    # An optional HOCON file of your own, layered on the jar's reference.conf.
    "conf_file": "",
    "data_dir": "hdfs:///data/mnist",
    "output_dir": "hdfs:///runs/spark-mnist",
    "executor_memory": "4g",
    "executor_cores": 2,
    "num_executors": 4,
    "driver_memory": "2g",
    # Where each executor unpacks ND4J's ~400 MB of native libraries; relative means its own
    # working directory (always writable, unpacked once per executor).
    "javacpp_cachedir": "javacpp-cache",
    # More key=value overrides for the job; every key must exist in reference.conf.
    "overrides": {},
    "schedule": "@daily",
}

def settings() -> dict:
    """DEFAULTS overlaid with the "spark_mnist" Variable (read once per DAG-file parse)."""
    merged = dict(DEFAULTS)
    merged.update(Variable.get("spark_mnist", default_var={}, deserialize_json=True) or {})
    unknown = sorted(set(merged) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"spark_mnist Variable: unknown keys {unknown}; known: {sorted(DEFAULTS)}")
    if merged["deploy_mode"] not in ("client", "cluster"):
        raise ValueError(f"spark_mnist Variable: deploy_mode must be client or cluster, got {merged['deploy_mode']!r}")
    return merged


def mebibytes(size: str) -> int:
    """A Spark memory size (512m, 4g, 2048 = MiB) in MiB."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([kmgt]?)b?", str(size).strip().lower())
    if not match:
        raise ValueError(f"not a memory size: {size!r}")
    factor = {"k": 1 / 1024, "": 1, "m": 1, "g": 1024, "t": 1024 * 1024}[match.group(2)]
    return round(float(match.group(1)) * factor)


def javacpp_options(memory: str, cachedir: str) -> str:
    """JavaCPP's limits for a JVM of `memory`, sized as submit/spark-submit.sh sizes them."""
    max_bytes = mebibytes(memory)
    physical = mebibytes(memory) + max_bytes + 1024
    return (f"-Dorg.bytedeco.javacpp.maxbytes={max_bytes}m "
            f"-Dorg.bytedeco.javacpp.maxphysicalbytes={physical}m "
            f"-Dorg.bytedeco.javacpp.cachedir={cachedir}")


def job_arguments(s: dict) -> tuple[list[str], list[str]]:
    """The job's arguments and the config files to ship, as submit/spark-submit.sh passes them."""
    confs = [s["conf_file"]] if s["conf_file"] else []
    if s["deploy_mode"] == "cluster":
        # Shipped with --files into the driver's working directory: the job gets their names.
        names = [os.path.basename(c) for c in confs]
        if len(set(names)) != len(names):
            raise ValueError(f"config files must have distinct names in cluster mode: {confs}")
        conf_args = names
    else:
        conf_args = confs
    args = conf_args + [
        f"data.dir={s['data_dir']}",
        f"output.dir={s['output_dir']}",
        # The logical date, not the wall clock: a rerun of the same interval replaces its run.
        "run.id={{ ts_nodash }}",
        "train.epochs={{ params.epochs }}",
        "models={{ params.models }}",
    ]
    args += [f"{key}={value}" for key, value in s["overrides"].items()]
    return args, confs


def spark_conf(s: dict) -> dict:
    """The settings submit/spark-submit.sh adds for DL4J, for the same sizes."""
    executor_max = mebibytes(s["executor_memory"])
    driver_max = mebibytes(s["driver_memory"])
    return {
        "spark.executor.extraJavaOptions": javacpp_options(s["executor_memory"], s["javacpp_cachedir"]),
        "spark.driver.extraJavaOptions": javacpp_options(s["driver_memory"], s["javacpp_cachedir"]),
        # One BLAS thread per core an executor owns.
        "spark.executorEnv.OMP_NUM_THREADS": str(s["executor_cores"]),
        # YARN and Kubernetes size containers as memory + overhead; ND4J's arrays live off-heap.
        "spark.executor.memoryOverhead": f"{executor_max + 1024}m",
        "spark.driver.memoryOverhead": f"{driver_max + 1024}m",
    }


SETTINGS = settings()
APPLICATION_ARGS, CONF_FILES = job_arguments(SETTINGS)

with DAG(
    dag_id="spark_mnist",
    description="Train the Keras MNIST tutorial models with DL4J on Spark",
    schedule=SETTINGS["schedule"],
    start_date=datetime(2026, 1, 1),
    catchup=False,
    # One training at a time: runs compete for the same executors.
    max_active_runs=1,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=10)},
    params={
        "epochs": Param(10, type="integer", minimum=1, description="train.epochs"),
        "models": Param("[softmax, mlp]", type="string", description="models, a HOCON list"),
    },
    tags=["spark", "mnist"],
) as dag:
    train = SparkSubmitOperator(
        task_id="train",
        conn_id=SETTINGS["conn_id"],
        application=SETTINGS["jar"],
        java_class=MAIN_CLASS,
        name="spark-mnist-{{ ts_nodash }}",
        files=",".join(CONF_FILES) or None,
        application_args=APPLICATION_ARGS,
        conf=spark_conf(SETTINGS),
        executor_memory=SETTINGS["executor_memory"],
        executor_cores=SETTINGS["executor_cores"],
        num_executors=SETTINGS["num_executors"],
        driver_memory=SETTINGS["driver_memory"],
        # A failed run exits non-zero with a one-line reason last on stderr; keep the task log short.
        verbose=False,
        execution_timeout=timedelta(hours=6),
    )
