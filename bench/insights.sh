#!/usr/bin/env bash
# Insights (docs/benchmarks.md, "Insights (issue 6)"): detection quality on a generated
# workload with injected anomalies, the real fixture logs, and the analyzer's speed. Called
# by bench/run.sh; runs alone as well:
#
#   BENCH_OUT=/path/with/2GB/free bench/insights.sh
#
#   BENCH_OUT       scratch folder (default bench/out); about 1 GB of generated logs while
#                   it runs, removed at the end
#   BENCH_NO_BUILD  set by bench/run.sh, which has built the binaries already
#
# Steps:
#   1. `opentrail insights evaluate --work DIR`: 9 days of 100,000 events a day (seed 1,
#      3 accounts), 40 anomalies and 15 decoys on the last 2 days; recall, precision,
#      detection delay against the bars (≥ 0.95, ≥ 0.9, ≤ 120 s). Also as JSON in
#      BENCH_OUT/insights-evaluate.json.
#   2. `opentrail insights detect` on the real fixture logs (55 minutes of one day), with
#      7 assumed quiet days before them.
#   3. `opentrail-bench insights`: parse + observe + tick throughput on one thread (bar
#      ≥ 100,000 events/s), then CPU at a steady 10,000 events/s (bar < 10% of a core).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${BENCH_OUT:-$PWD/bench/out}
target=${CARGO_TARGET_DIR:-$PWD/target}
mkdir -p "$out"

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  cargo build --release --locked -p opentrail-cli -p opentrail-bench
fi
opentrail="$target/release/opentrail"
bench="$target/release/opentrail-bench"

echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB memory, load $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== opentrail insights evaluate (9 days x 100,000 events, seed 1)"
"$opentrail" insights evaluate --work "$out/insights-evaluate" --days 9 --events-per-day 100000 --seed 1
"$opentrail" insights evaluate --work "$out/insights-evaluate" --days 9 --events-per-day 100000 --seed 1 --json \
  > "$out/insights-evaluate.json"
rm -rf "$out/insights-evaluate"

echo "== opentrail insights detect on the fixture logs (7 quiet days assumed before them)"
"$opentrail" insights detect --assume-quiet-days 7 testdata/cloudtrail-logs

echo "== opentrail-bench insights (throughput, then CPU at 10,000 events/s)"
"$bench" insights --work "$out/insights-bench" --days 9 --events-per-day 100000 --rate 10000 --paced-seconds 10
