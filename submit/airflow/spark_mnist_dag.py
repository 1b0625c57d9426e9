"""spark-mnist on a schedule: one spark-submit of the cluster jar per logical date.

The task `train` runs org.sparkmnist.job.MnistTrainingJob from spark-mnist-<version>-cluster.jar
(whose reference.conf holds the tuned defaults) with SparkSubmitOperator: an optional config file of
your own, then data.dir, output.dir, run.id = the logical date (YYYYMMDDTHHMMSS), train.epochs,
models and your overrides. Each run writes <output_dir>/<run.id>/; a retry or a rerun of the same
logical date replaces that run directory atomically. What DL4J needs on the executors (JavaCPP's
limits, OpenMP threads, the YARN/Kubernetes memory overhead) the job derives from the Spark
configuration itself.

Site settings come from one JSON Airflow Variable, "spark_mnist" (every key optional; DEFAULTS
below), read when the task runs: a bad Variable fails the task, and its log's last line says why.

    airflow variables set --json spark_mnist '{"conn_id": "spark_yarn",
      "jar": "/opt/spark-mnist/spark-mnist-cluster.jar",
      "data_dir": "hdfs:///data/mnist", "output_dir": "hdfs:///runs/spark-mnist",
      "executor_memory": "4g", "num_executors": 4, "overrides": {"train.batch-size": 128}}'

Per-run values are DAG params (trigger with config): epochs and models. See README.md beside this
file. Another task (scoring, say) is added as one more operator under the `with DAG` block, set
downstream of `train`: `train >> score`; job_arguments() is the model for its arguments.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from typing import Any

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import DAG, Param, Variable
from airflow.sdk.exceptions import AirflowException, AirflowFailException

MAIN_CLASS = "org.sparkmnist.job.MnistTrainingJob"
VARIABLE = "spark_mnist"
SCHEDULE = "@daily"

DEFAULTS: dict[str, Any] = {
    # Airflow connection of type Spark: host = master URL (yarn, k8s://https://..., spark://..., local[2]).
    "conn_id": "spark_default",
    # Overrides the connection's "deploy-mode" extra. In cluster mode the driver finds the shipped
    # config file in its working directory, in client mode it reads it where it is.
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
    # More Spark settings, e.g. {"spark.driver.memoryOverhead": "3g"} for a YARN cluster-mode driver.
    "conf": {},
    # More key=value overrides for the job; every key must exist in reference.conf.
    "overrides": {},
}


def site_settings(raw: Any) -> dict[str, Any]:
    """DEFAULTS overlaid with the Variable's JSON, checked; a problem is one line naming the key."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as e:
            raise ValueError(f"{VARIABLE} Variable is not JSON: {e}") from None
    if not isinstance(raw, dict):
        raise ValueError(f"{VARIABLE} Variable must be a JSON object, got {type(raw).__name__}")
    unknown = sorted(set(raw) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"{VARIABLE} Variable: unknown keys {unknown}; known: {sorted(DEFAULTS)}")
    settings = {**DEFAULTS, **raw}
    if settings["deploy_mode"] not in ("client", "cluster"):
        raise ValueError(f"{VARIABLE} Variable: deploy_mode must be client or cluster, got {settings['deploy_mode']!r}")
    for key in ("conf", "overrides"):
        if not isinstance(settings[key], dict):
            raise ValueError(f"{VARIABLE} Variable: {key} must be a JSON object, got {settings[key]!r}")
    return settings


def job_arguments(settings: dict[str, Any], run_id: str, params: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The job's arguments and the config files to ship (config files first, then key=value)."""
    confs = [settings["conf_file"]] if settings["conf_file"] else []
    # Shipped with --files into a cluster-mode driver's working directory: the job gets their names.
    conf_args = [os.path.basename(c) for c in confs] if settings["deploy_mode"] == "cluster" else confs
    args = conf_args + [
        f"data.dir={settings['data_dir']}",
        f"output.dir={settings['output_dir']}",
        f"run.id={run_id}",
        f"train.epochs={params['epochs']}",
        f"models={params['models']}",
    ]
    args += [f"{key}={value}" for key, value in settings["overrides"].items()]
    return args, confs


class SparkMnistSubmitOperator(SparkSubmitOperator):
    """SparkSubmitOperator that takes its settings from the Variable when the task runs, and fails
    with the job's own one-line reason (the last line spark-submit printed) as its message; without
    retries when a retry would fail the same way (a bad Variable, the job's exit code 2)."""

    def execute(self, context: Any) -> Any:
        try:
            settings = site_settings(Variable.get(VARIABLE, default={}, deserialize_json=True))
        except ValueError as e:
            raise AirflowFailException(str(e)) from None
        # The logical date, not the wall clock: a rerun of the same interval replaces its run.
        logical_date = context.get("logical_date") or context["dag_run"].run_after
        run_id = logical_date.strftime("%Y%m%dT%H%M%S")
        self.application_args, confs = job_arguments(settings, run_id, context["params"])
        self.application = settings["jar"]
        self.files = ",".join(confs) or None
        self.conf = dict(settings["conf"])
        self.name = f"spark-mnist-{run_id}"
        self._conn_id = settings["conn_id"]
        self._deploy_mode = settings["deploy_mode"]
        self._executor_memory = settings["executor_memory"]
        self._executor_cores = settings["executor_cores"]
        self._num_executors = settings["num_executors"]
        self._driver_memory = settings["driver_memory"]
        self._hook = None
        try:
            return super().execute(context)
        except AirflowException as failure:
            printed = [line for line in getattr(self._hook, "_last_submit_log_lines", []) if line.strip()]
            reason = printed[-1] if printed else str(failure).splitlines()[0]
            exit_code = getattr(getattr(self._hook, "_submit_sp", None), "returncode", None)
            # The job's exit code 2 is bad input or config, which a retry would meet again.
            kind = AirflowFailException if exit_code == 2 else AirflowException
            raise kind(f"spark-mnist run {run_id} failed (exit code {exit_code}): {reason}") from None


with DAG(
    dag_id="spark_mnist",
    description="Train the Keras MNIST tutorial models with DL4J on Spark",
    schedule=SCHEDULE,
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
    train = SparkMnistSubmitOperator(
        task_id="train",
        java_class=MAIN_CLASS,
        # A failed run exits non-zero with a one-line reason last on stderr; keep the task log short.
        verbose=False,
        execution_timeout=timedelta(hours=6),
    )
