"""A PySpark program of a user's, run by PySparkModelIT: scores digits with spark_mnist's wrapper,
evaluates with MLlib, saves and loads the model, and writes what it saw as JSON for the test to check.

Usage: score_with_wrapper.py CLUSTER_JAR RUN DIGITS_JSON RESULT_JSON SAVE_DIR
"""

import json
import sys

from pyspark.ml.evaluation import MulticlassClassificationEvaluator
from pyspark.ml.linalg import Vectors
from pyspark.sql import SparkSession

from spark_mnist import MnistClassifierModel

jar, run, digits_file, result_file, save_dir = sys.argv[1:6]
spark = (SparkSession.builder.master("local[2]").appName("PySparkModelIT").config("spark.jars", jar)
         .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
         .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate())
with open(digits_file) as f:
    digits = json.load(f)
frame = spark.createDataFrame([(d["id"], float(d["label"]), Vectors.dense(d["pixels"])) for d in digits],
                              ["id", "label", "pixels"])


def probabilities(model):
    return {row["id"]: row["probability"].toArray().tolist()
            for row in model.transform(frame).select("id", "probability").collect()}


with MnistClassifierModel.fromRun(run, "mlp").setInputCol("pixels").setBatchSize(3) as model:
    result = {
        "probabilities": probabilities(model),
        "accuracy": MulticlassClassificationEvaluator(metricName="accuracy").evaluate(model.transform(frame)),
        "defaults": {"predictionCol": model.getPredictionCol(), "rejectionCol": model.getRejectionCol(),
                     "invert": model.getInvert(), "maxPixels": model.getMaxPixels()},
    }
    model.write().save(save_dir)
with MnistClassifierModel.load(save_dir) as loaded:
    result["loaded_batch_size"] = loaded.getBatchSize()
    result["loaded_probabilities"] = probabilities(loaded)
with open(result_file, "w") as f:
    json.dump(result, f)
spark.stop()
