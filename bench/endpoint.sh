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
#   3. The throughput run again against moto_server (a real S3-compatible server, started
#      here on 127.0.0.1 when `moto_server` is installed), direct and through a second
#      endpoint in front of it.
#   4. Records: the server's endpoint records counter must have grown by two (network
#      activity + data event) per call through the endpoints.
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

s3=()
if command -v moto_server >/dev/null; then
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  moto_server -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
  moto=$!
  trap 'kill "$moto" 2>/dev/null || true' EXIT
  until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do sleep 0.2; done
  s3=(--s3-upstream "http://127.0.0.1:$port")
fi

echo "== opentrail-bench endpoint (1,000 GETs/s on each path for 30 s: added latency; 5 × 256 MiB each way: throughput)"
"$bench" endpoint --work "$out/endpoint" --rate 1000 --seconds 30 --large-mib 256 --large-runs 5 "${s3[@]}"
