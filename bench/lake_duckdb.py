#!/usr/bin/env python3
"""The four Lake queries of `opentrail-bench lake` in DuckDB, over the same Parquet files
and over the raw `.json.gz` logs, compared with OpenTrail's figures.

    python3 bench/lake_duckdb.py WORK/lake-results.json [--runs N] [--raw-runs N] [--parquet-only]

Reads the results `opentrail-bench lake` wrote (its timings, row counts, check sums, the
access key and window it picked, the store's folder and the logs folder), runs each query
in DuckDB (all cores, default settings), prints one table with the ratios and the bars,
and exits 1 if a row count or check sum differs from OpenTrail's.

The check of a query is the sum of its last column when that is a count, else its row
count, as the bench computes it.
"""

import argparse
import glob
import json
import os
import statistics
import sys
import time

import duckdb

# The columns the queries read, as the raw logs hold them. Declaring them (rather than
# letting DuckDB sample the files) is the fast way to read CloudTrail logs in DuckDB:
# members not named are skipped.
RECORD = (
    "STRUCT(eventTime TIMESTAMP, eventSource VARCHAR, eventName VARCHAR, "
    "awsRegion VARCHAR, sourceIPAddress VARCHAR, errorCode VARCHAR, "
    "userIdentity STRUCT(arn VARCHAR, accessKeyId VARCHAR))"
)

QUERIES = [
    (
        "count by eventName",
        "SELECT eventName, COUNT(*) AS events FROM s "
        "GROUP BY eventName ORDER BY events DESC, eventName",
    ),
    (
        "top principals by errors",
        "SELECT userIdentity.arn AS principal, COUNT(*) AS errors FROM s "
        "WHERE errorCode IS NOT NULL GROUP BY userIdentity.arn "
        "ORDER BY errors DESC, principal LIMIT 20",
    ),
    (
        "one access key over 7 days",
        "SELECT eventTime, eventSource, eventName, awsRegion, sourceIPAddress, errorCode "
        "FROM s WHERE userIdentity.accessKeyId = '{key}' "
        "AND eventTime >= TIMESTAMP '{start}' AND eventTime < TIMESTAMP '{end}' ORDER BY eventTime",
    ),
    (
        "distinct source IPs per day",
        "SELECT date_trunc('day', eventTime) AS day, COUNT(DISTINCT sourceIPAddress) AS source_ips "
        "FROM s GROUP BY date_trunc('day', eventTime) ORDER BY day",
    ),
]


def check(rows):
    """Sum of the last column when every value is an integer, else the row count."""
    last = [row[-1] for row in rows]
    if last and all(isinstance(value, int) and not isinstance(value, bool) for value in last):
        return sum(last)
    return len(rows)


def timed(con, sql, runs):
    times = []
    rows = None
    for _ in range(runs):
        started = time.perf_counter()
        rows = con.execute(sql).fetchall()
        times.append((time.perf_counter() - started) * 1e3)
    return {
        "runs_ms": times,
        "median_ms": statistics.median(times),
        "min_ms": min(times),
        "rows": len(rows),
        "check": check(rows),
    }


