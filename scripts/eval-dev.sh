#!/usr/bin/env bash
# Scores kiji on the annotated dev set and the Stockmark NER test split
# (../shared/data beside the checkout): the numbers in docs/EVALUATION.md.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${KIJI_DATA:-../shared/data}"
cargo build --release --locked -q -p kiji-cli
out="$(mktemp -d)"
./target/release/pipeline-run extract --input "$data/dev/input.jsonl" --output "$out/dev.jsonl"
./target/release/pipeline-run eval --gold "$data/dev/gold.jsonl" --pred "$out/dev.jsonl" "$@"
./target/release/pipeline-run ner-eval --data "$data/ner/stockmark/test.json"
rm -rf "$out"
