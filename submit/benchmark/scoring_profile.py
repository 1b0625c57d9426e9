#!/usr/bin/python3
"""Where a scoring run's Spark task threads spend their time, from a JFR recording.

docs/BENCHMARKS.md's scoring profile tables come from this: it reads the text of
`jfr print --stack-depth 80 --events jdk.ExecutionSample,jdk.NativeMethodSample REC.jfr`, keeps the
samples of Spark's task threads ("Executor task launch worker") taken between FROM and TO (the
scoring span, as HH:MM:SS.mmm wall-clock times from the job's log), and counts each under the first
category that one of its frames matches, looking from the top of the stack down.

    /usr/bin/python3 scoring_profile.py SAMPLES.txt [FROM TO]

Prints a Markdown table: category, samples, share.
"""

import collections
import re
import sys

# First match wins, frames taken from the top: a sample inside ND4J called from the scorer is ND4J's.
CATEGORIES = [
    ("ND4J forward pass (native ops, shape and buffer set-up)", r"org\.nd4j|org\.bytedeco\.|MultiLayerNetwork\.output"),
    ("class loading, Spark's generated code (janino)", r"ClassLoader|java\.util\.jar|codehaus\.janino|CodeGenerator"),
    ("idx read, each row's pixels made (IdxInput)", r"IdxInput\$Images|IdxInput\$ReadChunk|ml\.linalg\.Vectors"),
    ("Row to Spark's internal row (createDataFrame, encoders' serializers, VectorUDT.serialize)",
     r"CatalystTypeConverters|VectorUDT\.serialize|ExpressionEncoder\$Serializer|SerializeFromObject|SpecificUnsafeProjection|UnsafeArrayData"),
    ("Spark's internal row to Row (encoders' deserializers, VectorUDT.deserialize)",
     r"VectorUDT\.deserialize|ExpressionEncoder\$Deserializer|DeserializeToObject|SpecificSafeProjection"),
    ("minibatch pixels and output rows (ClassifierInput, ClassifierPartition)", r"ClassifierInput|ClassifierPartition|Minibatches"),
    ("the job's rows (PredictionSchema.classified)", r"PredictionSchema"),
    ("building the cache (InMemoryRelation, columnar)", r"columnar|InMemoryRelation|CachedRDDBuilder"),
    ("writing Parquet or CSV, committer", r"parquet|datasources|FileFormatWriter"),
    ("shuffle, aggregation", r"shuffle|aggregate|HashAggregate"),
]


def category(frames):
    for frame in frames:
        for name, pattern in CATEGORIES:
            if re.search(pattern, frame):
                return name
    return "other"


def main(args):
    if len(args) not in (1, 3):
        print(__doc__, file=sys.stderr)
        return 2
    counts = collections.Counter()
    with open(args[0]) as f:
        events = f.read().split("\njdk.")
    for event in events:
        thread = re.search(r'sampledThread = "([^"]*)"', event)
        time = re.search(r"startTime = (\S+)", event)
        if not thread or not time or not thread.group(1).startswith("Executor task launch worker"):
            continue
        if len(args) == 3 and not args[1] <= time.group(1) <= args[2]:
            continue
        frames = [f for f in re.findall(r"^\s{4}(\S.*)$", event, re.M) if f.strip() != "..."]
        counts[category(frames)] += 1
    total = sum(counts.values())
    print("| where the task threads' samples are | samples | share |")
    print("|---|---:|---:|")
    for name, n in counts.most_common():
        print(f"| {name} | {n} | {100 * n / max(total, 1):.0f}% |")
    print(f"| all | {total} | 100% |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
