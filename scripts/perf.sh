#!/usr/bin/env bash
# Throughput, peak memory and scaling of `pipeline-run extract` (docs/PERFORMANCE.md).
#
#   bash scripts/perf.sh                 # build release, run everything, print a markdown table
#   BIN=path/to/pipeline-run bash scripts/perf.sh pool   # one group, another binary
#
# Groups: pool (the 3,543 pool articles, --threads 1 and 2, best of $REPS),
# scale (1x/4x/16x the pool, --threads 2), long (one article of 64 kB .. 4 MB,
# punctuated and unpunctuated, --threads 1). Needs ../shared/data beside the
# checkout, GNU time (/usr/bin/time) and python3. Inputs go to $WORK (default
# a temp dir, removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
POOL=${POOL:-../shared/data/pool/wikinews.jsonl}
REPS=${REPS:-3}
GROUPS_=${*:-pool scale long}
if [ -z "${BIN:-}" ]; then
    cargo build --release -q -p kiji-cli
    BIN=${CARGO_TARGET_DIR:-target}/release/pipeline-run
fi
WORK=${WORK:-$(mktemp -d)}
trap '[ -z "${KEEP:-}" ] && rm -rf "$WORK"' EXIT

# run NAME INPUT THREADS: best wall time of $REPS runs; prints a table row.
run() {
    local name=$1 input=$2 threads=$3 best="" rss="" user="" n bytes
    n=$(wc -l <"$input")
    bytes=$(stat -c %s "$input")
    for _ in $(seq "$REPS"); do
        /usr/bin/time -f "%e %U %M" -o "$WORK/time" "$BIN" extract --input "$input" --output "$WORK/out.jsonl" \
            --threads "$threads" --quiet 2>/dev/null
        read -r wall u m <"$WORK/time"
        if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; user=$u; fi
        if [ -z "$rss" ] || [ "$m" -gt "$rss" ]; then rss=$m; fi
    done
    awk -v name="$name" -v n="$n" -v b="$bytes" -v t="$threads" -v w="$best" -v u="$user" -v m="$rss" 'BEGIN{
        w = (w < 0.01 ? 0.01 : w);
        printf "| %s | %d | %.1f MB | %d | %.2f s | %.2f s | %.0f | %.2f MB/s | %.0f MB |\n",
            name, n, b/1e6, t, w, u, n/w, b/1e6/w, m/1024 }'
}

echo "binary: $BIN ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "| input | articles | size | threads | wall (best of $REPS) | user CPU | articles/s | MB/s | peak RSS |"
echo "|---|---|---|---|---|---|---|---|---|"
for g in $GROUPS_; do
    case $g in
    pool)
        run "pool" "$POOL" 1
        run "pool" "$POOL" 2
        ;;
    scale)
        for k in 1 4 16; do
            for _ in $(seq "$k"); do cat "$POOL"; done >"$WORK/pool-x$k.jsonl"
            run "pool x$k" "$WORK/pool-x$k.jsonl" 2
            rm -f "$WORK/pool-x$k.jsonl"
        done
        ;;
    long)
        python3 - "$POOL" "$WORK" <<'EOF'
import json, sys
pool, work = sys.argv[1], sys.argv[2]
text = "\n".join(json.loads(l)["article"] for l in open(pool, encoding="utf-8"))
strip = set("。、．，！？!?,.「」『』()（）・\n\r \u3000")
flat = "".join(c for c in text if c not in strip)
def cut(s, n):
    b = s.encode("utf-8")[:n]
    return b.decode("utf-8", "ignore")
for kb in (64, 256, 1024, 4096):
    for name, src in (("punct", text), ("flat", flat)):
        with open(f"{work}/long-{name}-{kb}k.jsonl", "w", encoding="utf-8") as f:
            f.write(json.dumps({"id": f"{name}-{kb}k", "article": cut(src, kb * 1024)}, ensure_ascii=False) + "\n")
EOF
        for name in punct flat; do
            for kb in 64 256 1024 4096; do
                run "one article, $kb kB, $name" "$WORK/long-$name-${kb}k.jsonl" 1
            done
        done
        ;;
    *) echo "unknown group $g" >&2; exit 2 ;;
    esac
done
