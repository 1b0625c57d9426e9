"""spark-mnist's classifier for PySpark programs.

``MnistClassifierModel`` wraps the JVM's ``org.sparkmnist.scoring.MnistClassifierModel`` as PySpark
wraps MLlib's own models: the same params, ``transform``, ``save`` and ``load``. The cluster jar must
be on the JVM's class path (``spark-submit --jars spark-mnist-<version>-cluster.jar``), and this file on
Python's (``--py-files``).
"""

from pyspark import SparkContext
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.param.shared import HasInputCol, HasPredictionCol, HasProbabilityCol, HasRawPredictionCol
from pyspark.ml.util import JavaMLReadable, JavaMLReader, JavaMLWritable
from pyspark.ml.wrapper import JavaModel

__all__ = ["MnistClassifierModel"]

_JAVA_CLASS = "org.sparkmnist.scoring.MnistClassifierModel"


class _Reader(JavaMLReader):
    """MLlib's reader, pointed at the project's JVM class rather than one under org.apache.spark."""

    @classmethod
    def _java_loader_class(cls, clazz):
        return _JAVA_CLASS


class MnistClassifierModel(JavaModel, HasInputCol, HasPredictionCol, HasProbabilityCol, HasRawPredictionCol,
                           JavaMLReadable, JavaMLWritable):
    """A trained MNIST classifier as a Spark ML model; see the JVM class for what each column holds.

    Make one with :meth:`fromRun` or :meth:`fromModelZip`, or :meth:`load` a saved one. A ``Pipeline``
    saved from the JVM with this stage in it loads there, not in PySpark, which knows only MLlib's
    own stages by their JVM names.
    """

    rejectionCol = Param(Params._dummy(), "rejectionCol",
                         "rejection column: null for a scored row, else why its input holds no digit",
                         typeConverter=TypeConverters.toString)
    batchSize = Param(Params._dummy(), "batchSize", "inputs per forward pass of the network",
                      typeConverter=TypeConverters.toInt)
    invert = Param(Params._dummy(), "invert",
                   "whether an image's digit is dark on light and must be inverted: auto, true or false",
                   typeConverter=TypeConverters.toString)
    maxPixels = Param(Params._dummy(), "maxPixels", "largest image, in pixels, that is decoded; a larger one is rejected",
                      typeConverter=TypeConverters.toInt)

    def __init__(self, java_model=None):
        super().__init__(java_model)
        if java_model is not None:
            # The JVM model's defaults and values, so that the getters answer before any transform.
            self._transfer_params_from_java()

    @classmethod
    def fromRun(cls, run, name):
        """Model ``name`` of the committed training run ``run`` (a local, HDFS or other Hadoop path)."""
        return cls(cls._java_class().fromRun(run, name))

    @classmethod
    def fromModelZip(cls, path, normalize):
        """A model.zip, trained on pixels scaled to 0..1 if ``normalize``, else on raw 0..255."""
        return cls(cls._java_class().fromModelZip(path, bool(normalize)))

    @classmethod
    def read(cls):
        return _Reader(cls)

    @classmethod
    def _from_java(cls, java_stage):
        return cls(java_stage)

    @staticmethod
    def _java_class():
        sc = SparkContext._active_spark_context
        if sc is None:
            raise RuntimeError("MnistClassifierModel needs an active SparkContext: start a SparkSession first")
        return sc._jvm.org.sparkmnist.scoring.MnistClassifierModel

    def close(self):
        """Frees what transform broadcast to the executors, once nothing it transformed is computed any more."""
        self._java_obj.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def setInputCol(self, value):
        return self._set(inputCol=value)

    def setPredictionCol(self, value):
        return self._set(predictionCol=value)

    def setProbabilityCol(self, value):
        return self._set(probabilityCol=value)

    def setRawPredictionCol(self, value):
        return self._set(rawPredictionCol=value)

    def setRejectionCol(self, value):
        return self._set(rejectionCol=value)

    def getRejectionCol(self):
        return self.getOrDefault(self.rejectionCol)

    def setBatchSize(self, value):
        return self._set(batchSize=value)

    def getBatchSize(self):
        return self.getOrDefault(self.batchSize)

    def setInvert(self, value):
        return self._set(invert=value)

    def getInvert(self):
        return self.getOrDefault(self.invert)

    def setMaxPixels(self, value):
        return self._set(maxPixels=value)

    def getMaxPixels(self):
        return self.getOrDefault(self.maxPixels)
