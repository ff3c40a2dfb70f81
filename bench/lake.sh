#!/usr/bin/env bash
# CloudTrail Lake against DuckDB, in one run (docs/benchmarks.md, "Lake (issue 5)").
# Never run by the tests: `bench/lake.sh` by hand, then copy the printed figures.
#
#   BENCH_EVENTS    events to generate (default 10000000)
#   BENCH_OUT       scratch folder (default bench/out/lake). Needs about 2.2 KB per event:
#                   the gzipped logs (~0.3-0.5 KB), the journal, which holds the JSON
#                   (~1.5 KB), and the Parquet files; ~25 GB for 10 M events
#   BENCH_RUNS      runs of each query, the median counts (default 3)
#   BENCH_RAW_RUNS  runs of each DuckDB query over the raw logs (default BENCH_RUNS; each
#                   run reads every log: ~30 s per million events on 2 cores)
#   BENCH_NO_BUILD  set when the release binaries are built already
#
# Steps: `opentrail generate` (one account, management events only, 14 days, cached),
# `opentrail-bench lake` (import into a fresh journal, the store's writer into Parquet,
# the four queries), then bench/lake_duckdb.py (the same queries in DuckDB over the same
# Parquet files and over the raw logs; checks that the results agree).
set -euo pipefail
cd "$(dirname "$0")/.."

events=${BENCH_EVENTS:-10000000}
out=${BENCH_OUT:-$PWD/bench/out/lake}
runs=${BENCH_RUNS:-3}
raw_runs=${BENCH_RAW_RUNS:-$runs}
target=${CARGO_TARGET_DIR:-$PWD/target}
mkdir -p "$out"

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  cargo build --release --locked -p opentrail-cli -p opentrail-bench
fi
python3 -m pip install --quiet --disable-pip-version-check duckdb
opentrail="$target/release/opentrail"
bench="$target/release/opentrail-bench"

echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB memory"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "disk: $(df -h "$out" | awk 'NR==2 {print $2 " total, " $4 " free"}')"
echo "commit: $(git rev-parse --short HEAD), rustc $(rustc --version | cut -d' ' -f2), duckdb $(python3 -c 'import duckdb; print(duckdb.__version__)')"

need_kb=$((events * 22 / 10))
free_kb=$(df -k "$out" | awk 'NR==2 {print $4}')
logs="$out/logs-$events"
if [ ! -f "$logs/.complete" ] && [ "$free_kb" -lt "$need_kb" ]; then
  echo "not enough disk under $out: $((free_kb / 1048576)) GB free, about $((need_kb / 1048576)) GB needed for $events events" >&2
  exit 1
fi
if [ ! -f "$logs/.complete" ]; then
  echo "== generate $events events"
  rm -rf "$logs"
  "$opentrail" generate --events "$events" --seed 1 --accounts 1 --duration 14d \
    --data-event-fraction 0 --out "$logs" --no-progress
  touch "$logs/.complete"
fi
echo "logs: $(find "$logs" -name '*.json.gz' | wc -l) files, $(du -sh "$logs" | cut -f1) gzipped"

echo "== opentrail-bench lake"
"$bench" lake --logs "$logs" --work "$out/work" --runs "$runs"
echo "store: $(du -sh "$out/work/bucket" | cut -f1) of Parquet, journal $(du -sh "$out/work/journal" | cut -f1)"
# The journal is not needed for the queries: free its space before DuckDB runs.
rm -rf "$out/work/journal"

echo "== DuckDB on the same Parquet files and on the raw logs"
python3 bench/lake_duckdb.py "$out/work/lake-results.json" --runs "$runs" --raw-runs "$raw_runs" \
  --out "$out/lake-figures.json"
