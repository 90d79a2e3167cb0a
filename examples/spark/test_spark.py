"""The Spark example against `pipeline-run extract`: the same records, as a
set keyed by id, on a slice of the pool (KIJI_SPARK_LINES lines, default
300) plus two bad lines. Skipped when pyspark or Java is missing, unless
KIJI_REQUIRE_SPARK=1 (scripts/test-python.sh sets it)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
POOL = Path(os.environ.get("KIJI_SHARED_DATA", REPO.parent / "shared" / "data")) / "pool" / "wikinews.jsonl"


def _missing():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "java is not installed"
    if not POOL.exists():
        return f"{POOL} is missing"
    return None


def _binary() -> Path:
    if os.environ.get("KIJI_BIN"):
        return Path(os.environ["KIJI_BIN"])
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    for profile in ("release", "debug"):
        if (target / profile / "pipeline-run").exists():
            return target / profile / "pipeline-run"
    raise RuntimeError(f"pipeline-run not found under {target}")


def by_id(lines):
    out = {}
    for line in lines:
        rec = json.loads(line)
        key = rec["id"]
        assert key not in out, f"duplicate id {key}"
        out[key] = line
    return out


def test_spark_job_equals_pipeline_run(tmp_path):
    reason = _missing()
    if reason:
        if os.environ.get("KIJI_REQUIRE_SPARK") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    n = int(os.environ.get("KIJI_SPARK_LINES", "300"))
    with POOL.open("rb") as f:
        head = [f.readline() for _ in range(n)]
    data = b"".join(line for line in head if line)
    data += b'{"id":"bad-no-article"}\n{"id":"bad-json",\n'
    src = tmp_path / "slice.jsonl"
    src.write_bytes(data)

    proc = subprocess.run(
        [str(_binary()), "extract", "--quiet", "--input", str(src)], capture_output=True, check=False
    )
    assert proc.returncode == 0, proc.stderr.decode()
    expected = proc.stdout.decode("utf-8").splitlines()

    out = tmp_path / "out"
    job = subprocess.run(
        [sys.executable, str(HERE / "kiji_spark.py"), "--input", str(src), "--output", str(out),
         "--master", "local[2]", "--partitions", "3"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert job.returncode == 0, job.stderr[-4000:]
    summary = json.loads(job.stdout.strip().splitlines()[-1])
    got = []
    for part in sorted((out / "jsonl").glob("part-*")):
        got.extend(part.read_text(encoding="utf-8").splitlines())

    assert len(got) == len(expected)
    # Keyed by id (the bad JSON line's record has none: it is the one None key).
    assert by_id(got) == by_id(expected)
    assert summary["records"] == summary["parquet_rows"] == len(expected)
    assert summary["errors"] == 2 and summary["partitions"] >= 3
    assert list((out / "parquet").glob("*.parquet"))
