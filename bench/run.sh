#!/usr/bin/env bash
# Measures the performance bars of docs/benchmarks.md, and DuckDB as the peer for import,
# in one run on this machine. Never run by the tests: `bench/run.sh` by hand, then copy the
# printed figures into docs/benchmarks.md.
#
#   BENCH_EVENTS   events to generate (default 10000000)
#   BENCH_OUT      scratch folder (default bench/out; needs ~40 GB for 10 M events,
#                  ~10 GB more while serve-ingest runs (1.6 KB per event ingested), and the
#                  validate-logs trail (2.2 GB, kept))
#   BENCH_SECONDS  length of the timed ingest (journal and HTTP), visibility and delivery
#                  runs (default 60)
#   BENCH_TRAIL_BYTES, BENCH_TRAIL_HOURS  the trail of the validate-logs section (default
#                  2G over 24 hours; see bench/validate.sh, which also runs alone)
set -euo pipefail
cd "$(dirname "$0")/.."

events=${BENCH_EVENTS:-10000000}
out=${BENCH_OUT:-$PWD/bench/out}
seconds=${BENCH_SECONDS:-60}
target=${CARGO_TARGET_DIR:-$PWD/target}
mkdir -p "$out"

cargo build --release --locked -p opentrail-cli -p opentrail-bench
python3 -m pip install --quiet --disable-pip-version-check duckdb
opentrail="$target/release/opentrail"
bench="$target/release/opentrail-bench"

echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB memory"
echo "disk: $(df -h "$out" | awk 'NR==2 {print $2 " total, " $4 " free"}')"
echo "commit: $(git rev-parse --short HEAD), rustc $(rustc --version | cut -d' ' -f2), duckdb $(python3 -c 'import duckdb; print(duckdb.__version__)')"

logs="$out/logs-$events"
if [ ! -f "$logs/.complete" ]; then
  echo "== generate $events events"
  rm -rf "$logs"
  "$opentrail" generate --events "$events" --seed 1 --duration 30d --out "$logs" --no-progress
  touch "$logs/.complete"
fi
echo "archive: $(find "$logs" -name '*.json.gz' | wc -l) files, $(du -sh "$logs" | cut -f1) gzipped"

# Both readers get the archive from the page cache: warm it once, for both alike.
find "$logs" -name '*.json.gz' -exec cat {} + > /dev/null

echo "== peer: duckdb counting the same records with read_json"
python3 - "$logs" <<'PY'
import sys, time, duckdb
logs = sys.argv[1]
started = time.time()
count = duckdb.execute(f"SELECT sum(len(Records)) FROM read_json('{logs}/**/*.json.gz', columns={{Records: 'JSON[]'}}, maximum_object_size=67108864)").fetchone()[0]
elapsed = time.time() - started
print(f"duckdb read_json: {count} records in {elapsed:.1f} s: {count / elapsed:.0f} records/s")
PY

echo "== import into event history (fresh data directory)"
rm -rf "$out/data"
OPENTRAIL_LOG=info /usr/bin/time -f "import wall %e s, user %U s, system %S s, max RSS %M KB" "$opentrail" import --no-progress --data-dir "$out/data" "$logs" &
import_pid=$!
peak_anon=0
while kill -0 "$import_pid" 2>/dev/null; do
  child=$(pgrep -P "$import_pid" opentrail || true)
  anon=$(awk '/RssAnon/ {print $2}' "/proc/${child:-0}/status" 2>/dev/null || echo 0)
  [ "${anon:-0}" -gt "$peak_anon" ] && peak_anon=$anon
  sleep 0.5
done
wait "$import_pid"
echo "import peak anonymous memory: $((peak_anon / 1024)) MB (the rest of RSS is mapped index and ID-table files)"

echo "== LookupEvents on the imported events"
"$bench" lookups --data-dir "$out/data" --seconds 20

echo "== dashboard aggregates (facets, histograms) on the imported events"
"$bench" facets --data-dir "$out/data"

echo "== LookupEvents over HTTP: SigV4-signed calls on keep-alive connections, server in-process"
# The server records each call in the data directory (self-audit); nothing else changes.
"$bench" serve-lookups --data-dir "$out/data" --seconds 30 --connections 8

echo "== ingest over HTTP: POST /ingest, acknowledged once durable (fresh data directory)"
"$bench" serve-ingest --dir "$out/ingest-data" --seconds "$seconds" --connections 4 --batch 1000
rm -rf "$out/ingest-data"

echo "== durable journal ingest"
"$bench" journal --dir "$out/journal" --seconds "$seconds"
"$bench" journal --dir "$out/journal" --seconds "$seconds" --validate
rm -rf "$out/journal"

echo "== acknowledged → visible under full ingest load"
"$bench" visibility --dir "$out/visibility" --seconds "$seconds"
rm -rf "$out/visibility"

echo "== validate-logs on a generated ${BENCH_TRAIL_HOURS:-24}-hour trail: aws CLI (peer) and opentrail, same files, same run"
BENCH_NO_BUILD=1 BENCH_OUT="$out" CARGO_TARGET_DIR="$target" bench/validate.sh

echo "== trail delivery: acknowledged by /ingest → log file durable in the bucket (delivery interval 1 s)"
"$bench" serve-delivery --dir "$out/delivery" --seconds "$seconds" --rate 2000 --interval-secs 1
rm -rf "$out/delivery"

echo "== Insights: detection on a generated workload and the fixtures, analyzer throughput and CPU"
BENCH_NO_BUILD=1 BENCH_OUT="$out" CARGO_TARGET_DIR="$target" bench/insights.sh

echo "== rules: 1,000 rules matched on one core, and acknowledged → webhook target received"
BENCH_NO_BUILD=1 BENCH_OUT="$out" CARGO_TARGET_DIR="$target" bench/rules.sh

echo "== recording endpoint: added latency of small GETs at 1,000/s, large-object throughput against direct"
BENCH_NO_BUILD=1 BENCH_OUT="$out" CARGO_TARGET_DIR="$target" bench/endpoint.sh
