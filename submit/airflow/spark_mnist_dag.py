"""spark-mnist on a schedule: train, then score, one spark-submit of the cluster jar each per logical date.

The task `train` runs org.sparkmnist.job.MnistTrainingJob from spark-mnist-<version>-cluster.jar
(whose reference.conf holds the tuned defaults) with SparkSubmitOperator: an optional config file of
your own, then data.dir, output.dir, run.id = the logical date (YYYYMMDDTHHMMSS), train.epochs,
models and your overrides. Each run writes <output_dir>/<run.id>/; a retry or a rerun of the same
logical date replaces that run directory atomically. What DL4J needs on the executors (JavaCPP's
limits, OpenMP threads, the YARN/Kubernetes memory overhead) the job derives from the Spark
configuration itself.

The task `score`, after `train`, runs org.sparkmnist.scoring.MnistScoringJob from the same jar: it
scores the Variable's score_input (and score_labels), each a template such as
hdfs:///incoming/{{ ds }}/, with model score_model of the run `train` wrote for the same logical
date, as run.id <YYYYMMDDTHHMMSS>-score: its own run directory, so a retry or a rerun replaces its
predictions whole and never the training run. Without a score_input the task is skipped.

Each task's outlet is an Airflow Asset, spark_mnist_training_run and spark_mnist_scoring_run: a DAG
scheduled on one runs after each committed run, and finds the run's URI in the triggering event's
extra ("run").

Site settings come from one JSON Airflow Variable, "spark_mnist" (every key optional; DEFAULTS
below), which the operators' templated fields read when the task runs (the Rendered Template view
shows the spark-submit arguments they became): a bad Variable fails the task without retries, and its
log's last line says why.

    airflow variables set --json spark_mnist '{"conn_id": "spark_yarn",
      "jar": "hdfs:///apps/spark-mnist/spark-mnist-cluster.jar",
      "data_dir": "hdfs:///data/mnist", "output_dir": "hdfs:///runs/spark-mnist",
      "executor_memory": "4g", "num_executors": 4, "overrides": {"train.batch-size": 128}}'

On YARN in cluster mode (the connection's host "yarn", the default deploy_mode "cluster") the task
hands the application to YARN and follows it through the ResourceManager's REST API (the connection's
extra names it: yarn_resourcemanager_webapp_address); a retry after a lost worker re-attaches to the
application while it still runs instead of submitting it again. Per-run values are DAG params
(trigger with config): epochs, models and score_model. See README.md beside this file.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from datetime import datetime, timedelta
from typing import Any

import requests
from jinja2 import pass_context
from jinja2.runtime import Context as JinjaContext

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import DAG, Asset, BaseHook, Connection, Param, Variable, task
from airflow.sdk.exceptions import (
    AirflowException,
    AirflowFailException,
    AirflowNotFoundException,
    AirflowSkipException,
)

TRAINING_CLASS = "org.sparkmnist.job.MnistTrainingJob"
SCORING_CLASS = "org.sparkmnist.scoring.MnistScoringJob"
VARIABLE = "spark_mnist"
SCHEDULE = "@daily"
# The JDK's Vector API, an incubator module: the optimizer's updates run as SIMD with it and as a scalar
# loop without. The job adds it to its executors' options itself; the driver's JVM (which trains in local
# mode) is started by spark-submit before the job runs, so it has to be asked for here.
VECTOR_MODULE_OPTION = "--add-modules=jdk.incubator.vector"
DRIVER_JAVA_OPTIONS = "spark.driver.extraJavaOptions"
# The key of a Spark connection's extra that names the ResourceManager's web address for the provider.
RESOURCE_MANAGER_EXTRA = "yarn_resourcemanager_webapp_address"
# The job's last line on stderr says why it stopped: "spark-mnist: error: ..." for bad input or config
# (its exit code 2, which a retry would meet again), "spark-mnist: failed: ..." for anything else.
JOB_REASON = "spark-mnist: "
BAD_INPUT = "spark-mnist: error: "

# What the tasks commit, for DAGs scheduled on a new model or new predictions.
TRAINING_RUN = Asset("spark_mnist_training_run")
SCORING_RUN = Asset("spark_mnist_scoring_run")

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
    # What the score task scores with the model train just trained (path or URI, a template rendered
    # in the task's context, e.g. hdfs:///incoming/{{ ds }}/): an idx image file (raw or .gz) or a
    # directory of image files. Empty: the score task is skipped.
    "score_input": "",
    # Optional labels of score_input (a template too): an idx labels file, or a file,label CSV for a directory.
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


def master_of(conn: Connection) -> str:
    """The master URL spark-submit gets from a Spark connection: its host (yarn, k8s://..., spark://..., local[N])."""
    host = conn.host or ""
    return host if conn.conn_type == "spark" and ("://" in host or not conn.port) else f"{conn.conn_type}://{host}"


def check_connection(settings: dict[str, Any]) -> str:
    """The master of the Variable's connection, which must exist and be one this worker can submit to;
    otherwise one line that says what to do."""
    try:
        conn = BaseHook.get_connection(settings["conn_id"])
    except AirflowNotFoundException:
        # The provider would quietly submit to "yarn" instead.
        raise ValueError(f"{VARIABLE} Variable: conn_id {settings['conn_id']!r} names no Airflow connection") from None
    master = master_of(conn)
    if "k8s" in master and not installed("airflow.providers.cncf.kubernetes"):
        raise ValueError(
            f"connection {conn.conn_id!r} submits to Kubernetes ({master}): the Spark provider needs "
            f"apache-airflow-providers-cncf-kubernetes installed beside it on the workers (pip install "
            f"apache-airflow-providers-cncf-kubernetes); this DAG is untested on Kubernetes"
        )
    return master


def installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        # find_spec imports the parent packages, and without any cncf provider there is no airflow.providers.cncf.
        return False


@task(retries=0)
def spark_target() -> list[dict[str, Any]]:
    """
    Reads the Variable and the connection it names, checks both, and returns where and how train and
    score submit: SparkSubmitOperator's constructor arguments conn_id, deploy_mode and
    yarn_track_via_rm_api, which the provider takes only when an operator is built. The tasks are
    mapped over this one-element list (expand_kwargs) for that: a mapped task's operator is built
    when it runs, with these arguments.
    """
    try:
        settings = site_settings(Variable.get(VARIABLE, default="{}"))
        master = check_connection(settings)
    except ValueError as e:
        raise AirflowFailException(str(e)) from None
    return [{
        "conn_id": settings["conn_id"],
        "deploy_mode": settings["deploy_mode"],
        # YARN in cluster mode, the durable way: spark-submit returns once YARN has the application,
        # whose id the task keeps in its state store, then the task polls the ResourceManager's REST
        # API; a retry after a lost worker re-attaches to a running application instead of
        # submitting it again.
        "yarn_track_via_rm_api": "yarn" in master and settings["deploy_mode"] == "cluster",
    }]


def spark_conf(settings: dict[str, Any]) -> dict[str, Any]:
    """The Variable's Spark conf with its sizes, and the Vector API module added to the driver's own JVM options."""
    conf = dict(settings["conf"])
    options = str(conf.get(DRIVER_JAVA_OPTIONS, "")).strip()
    if VECTOR_MODULE_OPTION not in options.split():
        conf[DRIVER_JAVA_OPTIONS] = f"{options} {VECTOR_MODULE_OPTION}".strip()
    # As spark-submit's --executor-memory and friends would: over any of the same keys in "conf".
    conf["spark.executor.memory"] = settings["executor_memory"]
    conf["spark.executor.cores"] = settings["executor_cores"]
    conf["spark.executor.instances"] = settings["num_executors"]
    conf["spark.driver.memory"] = settings["driver_memory"]
    return conf


def run_ids(logical_date: datetime) -> tuple[str, str]:
    """The training run's id and its scoring run's, both from the logical date, never the wall clock:
    a retry or a rerun of the same interval replaces exactly its own runs."""
    train_id = logical_date.strftime("%Y%m%dT%H%M%S")
    return train_id, f"{train_id}-score"


def config_files(settings: dict[str, Any]) -> tuple[list[str], str | None]:
    """The config file arguments of a job, and the files to ship with --files."""
    confs = [settings["conf_file"]] if settings["conf_file"] else []
    # Shipped with --files into a cluster-mode driver's working directory: the job gets their names.
    conf_args = [os.path.basename(c) for c in confs] if settings["deploy_mode"] == "cluster" else confs
    return conf_args, ",".join(confs) or None


def overrides(settings: dict[str, Any]) -> list[str]:
    return [f"{key}={value}" for key, value in settings["overrides"].items()]


def arguments(settings: dict[str, Any], keys: list[str]) -> list[str]:
    """A job's arguments: config files first, then key=value, the user's overrides last."""
    conf_args, _ = config_files(settings)
    return conf_args + keys + overrides(settings)


def run_place(settings: dict[str, Any], run_id: str) -> list[str]:
    """Where a run writes, named the same way to the training and the scoring job."""
    return [f"output.dir={settings['output_dir']}", f"run.id={run_id}"]


def job_arguments(settings: dict[str, Any], run_id: str, params: dict[str, Any]) -> list[str]:
    """The training job's arguments."""
    return arguments(settings, [f"data.dir={settings['data_dir']}"] + run_place(settings, run_id)
                     + [f"train.epochs={params['epochs']}", f"models={params['models']}"])


def scoring_arguments(settings: dict[str, Any], run_id: str, model_run_id: str, params: dict[str, Any],
                      score_input: str, score_labels: str) -> list[str]:
    """The scoring job's arguments: score_input with the model of training run model_run_id, into run_id."""
    keys = run_place(settings, run_id) + [
        f"score.model.run={run_uri(settings, model_run_id)}",
        f"score.model.name={params['score_model']}",
        f"score.input.path={score_input}",
    ]
    if score_labels:
        keys.append(f"score.input.labels={score_labels}")
    return arguments(settings, keys)


def run_uri(settings: dict[str, Any], run_id: str) -> str:
    return f"{settings['output_dir'].rstrip('/')}/{run_id}"


def logical_date(context: JinjaContext) -> datetime:
    # The logical date, not the wall clock: a rerun of the same interval replaces its run.
    return context.get("logical_date") or context["dag_run"].run_after


def render(context: JinjaContext, template: str) -> str:
    """A template of the Variable's, e.g. hdfs:///incoming/{{ ds }}/, in the task's own context."""
    if "{{" not in template and "{%" not in template:
        return template
    return str(context.environment.from_string(template).render(context.get_all()))


class SparkMnistTemplates:
    """
    What the operators' templated fields render from, as the DAG's macro "spark_mnist": the Variable,
    read and checked when the task runs (a problem fails the task without retries, naming the key),
    and the run ids of the logical date.
    """

    def settings(self) -> dict[str, Any]:
        try:
            settings = site_settings(Variable.get(VARIABLE, default="{}"))
        except ValueError as e:
            raise AirflowFailException(str(e)) from None
        return settings

    def jar(self) -> str:
        return self.settings()["jar"]

    def spark_conf(self) -> dict[str, Any]:
        return spark_conf(self.settings())

    def files(self) -> str | None:
        return config_files(self.settings())[1]

    def run_uri(self, run_id: str) -> str:
        return run_uri(self.settings(), run_id)

    @pass_context
    def training_run_id(self, context: JinjaContext) -> str:
        return run_ids(logical_date(context))[0]

    @pass_context
    def scoring_run_id(self, context: JinjaContext) -> str:
        return run_ids(logical_date(context))[1]

    @pass_context
    def training_arguments(self, context: JinjaContext) -> list[str]:
        return job_arguments(self.settings(), self.training_run_id(context), context["params"])

    @pass_context
    def scoring_arguments(self, context: JinjaContext) -> list[str]:
        """The scoring job's arguments, or none when the Variable names nothing to score."""
        settings = self.settings()
        if not settings["score_input"]:
            return []
        train_id, score_id = run_ids(logical_date(context))
        score_input, score_labels = (render(context, settings[key]) for key in ("score_input", "score_labels"))
        return scoring_arguments(settings, score_id, train_id, context["params"], score_input, score_labels)


class SparkMnistSubmitOperator(SparkSubmitOperator):
    """
    spark-submit of the cluster jar, set up from the spark_mnist Variable by templates (the jar, the
    Spark conf, the config file to ship); a subclass templates the job's name and arguments and
    `run`, the URI of the run the job commits. The task fails with the job's own one-line reason,
    without retries when a retry would fail the same way (a bad Variable, bad input or config). Each
    outlet's asset event carries the committed run's URI as its extra "run".
    """

    template_fields = (*SparkSubmitOperator.template_fields, "run")

    def __init__(self, *, run: str, conn_id: str = DEFAULTS["conn_id"], yarn_track_via_rm_api: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(
            conn_id=conn_id,
            yarn_track_via_rm_api=yarn_track_via_rm_api,
            application="{{ spark_mnist.jar() }}",
            conf="{{ spark_mnist.spark_conf() }}",
            files="{{ spark_mnist.files() }}",
            # A failed run exits non-zero with a one-line reason last on stderr; keep the task log short.
            verbose=False,
            **kwargs,
        )
        self.run = run
        # What the task tells of a YARN application comes from its driver's log, which the
        # ResourceManager the connection names points to.
        self.spark_conn_id = conn_id
        self.tracks_yarn_application = yarn_track_via_rm_api

    def execute(self, context: Any) -> None:
        try:
            super().execute(context)
        except (AirflowException, RuntimeError, ValueError) as failure:
            raise task_failure(self.run, self.spark_conn_id, failure, self.log) from None
        store = context.get("task_state_store")
        if store is not None:
            if self.tracks_yarn_application:
                self.log_driver_outcome(store.get(self.external_id_key))
            # A Clear or a rerun of this date is a new submission: the application id a retry would
            # re-attach to is done with once the task has seen its application succeed.
            store.delete(self.external_id_key)
        for asset in self.outlets:
            context["outlet_events"][asset].extra = {"run": self.run}

    def log_driver_outcome(self, application: str | None) -> None:
        """The driver's last line (the run it committed), which in cluster mode only YARN's logs hold."""
        if not application:
            return
        try:
            lines = [line for line in application_master_stderr(application, self.spark_conn_id).splitlines() if line.strip()]
        except (requests.RequestException, ValueError, KeyError) as e:
            self.log.warning("could not read the driver's log of %s from YARN: %s", application, e)
            return
        self.log.info("YARN application %s succeeded; its driver's last line: %s", application, lines[-1] if lines else "(none)")


class TrainOperator(SparkMnistSubmitOperator):
    """Trains the params' models into <output_dir>/<logical date>."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            java_class=TRAINING_CLASS,
            name="spark-mnist-{{ spark_mnist.training_run_id() }}",
            run="{{ spark_mnist.run_uri(spark_mnist.training_run_id()) }}",
            application_args="{{ spark_mnist.training_arguments() }}",
            **kwargs,
        )


class ScoreOperator(SparkMnistSubmitOperator):
    """Scores score_input with the run TrainOperator wrote for the same logical date, into
    <output_dir>/<logical date>-score; skipped when there is no score_input."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            java_class=SCORING_CLASS,
            name="spark-mnist-{{ spark_mnist.scoring_run_id() }}",
            run="{{ spark_mnist.run_uri(spark_mnist.scoring_run_id()) }}",
            application_args="{{ spark_mnist.scoring_arguments() }}",
            **kwargs,
        )

    def execute(self, context: Any) -> None:
        if not self.application_args:
            raise AirflowSkipException(f"nothing to score: the {VARIABLE} Variable has no score_input")
        super().execute(context)


def task_failure(run: str, conn_id: str, failure: Exception, log: Any) -> AirflowException:
    """The task's failure: the job's own reason where it can be found, without retries when they cannot help."""
    run_id = run.rstrip("/").rsplit("/", 1)[-1]
    if isinstance(failure, ValueError):
        # The provider's own check of its settings (a connection's extra, a Spark setting that conflicts).
        return AirflowFailException(f"spark-mnist run {run_id} cannot be submitted: {first_line(str(failure))}")
    reason = failure_reason(failure, conn_id, log)
    kind = AirflowFailException if reason.startswith(BAD_INPUT) else AirflowException
    return kind(f"spark-mnist run {run_id} failed: {reason}")


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), text)


