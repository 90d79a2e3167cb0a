#!/usr/bin/env bash
# On a GPU machine: the recipe of models/train_gpu.py with several seeds at
# once (a 28 M-parameter model at batch 16 leaves the GPU mostly idle, so the
# runs share it), then their model soup (train_gpu.py --soup). The runs share
# the classifier's initial weights (--head-seed 1) and differ in data order
# and dropout: with a different random head each, their average is useless
# (dev F1 0.65 against 0.77-0.80 for the runs themselves).
#   bash models/train_gpu_soup.sh BASE_DIR EXPORT_DIR OUT_DIR [SEEDS] [EPOCHS]
# RUN_TIMEOUT=SECONDS stops the runs by then (each keeps its best epoch so far).
# Writes OUT_DIR/soup/{model.safetensors,config.json,soup.json} (the best of
# the best run, the uniform soup and the greedy soup, by dev F1) and a log per
# seed; the runs themselves stay in OUT_DIR/runs.
set -euo pipefail
cd "$(dirname "$0")/.."
base=$1 data=$2 out=$3 seeds=${4:-1,2,3,4,5,6} epochs=${5:-10}
mkdir -p "$out/runs"
pids=() dirs=()
for s in ${seeds//,/ }; do
    dirs+=("$out/runs/seed$s")
    OMP_NUM_THREADS=2 ${RUN_TIMEOUT:+timeout "$RUN_TIMEOUT"} python3 models/train_gpu.py --base "$base" --data "$data" --out "$out/runs/seed$s" \
        --lrs 1e-4 --epochs "$epochs" --seed "$s" --head-seed 1 --no-bench >"$out/seed$s.log" 2>&1 &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || echo "a run failed (see its log)"; done
tail -n 2 "$out"/seed*.log
done_runs=()
for d in "${dirs[@]}"; do [ -f "$d/model.safetensors" ] && done_runs+=("$d"); done
[ ${#done_runs[@]} -gt 0 ] || { echo "no run finished" >&2; exit 1; }
python3 models/train_gpu.py --base "$base" --data "$data" --out "$out/soup" --soup "$(IFS=,; echo "${done_runs[*]}")" 2>&1 | tee "$out/soup.log"
