#!/usr/bin/env bash
# Runs the main job on the bundled sample: fixtures/sample/input.jsonl in,
# JSONL out (stdout, or the file given as $1), then scores it against the
# sample's gold annotations.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps.sh
cargo build --release --locked -p kiji-cli
out="${1:-/dev/stdout}"
./target/release/pipeline-run extract --input fixtures/sample/input.jsonl --output "$out"
if [ "$out" != /dev/stdout ]; then
    ./target/release/pipeline-run eval --gold fixtures/sample/gold.jsonl --pred "$out"
fi