def failure_reason(failure: Exception, conn_id: str, log: Any) -> str:
    """
    One line that says why a submission failed. spark-submit's own failure (client mode, or no
    application in cluster mode) ends with the last lines it printed, the job's reason last. A YARN
    application that failed is asked of YARN: the job's reason from its driver's log (the last
    attempt's application master), else its final status and diagnostics.
    """
    text = str(failure)
    application = re.search(r"application_\d+_\d+", text)
    if isinstance(failure, RuntimeError) and application:
        return yarn_reason(application.group(), conn_id, text, log)
    printed = text.split("Last spark-submit output:", 1)
    lines = [line.strip() for line in printed[-1].splitlines() if line.strip()] if len(printed) == 2 else []
    reasons = [line for line in lines if line.startswith(JOB_REASON)]
    return (reasons or lines or [first_line(text)])[-1]


def yarn_reason(application: str, conn_id: str, failure: str, log: Any) -> str:
    """The job's reason for a failed YARN application, from its driver's stderr as the NodeManager serves it
    (or the stderr tail YARN adds to its diagnostics); else the final status and diagnostics, on one line."""
    status, _, diagnostics = failure.partition("\nDiagnostics:")
    try:
        driver_log = application_master_stderr(application, conn_id)
    except (requests.RequestException, ValueError, KeyError) as e:
        log.warning("could not read the driver's log of %s from YARN: %s", application, e)
        driver_log = ""
    reasons = [line.strip() for line in (driver_log + "\n" + diagnostics).splitlines() if line.strip().startswith(JOB_REASON)]
    if reasons:
        return reasons[-1]
    return " ".join(f"{status.strip()}; diagnostics: {diagnostics.strip() or 'none'}".split())


