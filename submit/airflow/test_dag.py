#!/usr/bin/env python3
"""Checks spark_mnist_dag.py without Airflow: it compiles, and the spark-submit it would run matches
the job's interface (main class, cluster jar, config files, key=value keys from reference.conf,
run.id from the logical date) and the settings submit/spark-submit.sh gives DL4J.

Airflow itself is not needed: tiny stand-ins for the few Airflow names the DAG imports are put on
sys.path, and they record what the DAG passes to SparkSubmitOperator. Standard library only.

    python3 submit/airflow/test_dag.py        (AirflowDagTest runs it during mvn test)
"""

from __future__ import annotations

import importlib.util
import json
import os
import py_compile
import re
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DAG_FILE = HERE / "spark_mnist_dag.py"
RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")

# Stand-ins for the Airflow names the DAG uses. The Variable reads its JSON from an environment
# variable so that each test can give the DAG different site settings.
STUBS = {
    "airflow/__init__.py": """
        class DAG:
            current = None

            def __init__(self, dag_id, **kwargs):
                self.dag_id = dag_id
                self.kwargs = kwargs
                self.tasks = []

            def __enter__(self):
                DAG.current = self
                return self

            def __exit__(self, *exc):
                DAG.current = None
                return False
        """,
    "airflow/models/__init__.py": """
        import json, os

        class Variable:
            @staticmethod
            def get(key, default_var=None, deserialize_json=False):
                raw = os.environ.get("STUB_AIRFLOW_VARIABLE_" + key)
                if raw is None:
                    return default_var
                return json.loads(raw) if deserialize_json else raw
        """,
    "airflow/models/param.py": """
        class Param:
            def __init__(self, default=None, **schema):
                self.value = default
                self.schema = schema
        """,
    "airflow/providers/__init__.py": "",
    "airflow/providers/apache/__init__.py": "",
    "airflow/providers/apache/spark/__init__.py": "",
    "airflow/providers/apache/spark/operators/__init__.py": "",
    "airflow/providers/apache/spark/operators/spark_submit.py": """
        from airflow import DAG

        class SparkSubmitOperator:
            def __init__(self, *, task_id, **kwargs):
                self.task_id = task_id
                self.kwargs = kwargs
                if DAG.current is None:
                    raise RuntimeError("operator created outside a DAG")
                DAG.current.tasks.append(self)
        """,
}


