#!/usr/bin/env bash
# The web console's pages on 10 M events (docs/benchmarks.md, "Console (issue 9)"). Never
# run by the tests: `bench/console.sh` by hand, then copy the printed figures.
#
#   BENCH_EVENTS   events to generate (default 10000000)
#   BENCH_DAYS     days they spread over, ending now (default 30)
#   BENCH_OUT      scratch folder (default bench/out/console). Needs about 1 KB per event:
#                  the compact records' journal (~0.8 KB each) and index; the gzipped
#                  NDJSON (~0.15 KB each) is removed once imported
#   BENCH_RUNS     requests per page (default 200)
#
# Steps: bench/console_data.py writes compact management events (3 accounts, the first
# holding 60 %), `opentrail import` puts them in a fresh data directory whose admin key
# is of that first account, `opentrail serve` serves them, and bench/console_pages.py
# signs in and times every page's default view over one keep-alive connection.
set -euo pipefail
cd "$(dirname "$0")/.."

events=${BENCH_EVENTS:-10000000}
days=${BENCH_DAYS:-30}
out=${BENCH_OUT:-$PWD/bench/out/console}
runs=${BENCH_RUNS:-200}
target=${CARGO_TARGET_DIR:-$PWD/target}
account=223559502959
mkdir -p "$out"

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  cargo build --release --locked -p opentrail-cli
fi
opentrail="$target/release/opentrail"

echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB memory"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD)"

data="$out/data"
if [ ! -f "$data/.complete" ]; then
  rm -rf "$data" "$out/logs"
  echo "== generate $events compact events over $days days"
  python3 bench/console_data.py "$out/logs" "$events" "$days" "$account" 1
  printf '[admin]\naccount_id = "%s"\n' "$account" > "$out/opentrail.toml"
  echo "== import"
  "$opentrail" import --config "$out/opentrail.toml" --data-dir "$data" --no-progress "$out/logs"
  rm -rf "$out/logs"
  touch "$data/.complete"
fi
echo "data directory: $(du -sh "$data" | cut -f1)"

echo "== serve and time the pages"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$opentrail" serve --config "$out/opentrail.toml" --data-dir "$data" --listen "127.0.0.1:$port" \
  > "$out/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 1
done
python3 bench/console_pages.py "http://127.0.0.1:$port" "$data/credentials" "$runs"
