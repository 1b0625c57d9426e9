"""spark-mnist on a schedule: train, then score, one spark-submit of the cluster jar each per logical date.

The task `train` runs org.sparkmnist.job.MnistTrainingJob from spark-mnist-<version>-cluster.jar
(whose reference.conf holds the tuned defaults) with SparkSubmitOperator: an optional config file of
your own, then data.dir, output.dir, run.id = the logical date (YYYYMMDDTHHMMSS), train.epochs,
models and your overrides. Each run writes <output_dir>/<run.id>/; a retry or a rerun of the same
logical date replaces that run directory atomically. What DL4J needs on the executors (JavaCPP's
limits, OpenMP threads, the YARN/Kubernetes memory overhead) the job derives from the Spark
configuration itself.

The task `score`, after `train`, runs org.sparkmnist.scoring.MnistScoringJob from the same jar: it
scores the Variable's score_input (and score_labels) with model score_model of the run `train` wrote
for the same logical date (score.model.run = <output_dir>/<YYYYMMDDTHHMMSS>), as run.id
<YYYYMMDDTHHMMSS>-score: its own run directory, so a retry or a rerun replaces its predictions whole
and never the training run. Without a score_input the task is skipped.

Site settings come from one JSON Airflow Variable, "spark_mnist" (every key optional; DEFAULTS
below), read when the task runs: a bad Variable fails the task, and its log's last line says why.

    airflow variables set --json spark_mnist '{"conn_id": "spark_yarn",
      "jar": "/opt/spark-mnist/spark-mnist-cluster.jar",
      "data_dir": "hdfs:///data/mnist", "output_dir": "hdfs:///runs/spark-mnist",
      "executor_memory": "4g", "num_executors": 4, "overrides": {"train.batch-size": 128}}'

Per-run values are DAG params (trigger with config): epochs, models and score_model. See README.md
beside this file. Another task is one more subclass of SparkMnistSubmitOperator (its job_run() says
what it runs) under the `with DAG` block, ordered with `>>`.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from typing import Any

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import DAG, Param, Variable
from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowSkipException

MAIN_CLASS = "org.sparkmnist.job.MnistTrainingJob"
SCORING_CLASS = "org.sparkmnist.scoring.MnistScoringJob"
VARIABLE = "spark_mnist"
SCHEDULE = "@daily"
# The JDK's Vector API, an incubator module: the optimizer's updates run as SIMD with it and as a scalar
# loop without. The job adds it to its executors' options itself; the driver's JVM (which trains in local
# mode) is started by spark-submit before the job runs, so it has to be asked for here.
VECTOR_MODULE_OPTION = "--add-modules=jdk.incubator.vector"
DRIVER_JAVA_OPTIONS = "spark.driver.extraJavaOptions"

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
    # More key=value overrides, given to both jobs (each ignores the other's sections); every key
    # must exist in reference.conf, e.g. {"train.batch-size": 128, "score.format": "csv"}.
    "overrides": {},
    # What the score task scores with the model train just trained (path or URI): an idx image file
    # (raw or .gz) or a directory of image files. Empty: the score task is skipped.
    "score_input": "",
    # Optional labels of score_input: an idx labels file, or a file,label CSV for a directory.
    "score_labels": "",
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
    for key in ("score_input", "score_labels"):
        if not isinstance(settings[key], str):
            raise ValueError(f"{VARIABLE} Variable: {key} must be a string (a path or URI), got {settings[key]!r}")
    if settings["score_labels"] and not settings["score_input"]:
        raise ValueError(f"{VARIABLE} Variable: score_labels is set but score_input is empty; set both, or neither")
    return settings


def spark_conf(settings: dict[str, Any]) -> dict[str, Any]:
    """The Variable's Spark conf, with the Vector API module added to the driver's own JVM options."""
    conf = dict(settings["conf"])
    options = str(conf.get(DRIVER_JAVA_OPTIONS, "")).strip()
    if VECTOR_MODULE_OPTION not in options.split():
        conf[DRIVER_JAVA_OPTIONS] = f"{options} {VECTOR_MODULE_OPTION}".strip()
    return conf


def run_ids(logical_date: datetime) -> tuple[str, str]:
    """The training run's id and its scoring run's, both from the logical date, never the wall clock:
    a retry or a rerun of the same interval replaces exactly its own runs."""
    train_id = logical_date.strftime("%Y%m%dT%H%M%S")
    return train_id, f"{train_id}-score"


def config_files(settings: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The config file arguments of a job, and the files to ship with --files."""
    confs = [settings["conf_file"]] if settings["conf_file"] else []
    # Shipped with --files into a cluster-mode driver's working directory: the job gets their names.
    conf_args = [os.path.basename(c) for c in confs] if settings["deploy_mode"] == "cluster" else confs
    return conf_args, confs


