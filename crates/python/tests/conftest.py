"""Shared fixtures of kiji's Python tests: the repository, ../shared/data and
the `pipeline-run` binary whose output the package must reproduce."""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def shared_data() -> Path:
    return Path(os.environ.get("KIJI_SHARED_DATA", REPO.parent / "shared" / "data"))


def pipeline_run() -> Path:
    """The binary: $KIJI_BIN, else target/release (or debug)/pipeline-run of
    $CARGO_TARGET_DIR or the checkout."""
    if os.environ.get("KIJI_BIN"):
        return Path(os.environ["KIJI_BIN"])
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    for profile in ("release", "debug"):
        exe = target / profile / "pipeline-run"
        if exe.exists():
            return exe
    raise RuntimeError(
        f"pipeline-run not found under {target} (cargo build --release -p kiji-cli, or set KIJI_BIN)"
    )


def run_binary(input_path: Path, *args: str) -> bytes:
    """stdout of `pipeline-run extract --input input_path args...`."""
    proc = subprocess.run(
        [str(pipeline_run()), "extract", "--quiet", "--input", str(input_path), *args],
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return proc.stdout


def lines_of(data: bytes) -> list:
    """The lines of JSONL bytes as the binary counts them: split at "\n"
    only (str.splitlines would also split at U+2028 inside a JSON string), a
    last line without "\n" included."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def dumps(record) -> str:
    """A record as the binary writes it."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


@pytest.fixture(scope="session")
def pipeline():
    import kiji

    return kiji.Pipeline()


@pytest.fixture(scope="session")
def article_sets():
    """(name, input JSONL path) of the real fixtures: the bundled sample and the dev set."""
    sets = [("sample", REPO / "fixtures" / "sample" / "input.jsonl")]
    dev = shared_data() / "dev" / "input.jsonl"
    if dev.exists():
        sets.append(("dev", dev))
    return sets


@pytest.fixture(scope="session")
def binary_lines(article_sets):
    """{set name: (input lines, the binary's output lines)}."""
    out = {}
    for name, path in article_sets:
        inputs = [line.decode("utf-8") for line in lines_of(path.read_bytes())]
        outputs = [line.decode("utf-8") for line in lines_of(run_binary(path, "--threads", "2"))]
        assert len(inputs) == len(outputs)
        out[name] = (inputs, outputs)
    return out
