"""kiji on Spark: JSONL articles in, the output records of `pipeline-run
extract` out, as JSONL (the binary's very lines) and as Parquet.

    python examples/spark/kiji_spark.py \\
        --input ../shared/data/pool/wikinews.jsonl --output /tmp/kiji-spark --master 'local[2]'

Each Python worker process builds one `kiji.Pipeline` (cached in this
module, see `pipeline()`) and runs `extract_batch` over its partition in
chunks (bounded memory). Lines keep their global 1-based number, so an
error record says the same `line` as `pipeline-run` over the whole file.
Outputs: OUTPUT/jsonl/part-* (in input order when concatenated) and
OUTPUT/parquet (schema `SCHEMA`). The last stdout line is a JSON summary.

On a cluster, ship the wheel with the job (see the README's "Scale out").
"""

import argparse
import itertools
import json
import os
import sys
import time

# Records handed to one extract_batch call (bounded memory per partition).
CHUNK = 512

_PIPELINE = None


def pipeline():
    """This worker process's pipeline, built on first use (Spark reuses
    Python workers across tasks, so once per process)."""
    global _PIPELINE
    if _PIPELINE is None:
        import kiji

        _PIPELINE = kiji.Pipeline()
    return _PIPELINE


def extract_partition(rows, threads=1):
    """(line, index) pairs of one partition -> the output JSON lines.

    `threads`: Rust threads per task; Spark's task slots already use the
    cores, so 1 by default."""
    p = pipeline()
    rows = iter(rows)
    while True:
        chunk = list(itertools.islice(rows, CHUNK))
        if not chunk:
            return
        records = p.extract_batch([line for line, _ in chunk], threads=threads)
        for (_, index), rec in zip(chunk, records):
            if "error" in rec:
                rec["line"] = index + 1  # the line in the whole file, not in the chunk
            yield json.dumps(rec, ensure_ascii=False, separators=(",", ":"))


def schema():
    """The Spark schema of an output record (and of an error record: `line`, `error`)."""
    from pyspark.sql.types import (
        ArrayType,
        BooleanType,
        LongType,
        StringType,
        StructField,
        StructType,
    )

    owned = ArrayType(StructType([StructField("address", StringType()), StructField("owner", StringType())]))
    person = StructType(
        [
            StructField("name", StringType()),
            StructField("is_real", BooleanType()),
            StructField("is_offender", BooleanType()),
            StructField("age", StringType()),
            StructField("position", StringType()),
            StructField("affiliation", StringType()),
            StructField("category", StringType()),
            StructField("act", StringType()),
            StructField("reason", StringType()),
            StructField("mentions", ArrayType(ArrayType(LongType()))),
        ]
    )
    return StructType(
        [
            StructField("id", StringType()),
            StructField("persons", ArrayType(person)),
            StructField("headquarters_locations", owned),
            StructField("residences", owned),
            StructField("physical_crime_occured_locations", ArrayType(StringType())),
            StructField("police_departments", ArrayType(StringType())),
            StructField("line", LongType()),
            StructField("error", StringType()),
        ]
    )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", default="../shared/data/pool/wikinews.jsonl", help="input JSONL (any Hadoop path)")
    ap.add_argument("--output", required=True, help="output directory (jsonl/ and parquet/ are written under it)")
    ap.add_argument("--master", default=None, help="Spark master (default: spark-submit's, else local[2])")
    ap.add_argument("--partitions", type=int, default=None, help="minimum input partitions (default: Spark's)")
    ap.add_argument("--threads-per-task", type=int, default=1, help="Rust threads per Spark task")
    args = ap.parse_args(argv)

    # Workers run this interpreter (the one kiji is installed in) unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    import kiji_spark  # this module, by reference in the tasks (its pipeline cache lives there)

    builder = SparkSession.builder.appName("kiji-extract")
    if args.master:
        builder = builder.master(args.master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:
        # Run by plain `python`, not by spark-submit (which sets the master).
        builder = builder.master("local[2]")
    spark = builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate()
    sc = spark.sparkContext
    sc.setLogLevel("WARN")
    sc.addPyFile(kiji_spark.__file__)
    started = time.perf_counter()

    threads = args.threads_per_task
    lines = sc.textFile(args.input, minPartitions=args.partitions).zipWithIndex()
    out = lines.mapPartitions(lambda rows: kiji_spark.extract_partition(rows, threads)).cache()
    out.saveAsTextFile(f"{args.output}/jsonl")
    df = spark.read.schema(kiji_spark.schema()).json(out)
    df.write.mode("overwrite").parquet(f"{args.output}/parquet")
    seconds = time.perf_counter() - started

    records = out.count()
    errors = df.filter("error IS NOT NULL").count()
    parquet_rows = spark.read.parquet(f"{args.output}/parquet").count()
    summary = {
        "records": records,
        "errors": errors,
        "parquet_rows": parquet_rows,
        "partitions": out.getNumPartitions(),
        "master": sc.master,
        "seconds": round(seconds, 2),
        "articles_per_s": round(records / seconds, 1),
    }
    spark.stop()
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
