//! Shared fixtures: the test bucket, a registry with a fixed clock and IDs, a recording sink.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use opentrail_archive::gzip::read_file_capped;
use opentrail_archive::records::split;
use opentrail_imports::{
    ImportSink, ImportSource, Imports, S3ImportSource, SinkCounts, SinkError, StartImportRequest,
};
use opentrail_types::{ManualClock, SeededIds, Timestamp};
use serde_json::Value;

pub const ACCOUNT: &str = "218007301253";
pub const STORE: &str = "arn:aws:cloudtrail:us-east-1:218007301253:eventdatastore/eds-imports-1";
pub const OTHER_STORE: &str =
    "arn:aws:cloudtrail:us-east-1:218007301253:eventdatastore/eds-imports-2";
pub const OTHER_ACCOUNT_STORE: &str =
    "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/eds-other";

/// The committed test bucket.
pub fn testdata_bucket() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/bucket")
}

/// Copies the test bucket to `target` (a fresh tree the test may change).
pub fn copy_tree(from: &Path, target: &Path) {
    std::fs::create_dir_all(target).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let destination = target.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &destination);
        } else {
            std::fs::copy(entry.path(), destination).unwrap();
        }
    }
}

pub fn at(text: &str) -> Timestamp {
    Timestamp::parse_event_time(text).unwrap()
}

/// A registry in `dir` with a manual clock at 2026-01-01 and seeded IDs.
pub fn registry(dir: &Path) -> (Arc<Imports>, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(at("2026-01-01T00:00:00Z")));
    let imports = Imports::open(dir, clock.clone(), Arc::new(SeededIds::new(42))).unwrap();
    (Arc::new(imports), clock)
}

pub fn source(uri: &str) -> ImportSource {
    ImportSource {
        s3: S3ImportSource {
            s3_location_uri: uri.to_owned(),
            s3_bucket_region: "us-east-1".to_owned(),
            s3_bucket_access_role_arn: "arn:aws:iam::218007301253:role/cloudtrail-import"
                .to_owned(),
        },
    }
}

pub fn new_import(store: &str, uri: &str) -> StartImportRequest {
    StartImportRequest {
        destinations: Some(vec![store.to_owned()]),
        import_source: Some(source(uri)),
        ..StartImportRequest::default()
    }
}

/// `(eventID, recipientAccountId)` of a record text.
pub fn identity(record: &[u8]) -> (String, String) {
    let value: Value = serde_json::from_slice(record).unwrap();
    let field = |name: &str| value[name].as_str().unwrap_or_default().to_owned();
    (field("eventID"), field("recipientAccountId"))
}

/// Every record of the importable files of the test bucket: identity → eventTime.
pub fn expected_records() -> BTreeMap<(String, String), Timestamp> {
    let mut expected = BTreeMap::new();
    let root = testdata_bucket().join(format!("AWSLogs/{ACCOUNT}/CloudTrail"));
    let found = opentrail_archive::discover::discover([root]);
    for file in found.files {
        if file.path.to_string_lossy().contains("Corrupt") {
            continue;
        }
        let decoded = read_file_capped(&file.path, 1 << 30).unwrap();
        let content = split(&decoded.bytes).unwrap();
        for record in content.records() {
            let text = record.as_ref().unwrap().get();
            let value: Value = serde_json::from_str(text).unwrap();
            let time = at(value["eventTime"].as_str().unwrap());
            let previous = expected.insert(identity(text.as_bytes()), time);
            assert!(previous.is_none(), "fixture records are unique");
        }
    }
    expected
}

type Hook = Box<dyn Fn(usize) -> Option<SinkError> + Send + Sync>;

/// A stand-in for the Lake storage: keeps how often each record identity arrived, and
/// dedupes as the storage does.
#[derive(Default)]
pub struct RecordingSink {
    pub arrivals: Mutex<BTreeMap<(String, String), usize>>,
    pub stores: Mutex<Vec<String>>,
    pub calls: AtomicUsize,
    /// Called with the 1-based call number before the batch is stored; an error fails the call.
    pub hook: Option<Hook>,
}

impl std::fmt::Debug for RecordingSink {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("RecordingSink")
    }
}

impl RecordingSink {
    pub fn with_hook(hook: impl Fn(usize) -> Option<SinkError> + Send + Sync + 'static) -> Self {
        RecordingSink {
            hook: Some(Box::new(hook)),
            ..RecordingSink::default()
        }
    }

    pub fn arrivals(&self) -> BTreeMap<(String, String), usize> {
        self.arrivals.lock().unwrap().clone()
    }

    /// Asserts the records that arrived are exactly `expected`'s, each once.
    pub fn assert_each_once<V>(&self, expected: &BTreeMap<(String, String), V>) {
        let arrivals = self.arrivals();
        let twice: Vec<_> = arrivals.iter().filter(|(_, count)| **count != 1).collect();
        assert!(
            twice.is_empty(),
            "records arrived more than once: {twice:?}"
        );
        let got: Vec<_> = arrivals.keys().collect();
        let want: Vec<_> = expected.keys().collect();
        assert_eq!(got, want);
    }
}

impl ImportSink for RecordingSink {
    fn add(&self, store_arn: &str, records: &[&[u8]]) -> Result<SinkCounts, SinkError> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(error) = self.hook.as_ref().and_then(|hook| hook(call)) {
            return Err(error);
        }
        self.stores.lock().unwrap().push(store_arn.to_owned());
        let mut arrivals = self.arrivals.lock().unwrap();
        let mut counts = SinkCounts::default();
        for record in records {
            let count = arrivals.entry(identity(record)).or_insert(0);
            *count += 1;
            if *count == 1 {
                counts.added += 1;
            } else {
                counts.duplicates += 1;
            }
        }
        Ok(counts)
    }
}
