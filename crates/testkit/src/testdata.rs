//! Paths into the repository's `testdata/` folder and the records it holds.

use std::path::{Path, PathBuf};

use serde_json::value::RawValue;

/// The repository's `testdata/` folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

/// Every file under `folder` (relative to [`root`]) with extension `extension`, sorted.
///
/// # Panics
///
/// Panics when the folder cannot be read (a broken checkout; tests should stop there).
pub fn files(folder: &str, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![root().join(folder)];
    while let Some(directory) = pending.pop() {
        let entries = std::fs::read_dir(&directory)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", directory.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|found| found == extension) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The real CloudTrail log files (`{"Records":[...]}`), gunzipped.
pub fn cloudtrail_log_files() -> Vec<PathBuf> {
    files("cloudtrail-logs", "json")
}

/// The record files: one JSON array of records, a `Records` envelope, or a single record.
pub fn cloudtrail_record_files() -> Vec<PathBuf> {
    files("cloudtrail-records", "json")
}

/// One fixture record: where it came from and its exact JSON text.
#[derive(Debug, Clone)]
pub struct FixtureRecord {
    /// `<file name>#<index>`.
    pub origin: String,
    /// The record's JSON text as written in the file (indentation included).
    pub json: String,
}

/// Every record of every fixture file, as exact text.
///
/// Handles the `{"Records":[...]}` envelope, a JSON array of records, the `Events` list of
/// a `lookup-events` output whose elements are records, and a file holding one record.
///
/// # Panics
///
/// Panics when a fixture file is missing or is not JSON.
pub fn all_fixture_records() -> Vec<FixtureRecord> {
    let mut records = Vec::new();
    for path in cloudtrail_log_files()
        .into_iter()
        .chain(cloudtrail_record_files())
    {
        let text = std::fs::read_to_string(&path).expect("fixture file");
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (index, raw) in split_records(&text).into_iter().enumerate() {
            records.push(FixtureRecord {
                origin: format!("{name}#{index}"),
                json: raw,
            });
        }
    }
    records
}

fn split_records(text: &str) -> Vec<String> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let list: Vec<Box<RawValue>> = serde_json::from_str(text).expect("JSON array");
        return list.into_iter().map(|raw| raw.get().to_owned()).collect();
    }
    let members: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).expect("JSON object");
    for envelope in ["Records", "Events"] {
        if members
            .get(envelope)
            .is_some_and(serde_json::Value::is_array)
        {
            #[derive(serde::Deserialize)]
            struct Envelope {
                #[serde(alias = "Events")]
                #[serde(rename = "Records")]
                records: Vec<Box<RawValue>>,
            }
            let envelope: Envelope = serde_json::from_str(text).expect("record envelope");
            return envelope
                .records
                .into_iter()
                .map(|raw| raw.get().to_owned())
                .collect();
        }
    }
    vec![text.to_owned()]
}
