"""Throughput of kiji's Python package against the `pipeline-run` binary on
the same input (docs/PERFORMANCE.md, "Python package").

    python examples/bench.py [--input ../shared/data/pool/wikinews.jsonl] [--threads 2] [--reps 3]

Runs, interleaved, best of --reps each:
  * `pipeline-run extract --threads N` (its own summary: articles/s from the
    first line read to the last line written; and the process's wall time);
  * `Pipeline.extract_batch(records, threads=N)` over the input as dicts
    (read before timing), and over its raw lines;
  * `Pipeline.extract_jsonl(input, output, threads=N)` (file to file, as the binary).
The Pipeline is built once, outside the timings (as the binary's figure
leaves out its start-up). Prints a table and the Python / binary ratio
(target >= 0.90).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import kiji

REPO = Path(__file__).resolve().parents[1]


def default_bin():
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "release" / "pipeline-run"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", default=str(REPO.parent / "shared" / "data" / "pool" / "wikinews.jsonl"))
    ap.add_argument("--bin", default=str(default_bin()))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()

    data = Path(args.input).read_bytes()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    records = [json.loads(line) for line in lines]
    n = len(records)
    p = kiji.Pipeline()
    out = Path(tempfile.mkdtemp()) / "out.jsonl"

    best = {}

    def keep(name, rate, wall):
        if name not in best or rate > best[name][0]:
            best[name] = (rate, wall)

    for _ in range(args.reps):
        t = time.perf_counter()
        proc = subprocess.run(
            [args.bin, "extract", "--quiet", "--threads", str(args.threads), "--input", args.input, "--output", str(out)],
            capture_output=True, text=True, check=True,
        )
        wall = time.perf_counter() - t
        m = re.search(r"([\d.]+) s, ([\d.]+) articles/s", proc.stderr)
        keep("pipeline-run extract", float(m.group(2)), float(m.group(1)))
        keep("pipeline-run extract (process wall)", n / wall, wall)

        t = time.perf_counter()
        got = p.extract_batch(records, threads=args.threads)
        wall = time.perf_counter() - t
        assert len(got) == n
        keep("extract_batch (dicts)", n / wall, wall)

        t = time.perf_counter()
        got = p.extract_batch(lines, threads=args.threads)
        wall = time.perf_counter() - t
        assert len(got) == n
        keep("extract_batch (JSON lines)", n / wall, wall)

        summary = p.extract_jsonl(args.input, out, threads=args.threads)
        keep("extract_jsonl", summary["articles_per_s"], summary["seconds"])

    print(f"{n} articles, {len(data) / 1e6:.1f} MB, threads {args.threads}, best of {args.reps}, kiji {kiji.__version__}, Python {sys.version.split()[0]}")
    print(f"| run | wall | articles/s | vs binary |")
    print(f"|---|---|---|---|")
    base = best["pipeline-run extract"][0]
    for name, (rate, wall) in best.items():
        print(f"| {name} | {wall:.2f} s | {rate:,.0f} | {rate / base:.2f} |")
    ratio = best["extract_batch (dicts)"][0] / base
    print(f"extract_batch(threads={args.threads}) / pipeline-run: {ratio:.2f} ({'meets' if ratio >= 0.9 else 'misses'} the 0.90 target)")


if __name__ == "__main__":
    main()
