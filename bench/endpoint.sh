#!/usr/bin/env bash
# The recording endpoint (docs/benchmarks.md, issue 8): what an `[[endpoints]]` reverse
# proxy adds to calls against going to the service directly. Called by bench/run.sh; runs
# alone as well:
#
#   bench/endpoint.sh
#
#   BENCH_OUT       scratch folder (default bench/out); the server's data directory while it
#                   runs (a few tens of MB), removed at the end
#   BENCH_NO_BUILD  set by bench/run.sh, which has built the binaries already
#
# `opentrail-bench endpoint`: the server in-process with one recording endpoint in front
# of the benchmark's own S3-like upstream (own thread and runtime, 1 KiB and 256 MiB
# objects), every GET SigV4-signed with a registry key of the endpoint owner's account.
#   1. Latency: open loop, 1,000 small-object GETs/s on each path for 30 s, direct and
#      through the endpoint alternating on one schedule, 8 keep-alive connections per path;
#      p50/p90/p99/max of each and their difference (bar: added p99 ≤ 2 ms).
#   2. Throughput: 5 downloads of the 256 MiB object on each path, alternating; median
#      MB/s of each (bar: through ≥ 90% of direct).
#   3. Records: the server's endpoint records counter must have grown by two (network
#      activity + data event) per call through the endpoint.
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

echo "== opentrail-bench endpoint (1,000 GETs/s on each path for 30 s: added latency; 5 × 256 MiB each way: throughput)"
"$bench" endpoint --work "$out/endpoint" --rate 1000 --seconds 30 --large-mib 256 --large-runs 5