def reference_keys() -> set[str]:
    """Every leaf key of src/main/resources/reference.conf, as dotted paths (its plain HOCON subset)."""
    keys, path, in_list = set(), [], False
    for raw in (REPO / "src/main/resources/reference.conf").read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if in_list:
            in_list = "]" not in line
            continue
        if not line:
            continue
        if line == "}":
            path.pop()
            continue
        block = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*\{", line)
        if block:
            path.append(block.group(1))
            continue
        assignment = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*[=:]\s*(.+)", line)
        if not assignment:
            raise AssertionError(f"reference.conf: cannot read {raw!r}")
        keys.add(".".join(path + [assignment.group(1)]))
        in_list = assignment.group(2).startswith("[") and "]" not in assignment.group(2)
    for expected in ("data.dir", "output.dir", "run.id", "train.epochs", "models", "model.defaults.dropout"):
        if expected not in keys:
            raise AssertionError(f"reference.conf was not read right: {expected} is missing from {sorted(keys)}")
    return keys


def render(template: str, params: dict, ts_nodash: str) -> str:
    """The few Jinja expressions the DAG uses, filled in the way Airflow would."""
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "ts_nodash":
            return ts_nodash
        if name.startswith("params."):
            return str(params[name[len("params."):]])
        raise AssertionError(f"unexpected template expression {{{{ {name} }}}} in {template!r}")
    return re.sub(r"\{\{\s*([A-Za-z_.]+)\s*\}\}", value, template)


class SparkMnistDagTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.stubs = tempfile.TemporaryDirectory()
        for name, text in STUBS.items():
            path = Path(cls.stubs.name) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        sys.path.insert(0, cls.stubs.name)
        sys.dont_write_bytecode = True
        cls.reference = reference_keys()
        pom = (REPO / "pom.xml").read_text()
        cls.pom_main_class = re.search(r"<mainClass>([^<]+)</mainClass>", pom).group(1)
        cls.pom_classifier = re.search(r"<shadedClassifierName>([^<]+)</shadedClassifierName>", pom).group(1)
        cls.submit_script = (REPO / "submit/spark-submit.sh").read_text()

    @classmethod
    def tearDownClass(cls):
        sys.path.remove(cls.stubs.name)
        cls.stubs.cleanup()

    def load_dag(self, variable: dict | None = None):
        """Imports the DAG file afresh with the given "spark_mnist" Variable; returns (dag, operator kwargs)."""
        if variable is None:
            os.environ.pop("STUB_AIRFLOW_VARIABLE_spark_mnist", None)
        else:
            os.environ["STUB_AIRFLOW_VARIABLE_spark_mnist"] = json.dumps(variable)
        spec = importlib.util.spec_from_file_location("spark_mnist_dag_under_test", DAG_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        self.assertEqual(1, len(module.dag.tasks), "one task")
        return module.dag, module.dag.tasks[0].kwargs

    def rendered_args(self, dag, kwargs, ts_nodash="20260301T000000"):
        params = {name: param.value for name, param in dag.kwargs["params"].items()}
        return [render(arg, params, ts_nodash) for arg in kwargs["application_args"]]

    def test_dag_file_compiles(self):
        with tempfile.TemporaryDirectory() as out:
            py_compile.compile(str(DAG_FILE), cfile=str(Path(out) / "dag.pyc"), doraise=True)

    def test_submits_the_jobs_main_class_from_the_cluster_jar(self):
        _, kwargs = self.load_dag()
        self.assertEqual("org.sparkmnist.job.MnistTrainingJob", kwargs["java_class"])
        self.assertEqual(self.pom_main_class, kwargs["java_class"], "the cluster jar's Main-Class")
        self.assertTrue(kwargs["application"].endswith(f"-{self.pom_classifier}.jar"), kwargs["application"])

    def test_arguments_are_config_files_then_known_key_values(self):
        dag, kwargs = self.load_dag({"overrides": {"train.batch-size": 256, "model.mlp.dropout": 0.2}})
        args = self.rendered_args(dag, kwargs)
        files = [a for a in args if "=" not in a]
        pairs = [a for a in args if "=" in a]
        self.assertEqual(files, args[:len(files)], "config files come before key=value, as spark-submit.sh passes them")
        self.assertTrue(all(f.endswith(".conf") for f in files), files)
        for pair in pairs:
            key = pair.split("=", 1)[0]
            template = re.sub(r"^model\.(?!defaults\.)[^.]+\.", "model.defaults.", key)
            self.assertTrue(key in self.reference or template in self.reference, f"{key} is not in reference.conf")
        self.assertIn("train.batch-size=256", pairs)

    def test_run_id_is_the_logical_date_and_output_dir_is_set(self):
        dag, kwargs = self.load_dag({"output_dir": "hdfs://nn:8020/runs/mnist"})
        first = dict(a.split("=", 1) for a in self.rendered_args(dag, kwargs, "20260301T000000") if "=" in a)
        again = dict(a.split("=", 1) for a in self.rendered_args(dag, kwargs, "20260301T000000") if "=" in a)
        other = dict(a.split("=", 1) for a in self.rendered_args(dag, kwargs, "20260302T000000") if "=" in a)
        self.assertRegex(first["run.id"], RUN_ID)
        self.assertEqual(first["run.id"], again["run.id"], "a rerun of the same logical date replaces its run")
        self.assertNotEqual(first["run.id"], other["run.id"])
        self.assertEqual("hdfs://nn:8020/runs/mnist", first["output.dir"])
        self.assertIn("data.dir", first)
        self.assertEqual("10", first["train.epochs"])

    def test_cluster_mode_ships_the_config_files_and_passes_their_names(self):
        _, kwargs = self.load_dag({"deploy_mode": "cluster", "conf_file": "/etc/m/nightly.conf"})
        self.assertEqual("/etc/m/nightly.conf", kwargs["files"])
        self.assertEqual(["nightly.conf"], kwargs["application_args"][:1])

    def test_client_mode_passes_local_paths(self):
        _, kwargs = self.load_dag({"deploy_mode": "client", "conf_file": "/etc/m/nightly.conf"})
        self.assertEqual("/etc/m/nightly.conf", kwargs["application_args"][0])

    def test_conf_carries_what_spark_submit_sh_sets_for_dl4j(self):
        _, kwargs = self.load_dag({"executor_memory": "4g", "executor_cores": 3})
        conf = kwargs["conf"]
        executor = conf["spark.executor.extraJavaOptions"]
        self.assertIn("-Dorg.bytedeco.javacpp.maxbytes=4096m", executor)
        self.assertIn("-Dorg.bytedeco.javacpp.maxphysicalbytes=9216m", executor)
        self.assertIn("-Dorg.bytedeco.javacpp.cachedir=", executor)
        self.assertIn("-Dorg.bytedeco.javacpp.maxbytes=", conf["spark.driver.extraJavaOptions"])
        self.assertEqual("3", conf["spark.executorEnv.OMP_NUM_THREADS"])
        self.assertEqual(3, kwargs["executor_cores"])
        for name in ("org.bytedeco.javacpp.maxbytes", "org.bytedeco.javacpp.maxphysicalbytes",
                     "org.bytedeco.javacpp.cachedir", "spark.executorEnv.OMP_NUM_THREADS",
                     "spark.executor.memoryOverhead"):
            self.assertIn(name, self.submit_script, f"submit/spark-submit.sh sets {name} too")

    def test_unknown_variable_keys_are_rejected(self):
        with self.assertRaises(ValueError):
            self.load_dag({"executor_mem": "4g"})


if __name__ == "__main__":
    unittest.main(verbosity=2)
