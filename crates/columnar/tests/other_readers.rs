//! Files read by other Parquet readers: pyarrow and DuckDB must see the values we mean.
//!
//! Needs `python3` with `pyarrow` and `duckdb` (`python3 -m pip install pyarrow duckdb`).
//! Without them the test says so on stderr and passes; CI installs them.

use std::process::Command;

use opentrail_columnar::{ParquetOptions, RowsBuilder, TableKind, merge_parquet, write_parquet};

use crate::support::{testdata, testdata_records};

/// Exit status of the script when a module is missing (autotools' "skipped").
const SKIPPED: i32 = 77;

const SCRIPT: &str = r#"
import json, sys
try:
    import duckdb
    import pyarrow.parquet as pq
except ImportError as error:
    print(f"missing Python module: {error.name}")
    sys.exit(77)

path, kind = sys.argv[1], sys.argv[2]

def text(value):
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))

def same(stored, expected):
    if isinstance(expected, (dict, list)):
        return json.loads(stored) == expected
    if isinstance(expected, bool):
        return stored == ("true" if expected else "false")
    if isinstance(expected, (int, float)):
        return float(stored) == float(expected)
    return stored == expected

table = pq.read_table(path)
rows = table.to_pylist()
con = duckdb.connect()
failures = []
def check(what, got, want):
    if got != want:
        failures.append(f"{what}: got {got!r}, want {want!r}")

if kind == "CloudTrail":
    duck = con.execute(
        "SELECT eventid, useridentity.arn, element_at(requestparameters, 'bucketName'),"
        " strftime(eventtime, '%Y-%m-%dT%H:%M:%S'), readonly, resources[1].arnprefix,"
        " useridentity.sessioncontext.sessionissuer.username, cardinality(requestparameters),"
        " tlsdetails.tlsversion, eventjsonchecksum"
        f" FROM read_parquet('{path}')"
    ).fetchall()
    check("duckdb row count", len(duck), len(rows))
    for row, d in zip(rows, duck):
        record = json.loads(row["eventjson"])
        origin = record.get("eventID")
        check(f"{origin} eventid", d[0], record.get("eventID"))
        identity = record.get("userIdentity") or {}
        check(f"{origin} useridentity.arn", d[1], identity.get("arn"))
        bucket = d[2][0] if isinstance(d[2], list) and d[2] else (None if isinstance(d[2], list) else d[2])
        check(f"{origin} bucketName", bucket, ((record.get("requestParameters") or {}).get("bucketName")))
        check(f"{origin} eventtime", d[3], record["eventTime"][:19])
        check(f"{origin} readonly", d[4], record.get("readOnly"))
        resources = record.get("resources")
        if resources:
            arn = resources[0].get("ARN")
            cut = max(arn.rfind("/"), arn.rfind(":"))
            check(f"{origin} arnprefix", d[5], arn[: cut + 1] if cut >= 0 else None)
        issuer = (identity.get("sessionContext") or {}).get("sessionIssuer") or {}
        check(f"{origin} issuer", d[6], issuer.get("userName"))
        parameters = record.get("requestParameters")
        check(f"{origin} cardinality", d[7], None if parameters is None else len(parameters))
        check(f"{origin} tls", d[8], (record.get("tlsDetails") or {}).get("tlsVersion"))
        # pyarrow: maps as lists of (key, value) pairs, in record order.
        stored = row["requestparameters"]
        if parameters is None:
            check(f"{origin} pyarrow map", stored, None)
        else:
            check(f"{origin} pyarrow keys", [k for k, _ in stored], list(parameters.keys()))
            for (key, value), want in zip(stored, parameters.values()):
                if want is None:
                    check(f"{origin} {key}", value, None)
                elif not same(value, want):
                    failures.append(f"{origin} {key}: {value!r} vs {want!r}")
        check(f"{origin} eventtime pyarrow", row["eventtime"].strftime("%Y-%m-%dT%H:%M:%S"), record["eventTime"][:19])
    buckets = con.execute(
        f"SELECT count(*) FROM read_parquet('{path}') WHERE element_at(requestparameters, 'bucketName')[1] IS NOT NULL"
    ).fetchone()[0]
    check("rows with bucketName", buckets, sum(1 for row in rows if (json.loads(row["eventjson"]).get("requestParameters") or {}).get("bucketName")))
