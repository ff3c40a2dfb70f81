#!/usr/bin/env bash
# EventBridge-style rules (docs/benchmarks.md): matching speed of 1,000 rules against the
# generated event stream, and the latency from /ingest to a rule's webhook target. Called
# by bench/run.sh; runs alone as well:
#
#   BENCH_OUT=/path/with/3GB/free bench/rules.sh
#
#   BENCH_OUT       scratch folder (default bench/out); about 1 GB of generated logs and
#                   the server's data directory while it runs, removed at the end
#   BENCH_NO_BUILD  set by bench/run.sh, which has built the binaries already
#
# Steps:
#   1. `opentrail-bench rules-match`: 1,000,000 generated events (seed 1, 3 accounts, 4
#      Regions, 100,000 a day), 1,000 rules of twenty pattern kinds built from sampled
#      records, one shared matcher on one thread: envelope + match and match alone (bar
#      ≥ 100,000 events/s on one core), then the naive loop (each rule's
#      `Pattern::matches` in turn) on 20,000 of the events as the peer, checked to find the
#      same matches.
#   2. `opentrail-bench rules-webhook`: the server in-process, a logging trail, a rule with
#      a webhook target on 127.0.0.1, 1,000 events/s through POST /ingest for 30 s;
#      acknowledged → received at the webhook, p50/p90/p99/max (bar p99 ≤ 200 ms).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${BENCH_OUT:-$PWD/bench/out}
target=${CARGO_TARGET_DIR:-$PWD/target}
mkdir -p "$out"

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  cargo build --release --locked -p opentrail-bench
fi
bench="$target/release/opentrail-bench"

echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB memory, load $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== opentrail-bench rules-match (1,000,000 events, 1,000 rules, one thread; naive loop on 20,000 events)"
"$bench" rules-match --work "$out/rules-match" --events 1000000 --rules 1000 --seed 1

echo "== opentrail-bench rules-webhook (1,000 events/s for 30 s: acknowledged → webhook received)"
"$bench" rules-webhook --work "$out/rules-webhook" --rate 1000 --seconds 30
