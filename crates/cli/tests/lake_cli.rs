//! `opentrail import --event-data-store` and `opentrail query`, on a data directory and
//! against a running server.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::{admin_key, call_api, launch, opentrail, stderr, stdout};

/// The recipient account of every fixture record.
const FIXTURE_ACCOUNT: &str = "123837392027";
/// Records in the fixture log files.
const FIXTURE_RECORDS: usize = 1784;

/// The invictus-aws-dataset trail log files (33 files, 1784 management events of
/// 2023-07-10).
fn fixture_logs() -> PathBuf {
    opentrail_testkit::testdata::root().join("cloudtrail-logs/invictus-aws-dataset")
}

/// The three most frequent event names of the fixtures, with their counts.
fn top_three_statement(store: &str) -> String {
    format!(
        "SELECT eventName, count(*) AS n FROM {store} \
         WHERE recipientAccountId = '{FIXTURE_ACCOUNT}' \
         GROUP BY eventName ORDER BY n DESC, eventName LIMIT 3"
    )
}

/// Creates event data stores through a short-lived server; returns their ARNs.
fn create_stores(data: &Path, bodies: &[&str]) -> Vec<String> {
    let served = launch(data, None, &[]);
    let key = admin_key(data);
    let arns = bodies
        .iter()
        .map(|body| {
            let answer = call_api(
                &served.endpoint,
                (&key.0, &key.1),
                "CreateEventDataStore",
                body,
            );
            let parsed: serde_json::Value = serde_json::from_str(&answer).unwrap();
            parsed["EventDataStoreArn"].as_str().unwrap().to_owned()
        })
        .collect();
    assert!(served.stop().success());
    arns
}

fn store_id(arn: &str) -> String {
    arn.rsplit('/').next().unwrap().to_owned()
}

fn import_into(data: &Path, store: &str) -> Output {
    opentrail()
        .args(["import", "--data-dir"])
        .arg(data)
        .args(["--event-data-store", store])
        .arg(fixture_logs())
        .output()
        .unwrap()
}

fn query(data: &Path, extra: &[&str]) -> Output {
    opentrail()
        .args(["query", "--data-dir"])
        .arg(data)
        .args(extra)
        .output()
        .unwrap()
}

fn success(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}\n{}\n{}",
        output.status.code(),
        stdout(output),
        stderr(output)
    );
    stdout(output)
}

#[test]
fn imported_archives_are_queryable_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let arns = create_stores(
        &data,
        &[
            r#"{"Name":"imported","RetentionPeriod":3653}"#,
            r#"{"Name":"short-retention","RetentionPeriod":30}"#,
        ],
    );
    let store = store_id(&arns[0]);

    let first = success(&import_into(&data, &store));
    assert!(
        first.contains(&format!(
            "imported {FIXTURE_RECORDS} events into event data store {store} from 33 files"
        )),
        "{first}"
    );
    assert!(
        first.contains(&format!(
            "records: {FIXTURE_RECORDS} read, {FIXTURE_RECORDS} added, 0 duplicates, 0 expired (older than the 3653-day retention), 0 rejected"
        )),
        "{first}"
    );
    // Again, by ARN: every event is already there.
    let second = success(&import_into(&data, &arns[0]));
    assert!(
        second.contains(&format!(
            "records: {FIXTURE_RECORDS} read, 0 added, {FIXTURE_RECORDS} duplicates, 0 expired"
        )),
        "{second}"
    );
    // The 2023 events are past a 30-day retention.
    let expired = success(&import_into(&data, &arns[1]));
    assert!(
        expired.contains(&format!(
            "{FIXTURE_RECORDS} read, 0 added, 0 duplicates, {FIXTURE_RECORDS} expired (older than the 30-day retention)"
        )),
        "{expired}"
    );

    let statement = top_three_statement(&store);
    let table = query(&data, &[statement.as_str()]);
    assert_eq!(
        success(&table),
        "eventName           | n\n\
         --------------------+----\n\
         DescribeRouteTables | 121\n\
         Decrypt             | 105\n\
         DescribeParameters  | 91\n"
    );
    let statistics = stderr(&table);
    assert!(
        statistics.contains(" FINISHED: 3 of 3 rows, "),
        "{statistics}"
    );
    assert!(
        statistics.contains(&format!("{FIXTURE_RECORDS} events matched")),
        "{statistics}"
    );

    let csv = query(
        &data,
        &["--format", "csv", "--max-rows", "2", statement.as_str()],
    );
    assert_eq!(
        success(&csv),
        "eventName,n\r\nDescribeRouteTables,121\r\nDecrypt,105\r\n"
    );
    assert!(
        stderr(&csv).contains(" FINISHED: 2 of 3 rows, "),
        "{}",
        stderr(&csv)
    );

    let file = dir.path().join("top.sql");
    std::fs::write(&file, format!("{statement};\n")).unwrap();
    let json = query(
        &data,
        &["--format", "json", "--file", file.to_str().unwrap()],
    );
    let rows: serde_json::Value = serde_json::from_str(&success(&json)).unwrap();
    assert_eq!(
        rows,
        serde_json::json!([
            {"eventName": "DescribeRouteTables", "n": "121"},
            {"eventName": "Decrypt", "n": "105"},
            {"eventName": "DescribeParameters", "n": "91"},
        ])
    );

    // Every fixture record is in the store once, NULLs come out as JSON null.
    let all = query(
        &data,
        &[
            "--format",
            "json",
            &format!(
                "SELECT count(*) AS records, count(DISTINCT eventID) AS ids, max(errorCode) AS nothing \
                 FROM {store} WHERE recipientAccountId = '{FIXTURE_ACCOUNT}' AND eventName = 'GetUser' AND errorCode IS NULL"
            ),
        ],
    );
    let counted: serde_json::Value = serde_json::from_str(&success(&all)).unwrap();
    assert_eq!(counted[0]["records"], counted[0]["ids"]);
    assert_eq!(counted[0]["nothing"], serde_json::Value::Null);
    let distinct = query(
        &data,
        &[
            "--format",
            "csv",
            &format!(
                "SELECT count(*), count(DISTINCT eventID) FROM {store} WHERE recipientAccountId = '{FIXTURE_ACCOUNT}'"
            ),
        ],
    );
    assert_eq!(
        success(&distinct),
        format!("_col0,_col1\r\n{FIXTURE_RECORDS},{FIXTURE_RECORDS}\r\n")
    );
}