elif kind == "Insights":
    duck = con.execute(
        "SELECT insightstate, insightcontext.insightduration, insightcontext.attributions[1].insightvalue,"
        " insightcontext.attributions[1].insight[1].average FROM read_parquet('" + path + "')"
    ).fetchall()
    for row, d in zip(rows, duck):
        details = json.loads(row["eventjson"])["insightDetails"]
        context = details["insightContext"]
        check("state", d[0], details["state"])
        check("duration", d[1], context["statistics"]["insightDuration"])
        first = context["attributions"][0]["insight"][0]
        check("top value", d[2], first["value"])
        check("first average", d[3], first["average"])
else:
    duck = con.execute(
        "SELECT eventdata.useridentity.principalid, element_at(eventdata.requestparameters, 'repo')[1],"
        " metadata.channelarn, eventdata.uid FROM read_parquet('" + path + "')"
    ).fetchall()
    for row, d in zip(rows, duck):
        record = json.loads(row["eventjson"])
        data = record["eventData"]
        check("principal", d[0], data["userIdentity"]["principalId"])
        check("repo", d[1], data["requestParameters"]["repo"])
        check("channel", d[2], record["metadata"]["channelARN"])
        check("uid", d[3], data["UID"])

if failures:
    print("\n".join(failures[:40]))
    sys.exit(1)
print(f"ok: {len(rows)} rows of {kind} checked with pyarrow {__import__('pyarrow').__version__} and duckdb {duckdb.__version__}")
"#;

/// Writes `records` as one file; `merged`: as a merge (compaction's way) of files of 60
/// rows and of 7, so that both copied and joined row groups are read.
fn write_file(
    kind: TableKind,
    records: &[String],
    directory: &std::path::Path,
    merged: bool,
) -> std::path::PathBuf {
    let mut rows = RowsBuilder::new(kind);
    for record in records {
        rows.push(record.as_bytes()).unwrap();
    }
    let batch = rows.finish().unwrap();
    let options = ParquetOptions {
        row_group_rows: 50,
        ..ParquetOptions::default()
    };
    let name = if merged { "merged-" } else { "" };
    let path = directory.join(format!("{name}{}.parquet", kind.name()));
    let file = std::fs::File::create(&path).unwrap();
    if !merged {
        write_parquet(&[batch], file, &options).unwrap();
        return path;
    }
    let mut parts = Vec::new();
    let mut offset = 0;
    for length in [60, 7, 7, 60].into_iter().cycle() {
        if offset >= batch.num_rows() {
            break;
        }
        let length = length.min(batch.num_rows() - offset);
        let mut part = Vec::new();
        write_parquet(&[batch.slice(offset, length)], &mut part, &options).unwrap();
        parts.push(bytes::Bytes::from(part));
        offset += length;
    }
    merge_parquet(&parts, file, &options).unwrap();
    path
}

fn spec(name: &str) -> String {
    std::fs::read_to_string(testdata(&format!("spec/{name}.json"))).unwrap()
}

#[test]
fn pyarrow_and_duckdb_read_what_we_wrote() {
    let directory = tempfile::tempdir().unwrap();
    let script = directory.path().join("check.py");
    std::fs::write(&script, SCRIPT).unwrap();

    // Every record of the repository's fixture set, this crate's copies, the spec examples.
    let mut cloudtrail: Vec<String> = opentrail_testkit::testdata::all_fixture_records()
        .into_iter()
        .map(|record| record.json)
        .collect();
    for name in [
        "218007301253_CloudTrail_us-east-1_20230710T1225Z_4iD2boYSOwmb6sWd.json",
        "aws.execution.ec2-launch-unusual-instances.json",
        "cloudtrail-log-file-examples--block05.json",
    ] {
        cloudtrail.extend(testdata_records(name));
    }
    cloudtrail.extend(["management", "data", "network"].map(spec));
    let files = [
        (TableKind::CloudTrail, cloudtrail.clone(), false),
        (TableKind::CloudTrail, cloudtrail, true),
        (
            TableKind::Insights,
            vec![spec("insight-start"), spec("insight-end")],
            false,
        ),
        (TableKind::ActivityAuditLog, vec![spec("activity")], false),
    ];
    for (kind, records, merged) in files {
        let path = write_file(kind, &records, directory.path(), merged);
        let output = match Command::new("python3")
            .arg(&script)
            .arg(&path)
            .arg(kind.name())
            .output()
        {
            Ok(output) => output,
            Err(error) => {
                eprintln!("skipping the pyarrow/duckdb check: cannot run python3 ({error})");
                return;
            }
        };
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        if output.status.code() == Some(SKIPPED) {
            eprintln!(
                "skipping the pyarrow/duckdb check: {} (python3 -m pip install pyarrow duckdb)",
                stdout.trim()
            );
            return;
        }
        assert!(output.status.success(), "{kind:?}: {stdout}\n{stderr}");
        eprintln!("{}", stdout.trim());
    }
}
