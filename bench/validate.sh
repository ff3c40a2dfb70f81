#!/usr/bin/env bash
# validate-logs on a generated trail: `aws cloudtrail validate-logs` (the peer) and
# `opentrail validate-logs` on the same files, in the same run. Called by bench/run.sh;
# runs alone as well:
#
#   BENCH_OUT=/path/with/8GB/free bench/validate.sh
#
#   BENCH_OUT          scratch folder (default bench/out); the trail takes BENCH_TRAIL_BYTES
#                      on disk (cached there with a .complete marker), moto's copy as much
#                      again in memory and temporary files
#   BENCH_TRAIL_BYTES  gzipped log data of the trail (default 2G: powers of 1,024)
#   BENCH_TRAIL_HOURS  hours of the trail: one digest each (default 24)
#   BENCH_TRAIL_FILES_PER_HOUR
#                      log files per hour (default 12: few, large files, one per 5-minute
#                      slot; 600 gives a realistic busy trail's shape: 50 files of ~150 KB
#                      per slot for 2G); a trail other than 12 an hour is cached apart
#   BENCH_NO_BUILD     set by bench/run.sh, which has built the binaries already
#
# Steps: `opentrail-bench make-trail` writes the trail into a local bucket directory; a
# moto_server (S3 emulator) on 127.0.0.1 gets a copy (bench/upload_to_s3.py, metadata
# included), and bench/cloudtrail_stub.py answers DescribeTrails and ListPublicKeys from
# the trail's trail.json and public-keys.json (a real `opentrail serve` cannot serve a
# generated trail's keys yet). Then, timed one after the other:
#   (a) aws cloudtrail validate-logs        S3 = moto, CloudTrail = the stub
#   (b) opentrail validate-logs             the same arguments, the same moto and stub
#   (c) opentrail validate-logs --local-buckets --public-keys --s3-bucket
#                                           offline, on the local bucket directory
# Each must exit 0 with the same output (every digest and log file valid). Prints wall
# time, MB/s of gzipped log data, peak memory and the speed-up against (a).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${BENCH_OUT:-$PWD/bench/out}
bytes=${BENCH_TRAIL_BYTES:-2G}
hours=${BENCH_TRAIL_HOURS:-24}
files_per_hour=${BENCH_TRAIL_FILES_PER_HOUR:-12}
target=${CARGO_TARGET_DIR:-$PWD/target}
mkdir -p "$out"

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  cargo build --release --locked -p opentrail-cli -p opentrail-bench
fi
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore 'moto[server]' boto3 awscli
opentrail="$target/release/opentrail"
bench="$target/release/opentrail-bench"

trail="$out/trail-${hours}h-$bytes"
if [ "$files_per_hour" != 12 ]; then
  trail="$trail-${files_per_hour}fph"
fi
if [ ! -f "$trail/.complete" ]; then
  echo "== generate a $hours-hour trail of $bytes gzipped log data, $files_per_hour log files an hour"
  rm -rf "$trail"
  "$bench" make-trail --out "$trail" --hours "$hours" --files-per-hour "$files_per_hour" \
    --bytes "$bytes" --seed 1
  touch "$trail/.complete"
fi
# field KEY...: a value of trail.json.
field() {
  python3 -c '
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2:]:
    value = value[key]
print(value)' "$trail/trail.json" "$@"
}
arn=$(field Trail TrailARN)
bucket=$(field Trail S3BucketName)
region=$(field Region)
start=$(field StartTime)
end=$(field EndTime)
log_files=$(field LogFiles)
log_bytes=$(field LogFileBytes)
digests=$(field DigestFiles)
echo "trail: $arn, $start to $end: $log_files log files ($(awk "BEGIN {printf \"%.2f\", $log_bytes / 1e9}") GB gzipped), $digests digests"
echo "peer: $(aws --version 2>&1), moto $(python3 -c 'import moto; print(moto.__version__)')"

scratch=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

moto_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$moto_port" >"$scratch/moto.log" 2>&1 &
pids+=($!)
moto="http://127.0.0.1:$moto_port"
for _ in $(seq 1 100); do
  curl -s -o /dev/null "$moto/" && break
  sleep 0.2
done
curl -s -o /dev/null "$moto/" || { echo "moto_server did not start:"; cat "$scratch/moto.log"; exit 2; }

python3 bench/cloudtrail_stub.py "$trail/trail.json" "$trail/public-keys.json" >"$scratch/stub.port" &
pids+=($!)
for _ in $(seq 1 100); do
  [ -s "$scratch/stub.port" ] && break
  sleep 0.1
