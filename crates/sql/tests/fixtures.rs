//! Every real Lake query of the shared fixtures (`tests/lake-queries/`, a copy of
//! `shared/fixtures/lake-queries/`) through the gate, and then through the
//! engine over two stores: the hand-written store A and the store of every
//! fixture record (`support::FIXTURE_STORE`). Known failures are listed with
//! their reason; a new failure, or a known one that starts passing, fails the
//! test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use opentrail_sql::{CancelFlag, EngineConfig, SqlEngine, StoreTable, parse_statement};

use crate::support::{FIXTURE_STORE, STORE_A, test_stores};

/// Placeholders for the store id in the fixtures.
const STORE_PLACEHOLDERS: &[&str] = &[
    "$EDS_ID",
    "<event_data_store_id>",
    "<EDS ID>",
    "<Event data store Id>",
    "<event-data-store-ID>",
];

/// Other placeholders in the fixtures and what they become.
const PLACEHOLDERS: &[(&str, &str)] = &[("${date_filter}", "2026-01-22 00:00:00")];

/// Fixtures the gate refuses, and why.
const KNOWN_PARSE_FAILURES: &[(&str, &str)] = &[
    (
        "aws-samples/list-all-errors-for-s3-events.sql",
        "the sample pastes a second copy of itself after `example:`",
    ),
    (
        "aws-samples/list-publicly-accessible-rds-instances.sql",
        "the sample holds the statement twice without a `;` between",
    ),
    (
        "aws-user-guide/query-create-edit-query--block01.sql",
        "the guide writes `< =` with a space, which is no operator",
    ),
];

/// Fixtures that pass the gate but fail to run over either store, and why.
const KNOWN_EXECUTION_FAILURES: &[(&str, &str)] = &[
    (
        "aws-samples/ConfigItemCountQuery.sql",
        "an Athena query over `default.awsconfig`, not a Lake store",
    ),
    (
        "aws-samples/ssm-patch-compliance-all-ec2-instances-time-range.sql",
        CONFIG,
    ),
    (
        "aws-samples/ssm-patch-compliance-distinct-ec2-instance-latest.sql",
        CONFIG,
    ),
    (
        "aws-samples/ssm-patch-compliance-selected-ec2-instance-time-range.sql",
        CONFIG,
    ),
];

/// Config stores (`eventData.resourceType`, lambdas) are out of scope.
const CONFIG: &str = "a Config store query (`config_event_data_store_ID`)";

/// Placeholder table names of the AWS user guide, run as copies of the store
/// the placeholders name.
const PLACEHOLDER_STORES: &[&str] = &["event_data_store_ID", "EDS1", "EDS2", "EDS3"];

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lake-queries")
}

fn collect(directory: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "sql") {
            files.push(path);
        }
    }
}

/// `file name → statement with placeholders substituted`, `store` for the
/// store id.
fn fixture_statements(root: &Path, store: &str) -> BTreeMap<String, String> {
    let mut files = Vec::new();
    collect(root, &mut files);
    files
        .into_iter()
        .map(|path| {
            let mut text = std::fs::read_to_string(&path).unwrap();
            for placeholder in STORE_PLACEHOLDERS {
                text = text.replace(placeholder, store);
            }
            for (placeholder, value) in PLACEHOLDERS {
                text = text.replace(placeholder, value);
            }
            (path.strip_prefix(root).unwrap().display().to_string(), text)
        })
        .collect()
}

#[test]
fn fixture_copy_matches_the_shared_fixtures() {
    // The workspace sits beside `shared/` on developer machines and in CI.
    let shared =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/lake-queries");
    if !shared.is_dir() {
        eprintln!("{} not found; comparing nothing", shared.display());
        return;
    }
    assert_eq!(
        fixture_statements(&fixture_root(), STORE_A),
        fixture_statements(&shared, STORE_A),
        "tests/lake-queries differs from shared/fixtures/lake-queries: copy it again"
    );
}

#[test]
fn fixture_queries_pass_the_gate_except_the_known_failures() {
    let mut failures = BTreeMap::new();
    for (name, text) in fixture_statements(&fixture_root(), STORE_A) {
        if let Err(error) = parse_statement(&text) {
            failures.insert(name, error.to_string());
        }
    }
    let known: Vec<&str> = KNOWN_PARSE_FAILURES.iter().map(|(name, _)| *name).collect();
    let failed: Vec<&str> = failures.keys().map(String::as_str).collect();
    assert_eq!(failed, known, "parse failures changed: {failures:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixture_queries_run_except_the_known_failures() {
    let (object_store, tables) = test_stores().await;
    let engine = SqlEngine::new(EngineConfig::default(), object_store).unwrap();
    let known: Vec<&str> = KNOWN_EXECUTION_FAILURES
        .iter()
        .map(|(name, _)| *name)
        .collect();
    for store in [STORE_A, FIXTURE_STORE] {
        let mut tables = tables.clone();
        let target = tables
            .iter()
            .find(|table| table.name == store)
            .unwrap()
            .clone();
        for name in PLACEHOLDER_STORES {
            tables.push(StoreTable {
                name: (*name).to_owned(),
                ..target.clone()
            });
        }
        let mut failures = BTreeMap::new();
        let mut ran = 0;
        for (name, text) in fixture_statements(&fixture_root(), store) {
            let Ok(checked) = parse_statement(&text) else {
                continue;
            };
            ran += 1;
            if let Err(error) = engine
                .execute(&checked, &tables, &CancelFlag::new(), 1 << 24)
                .await
            {
                failures.insert(name, error.to_string());
            }
        }
        assert!(ran > 40, "only {ran} fixture queries ran over {store}");
        let failed: Vec<&str> = failures.keys().map(String::as_str).collect();
        assert_eq!(
            failed, known,
            "execution failures over {store} changed: {failures:#?}"
        );
    }
}