def connect():
    con = duckdb.connect()
    # Times are UTC in both engines (eventTime is stored as UTC).
    con.execute("SET TimeZone = 'UTC'")
    return con


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="lake-results.json written by opentrail-bench lake")
    parser.add_argument("--runs", type=int, help="runs per query (default: the bench's)")
    parser.add_argument("--raw-runs", type=int, help="runs per query on the raw logs (default: --runs)")
    parser.add_argument("--out", help="where to write the combined figures (JSON)")
    parser.add_argument("--parquet-only", action="store_true",
                        help="only the Parquet comparison: the raw-log queries take minutes each")
    args = parser.parse_args()

    with open(args.results) as file:
        bench = json.load(file)
    runs = args.runs or bench["runs"]
    raw_runs = args.raw_runs or runs
    params = bench["parameters"]
    statements = [
        (name, sql.format(key=params["access_key"], start=params["start"], end=params["end"]))
        for name, sql in QUERIES
    ]

    parquet_glob = os.path.join(bench["parquet_dir"], "**", "*.parquet")
    on_disk = sorted(glob.glob(parquet_glob, recursive=True))
    listed = sorted(bench["parquet_files"])
    print(f"duckdb {duckdb.__version__}; Parquet: {len(on_disk)} files under {bench['parquet_dir']} "
          f"({len(listed)} in the store's manifest)")
    if on_disk != listed:
        print("the glob and the manifest differ: the comparison would not be on the same files")
        return 1
    logs = bench["logs"]
    log_glob = os.path.join(logs, "**", "*.json.gz")
    log_files = glob.glob(log_glob, recursive=True)
    print(f"raw logs: {len(log_files)} .json.gz files under {logs}")
    # Both engines read warm files: the bench just wrote the Parquet files; warm the logs.
    for path in [] if args.parquet_only else log_files:
        with open(path, "rb") as file:
            while file.read(1 << 20):
                pass

    sources = {
        "parquet": f"CREATE VIEW s AS SELECT * FROM read_parquet('{parquet_glob}')",
        # One row per record, its members as columns (userIdentity stays a struct, as
        # the queries name userIdentity.arn).
        "raw": (
            "CREATE VIEW s AS SELECT unnest(r) FROM (SELECT unnest(Records) AS r FROM read_json("
            f"'{log_glob}', format = 'auto', columns = {{Records: '{RECORD}[]'}}, "
            "maximum_object_size = 67108864))"
        ),
    }
    if args.parquet_only:
        del sources["raw"]
    figures = {}
    for source, view in sources.items():
        con = connect()
        con.execute(view)
        count = raw_runs if source == "raw" else runs
        print(f"== duckdb on {source} ({count} runs each)")
        print(f"   view: {view}")
        figures[source] = []
        for name, sql in statements:
            result = timed(con, sql, count)
            print(f"{name:<30} median {result['median_ms']:>10.1f} ms  min {result['min_ms']:>10.1f} ms  "
                  f"rows {result['rows']:>6}  check {result['check']}")
            figures[source].append(result)
        con.close()

    print()
    print("== OpenTrail vs DuckDB (median ms of each query; ratio = DuckDB / OpenTrail, > 1 means OpenTrail is faster)")
    header = (f"{'query':<30} {'OpenTrail':>10} {'DuckDB Parquet':>15} {'ratio':>7} "
              f"{'DuckDB raw JSON':>16} {'ratio':>8} {'rows (OT/PQ/raw)':>20} {'check (OT/PQ/raw)':>32}")
    print(header)
    mismatches = []
    parquet_bar = True
    raw_bar = True
    for index, (name, _) in enumerate(statements):
        ours = bench["queries"][index]
        parquet = figures["parquet"][index]
        # Without the raw side, its columns repeat the Parquet figures' rows and checks
        # and its timings show as "-".
        raw = figures["raw"][index] if "raw" in figures else None
        parquet_ratio = parquet["median_ms"] / ours["median_ms"]
        parquet_bar &= ours["median_ms"] <= 1.5 * parquet["median_ms"]
        raw_rows = raw["rows"] if raw else parquet["rows"]
        raw_check = raw["check"] if raw else parquet["check"]
        if raw:
            raw_ratio = raw["median_ms"] / ours["median_ms"]
            raw_bar &= raw_ratio >= 10
            raw_text = f"{raw['median_ms']:>16.1f} {raw_ratio:>7.1f}x"
        else:
            raw_text = f"{'-':>16} {'-':>8}"
        rows = f"{ours['rows']}/{parquet['rows']}/{raw['rows'] if raw else '-'}"
        checks = f"{ours['check']}/{parquet['check']}/{raw['check'] if raw else '-'}"
        print(f"{name:<30} {ours['median_ms']:>10.1f} {parquet['median_ms']:>15.1f} {parquet_ratio:>6.2f}x "
              f"{raw_text} {rows:>20} {checks:>32}")
        if not (ours["rows"] == parquet["rows"] == raw_rows and ours["check"] == parquet["check"] == raw_check):
            mismatches.append(name)
    print()
    print(f"bar: within 1.5x of DuckDB on Parquet (every query): {'met' if parquet_bar else 'NOT MET'}")
    if "raw" in figures:
        print(f"bar: >= 10x faster than DuckDB on the raw logs (every query): {'met' if raw_bar else 'NOT MET'}")
    else:
        print("bar: >= 10x faster than DuckDB on the raw logs: not run (--parquet-only)")
    ingest = bench["ingest"]
    writer_rate = ingest["store_rows"] / ingest["writer_seconds"]
    print(f"bar: Lake ingest >= 100,000 events/s: {writer_rate:,.0f} events/s: "
          f"{'met' if writer_rate >= 100_000 else 'NOT MET'} "
          f"(journal import in the same run: {ingest['journal_events'] / ingest['import_seconds']:,.0f} events/s)")
    if args.out:
        with open(args.out, "w") as file:
            json.dump({"opentrail": bench, "duckdb": figures, "duckdb_version": duckdb.__version__}, file, indent=2)
    if mismatches:
        print(f"row counts or checks differ for: {', '.join(mismatches)}")
        return 1
    print("row counts and checks agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