def application_master_stderr(application: str, conn_id: str) -> str:
    """The stderr of the application's last attempt's master, which in cluster mode is the driver."""
    resource_manager = BaseHook.get_connection(conn_id).extra_dejson[RESOURCE_MANAGER_EXTRA].rstrip("/")
    if "://" not in resource_manager:
        resource_manager = f"http://{resource_manager}"
    response = requests.get(f"{resource_manager}/ws/v1/cluster/apps/{application}/appattempts", timeout=30)
    response.raise_for_status()
    attempts = response.json()["appAttempts"]["appAttempt"]
    last = max(attempts if isinstance(attempts, list) else [attempts], key=lambda attempt: int(attempt["id"]))
    scheme = resource_manager.split("://", 1)[0]
    # The NodeManager's REST API; a negative size is the file's last bytes.
    response = requests.get(
        f"{scheme}://{last['nodeHttpAddress']}/ws/v1/node/containerlogs/{last['containerId']}/stderr",
        params={"size": -65536},
        timeout=30,
    )
    response.raise_for_status()
    # The file comes framed: a header ending "LogContents:", a footer from "End of LogType:".
    text = response.text
    start, end = text.find("LogContents:\n"), text.rfind("\nEnd of LogType:")
    return text[start + len("LogContents:\n"):end] if 0 <= start < end else text


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
    user_defined_macros={"spark_mnist": SparkMnistTemplates()},
    # The templates render the job's arguments as a list and the Spark conf as a dict, not as their text.
    render_template_as_native_obj=True,
    tags=["spark", "mnist"],
) as dag:
    target = spark_target()
    train = TrainOperator.partial(
        task_id="train",
        outlets=[TRAINING_RUN],
        execution_timeout=timedelta(hours=6),
    ).expand_kwargs(target)
    score = ScoreOperator.partial(
        task_id="score",
        outlets=[SCORING_RUN],
        execution_timeout=timedelta(hours=2),
    ).expand_kwargs(target)
    # Only a committed training run is scored: a failed train leaves score upstream_failed.
    train >> score