#[test]
fn refused_statements_and_stores_exit_2_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let arns = create_stores(
        &data,
        &[
            r#"{"Name":"refusals","RetentionPeriod":3653}"#,
            r#"{"Name":"insights","AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Insight"]}]}]}"#,
        ],
    );
    let store = store_id(&arns[0]);

    let delete = query(&data, &[&format!("DELETE FROM {store}")]);
    assert_eq!(delete.status.code(), Some(2));
    assert!(
        stderr(&delete).contains(
            "An error occurred (InvalidQueryStatementException) when calling the StartQuery operation: "
        ),
        "{}",
        stderr(&delete)
    );
    assert!(stdout(&delete).is_empty());

    let unknown = query(&data, &["SELECT eventName FROM nosuchstore"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("(InvalidQueryStatementException)"),
        "{}",
        stderr(&unknown)
    );

    // A statement that fails while running: the query ends FAILED.
    let failed = query(
        &data,
        &[&format!("SELECT CAST(eventName AS integer) FROM {store}")],
    );
    assert_eq!(failed.status.code(), Some(2));
    let message = stderr(&failed);
    assert!(message.contains(" FAILED: 0 of 0 rows, "), "{message}");
    assert!(message.contains("` ended FAILED: "), "{message}");

    let insights = import_into(&data, &arns[1]);
    assert_eq!(insights.status.code(), Some(2));
    assert!(
        stderr(&insights).contains(
            "holds Insight events; log files can be imported into a CloudTrail-events store only"
        ),
        "{}",
        stderr(&insights)
    );

    let missing = import_into(&data, "00000000-0000-0000-0000-000000000000");
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("cannot import into `00000000-0000-0000-0000-000000000000`"),
        "{}",
        stderr(&missing)
    );

    let no_statement = opentrail()
        .args(["query", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(no_statement.status.code(), Some(2));
    assert!(
        stderr(&no_statement).contains("<SQL>"),
        "{}",
        stderr(&no_statement)
    );
}

#[test]
fn a_server_answers_the_same_rows_as_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let arns = create_stores(
        &data,
        &[r#"{"Name":"over-the-wire","RetentionPeriod":3653}"#],
    );
    let store = store_id(&arns[0]);
    success(&import_into(&data, &store));
    let statement = top_three_statement(&store);
    let local = success(&query(&data, &["--format", "json", statement.as_str()]));

    let served = launch(&data, None, &[]);
    let (access, secret) = admin_key(&data);
    let home = dir.path().join("home");
    let remote = |extra: &[&str], with_key: bool| {
        let mut command = opentrail();
        command
            .args(["query", "--endpoint-url", &served.endpoint])
            .args(extra)
            .env("HOME", &home)
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("AWS_SHARED_CREDENTIALS_FILE")
            .env_remove("AWS_CONFIG_FILE")
            .env_remove("AWS_REGION")
            .env_remove("AWS_DEFAULT_REGION");
        if with_key {
            command
                .env("AWS_ACCESS_KEY_ID", &access)
                .env("AWS_SECRET_ACCESS_KEY", &secret);
        } else {
            command
                .env_remove("AWS_ACCESS_KEY_ID")
                .env_remove("AWS_SECRET_ACCESS_KEY");
        }
        command.output().unwrap()
    };
    let over_the_wire = remote(&["--format", "json", statement.as_str()], true);
    assert_eq!(success(&over_the_wire), local);
    assert!(
        stderr(&over_the_wire).contains(" FINISHED: 3 of 3 rows, "),
        "{}",
        stderr(&over_the_wire)
    );

    // Without AWS credentials, the data directory's `credentials` file signs.
    let data_arg = data.to_str().unwrap();
    let with_file = remote(
        &[
            "--data-dir",
            data_arg,
            "--format",
            "json",
            statement.as_str(),
        ],
        false,
    );
    assert_eq!(success(&with_file), local);

    let refused = remote(&[&format!("DROP TABLE {store}")], true);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains(
            "An error occurred (InvalidQueryStatementException) when calling the StartQuery operation: "
        ),
        "{}",
        stderr(&refused)
    );

    let wrong_key = {
        let mut command = opentrail();
        command
            .args(["query", "--endpoint-url", &served.endpoint, "SELECT 1"])
            .env("HOME", &home)
            .env_remove("AWS_PROFILE")
            .env("AWS_ACCESS_KEY_ID", "AKIANOTAKEY000000000")
            .env("AWS_SECRET_ACCESS_KEY", "wrong");
        command.output().unwrap()
    };
    assert_eq!(wrong_key.status.code(), Some(2));
    assert!(
        stderr(&wrong_key).contains("when calling the StartQuery operation"),
        "{}",
        stderr(&wrong_key)
    );
    assert!(served.stop().success());
}