def overrides(settings: dict[str, Any]) -> list[str]:
    return [f"{key}={value}" for key, value in settings["overrides"].items()]


def job_arguments(settings: dict[str, Any], run_id: str, params: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The training job's arguments and the config files to ship (config files first, then key=value)."""
    conf_args, confs = config_files(settings)
    args = conf_args + [
        f"data.dir={settings['data_dir']}",
        f"output.dir={settings['output_dir']}",
        f"run.id={run_id}",
        f"train.epochs={params['epochs']}",
        f"models={params['models']}",
    ]
    return args + overrides(settings), confs


def scoring_arguments(settings: dict[str, Any], run_id: str, model_run_id: str, params: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The scoring job's arguments: score_input with the model of training run model_run_id, into run_id."""
    conf_args, confs = config_files(settings)
    args = conf_args + [
        f"output.dir={settings['output_dir']}",
        f"run.id={run_id}",
        f"score.model.run={settings['output_dir'].rstrip('/')}/{model_run_id}",
        f"score.model.name={params['score_model']}",
        f"score.input.path={settings['score_input']}",
    ]
    if settings["score_labels"]:
        args.append(f"score.input.labels={settings['score_labels']}")
    return args + overrides(settings), confs


class SparkMnistSubmitOperator(SparkSubmitOperator):
    """SparkSubmitOperator that takes its settings from the Variable when the task runs, and fails
    with the job's own one-line reason (the last line spark-submit printed) as its message; without
    retries when a retry would fail the same way (a bad Variable, the job's exit code 2). A subclass
    says which run of which job it submits (job_run)."""

    def job_run(self, settings: dict[str, Any], logical_date: datetime, params: dict[str, Any]) -> tuple[str, list[str], list[str]]:
        """The run id, the job's arguments and the config files to ship."""
        raise NotImplementedError

    def execute(self, context: Any) -> Any:
        try:
            settings = site_settings(Variable.get(VARIABLE, default={}, deserialize_json=True))
        except ValueError as e:
            raise AirflowFailException(str(e)) from None
        # The logical date, not the wall clock: a rerun of the same interval replaces its run.
        logical_date = context.get("logical_date") or context["dag_run"].run_after
        run_id, self.application_args, confs = self.job_run(settings, logical_date, context["params"])
        self.application = settings["jar"]
        self.files = ",".join(confs) or None
        self.conf = spark_conf(settings)
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


class TrainOperator(SparkMnistSubmitOperator):
    """Trains the params' models into <output_dir>/<logical date>."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(java_class=MAIN_CLASS, **kwargs)

    def job_run(self, settings: dict[str, Any], logical_date: datetime, params: dict[str, Any]) -> tuple[str, list[str], list[str]]:
        train_id, _ = run_ids(logical_date)
        return (train_id, *job_arguments(settings, train_id, params))


class ScoreOperator(SparkMnistSubmitOperator):
    """Scores score_input with the run TrainOperator wrote for the same logical date, into
    <output_dir>/<logical date>-score; skipped when there is no score_input."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(java_class=SCORING_CLASS, **kwargs)

    def job_run(self, settings: dict[str, Any], logical_date: datetime, params: dict[str, Any]) -> tuple[str, list[str], list[str]]:
        if not settings["score_input"]:
            raise AirflowSkipException(f"nothing to score: the {VARIABLE} Variable has no score_input")
        train_id, score_id = run_ids(logical_date)
        return (score_id, *scoring_arguments(settings, score_id, train_id, params))


with DAG(
    dag_id="spark_mnist",
    description="Train the Keras MNIST tutorial models with DL4J on Spark, then score new images with them",
    schedule=SCHEDULE,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    # One training at a time: runs compete for the same executors.
    max_active_runs=1,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=10)},
    params={
        "epochs": Param(10, type="integer", minimum=1, description="train.epochs"),
        "models": Param("[softmax, mlp]", type="string", description="models, a HOCON list"),
        "score_model": Param("mlp", type="string", description="score.model.name: which of the trained models scores"),
    },
    tags=["spark", "mnist"],
) as dag:
    train = TrainOperator(
        task_id="train",
        # A failed run exits non-zero with a one-line reason last on stderr; keep the task log short.
        verbose=False,
        execution_timeout=timedelta(hours=6),
    )
    score = ScoreOperator(
        task_id="score",
        verbose=False,
        execution_timeout=timedelta(hours=2),
    )
    # Only a committed training run is scored: a failed train leaves score upstream_failed.
    train >> score