done
stub="http://127.0.0.1:$(head -n1 "$scratch/stub.port")"

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION="$region" AWS_DEFAULT_REGION="$region"
export AWS_ENDPOINT_URL_S3="$moto" AWS_ENDPOINT_URL_CLOUDTRAIL="$stub"
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_SESSION_TOKEN

echo "== upload the trail to moto_server (S3 emulator, $moto)"
python3 bench/upload_to_s3.py --endpoint "$moto" --bucket "$bucket" --region "$region" --dir "$trail/buckets/$bucket"

common=(--trail-arn "$arn" --start-time "$start" --end-time "$end")
# run NAME COMMAND...: runs it with stdout and stderr to files; records wall seconds, peak
# RSS (KB) and CPU seconds (user, system) in $scratch/NAME.time, the exit status in
# $scratch/NAME.code.
run() {
  local name=$1
  shift
  # Others' work on the machine skews every figure: say how busy it was.
  echo "   (load average $(cut -d' ' -f1 /proc/loadavg) at start)"
  set +e
  /usr/bin/time -o "$scratch/$name.time" -f "%e %M %U %S" "$@" >"$scratch/$name.out" 2>"$scratch/$name.err"
  echo $? >"$scratch/$name.code"
  set -e
}

echo "== (a) aws cloudtrail validate-logs (S3: moto, CloudTrail: stub)"
run aws aws --region "$region" cloudtrail validate-logs "${common[@]}"
echo "== (b) opentrail validate-logs (S3: moto, CloudTrail: stub)"
run moto "$opentrail" validate-logs --region "$region" --endpoint-url "$stub" "${common[@]}"
echo "== (c) opentrail validate-logs --local-buckets --public-keys (offline)"
# As for the import figures, the reader finds the files in the page cache.
find "$trail/buckets" -type f -exec cat {} + >/dev/null
run local "$opentrail" validate-logs --region "$region" "${common[@]}" --s3-bucket "$bucket" \
  --local-buckets "$trail/buckets" --public-keys "$trail/public-keys.json"

status=0
for name in aws moto local; do
  code=$(cat "$scratch/$name.code")
  if [ "$code" != 0 ] || [ -s "$scratch/$name.err" ]; then
    echo "FAILED: $name exited $code"
    cat "$scratch/$name.out" "$scratch/$name.err"
    status=1
  fi
done
if ! grep -qx "$digests/$digests digest files valid" "$scratch/aws.out" ||
  ! grep -qx "$log_files/$log_files log files valid" "$scratch/aws.out"; then
  echo "FAILED: aws did not report $digests/$digests digest files and $log_files/$log_files log files valid:"
  cat "$scratch/aws.out"
  status=1
fi
for name in moto local; do
  if ! cmp -s "$scratch/aws.out" "$scratch/$name.out"; then
    echo "FAILED: the output of $name differs from aws's:"
    diff "$scratch/aws.out" "$scratch/$name.out" || true
    status=1
  fi
done
echo "summary of all three:"
sed -n '/^Results requested/,$p' "$scratch/aws.out" | sed '/^$/d; s/^/  /'

read -r aws_seconds _ <"$scratch/aws.time"
# CPU seconds count only the validator's own process (not moto's), and do not depend on
# what else the machine runs.
printf "%-50s %8s %8s %8s %8s %9s\n" "validate-logs, $log_files log files" "wall s" "MB/s" "CPU s" "peak MB" "speed-up"
for name in aws moto local; do
  read -r seconds kb user system <"$scratch/$name.time"
  case $name in
    aws) label="(a) aws cloudtrail validate-logs, moto + stub" ;;
    moto) label="(b) opentrail validate-logs, moto + stub" ;;
    local) label="(c) opentrail validate-logs, local + key file" ;;
  esac
  awk -v label="$label" -v s="$seconds" -v kb="$kb" -v user_s="$user" -v system_s="$system" \
    -v bytes="$log_bytes" -v peer="$aws_seconds" \
    'BEGIN {printf "%-50s %8.2f %8.0f %8.2f %8.0f %8.1fx\n", label, s, bytes / 1e6 / s, user_s + system_s, kb / 1024, peer / s}'
done
for name in moto local; do
  read -r seconds _ <"$scratch/$name.time"
  awk -v name="$name" -v s="$seconds" -v bytes="$log_bytes" -v peer="$aws_seconds" 'BEGIN {
    speedup = peer / s; rate = bytes / 1e6 / s
    printf "bars (%s): >= 20x faster than aws %s (%.1fx); >= 300 MB/s %s (%.0f MB/s)\n", name,
      (speedup >= 20 ? "met" : "NOT MET"), speedup, (rate >= 300 ? "met" : "NOT MET"), rate
  }'
done
exit "$status"
