//! A world for the tests: a journal, a local bucket, a runtime and a paused clock.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::array::{Array, AsArray, RecordBatch};
use opentrail_blob::Bucket;
use opentrail_columnar::TableKind;
use opentrail_journal::{AppendEntry, Journal, JournalConfig};
use opentrail_lakestore::{
    LakeStorage, StorageOptions, StorageParts, StoreFiles, StoreLocation, StoreSpec, WriterConfig,
};
use opentrail_selectors::{CompiledSelectors, SelectorConfig};
use opentrail_testkit::records::management_event;
use opentrail_types::{ManualClock, SharedClock, Timestamp};

pub const ACCOUNT: &str = "111122223333";
pub const STORE: &str = "0c9a1b0e-5f7d-4c1e-9a8b-2d3e4f5a6b7c";

pub struct World {
    pub root: tempfile::TempDir,
    pub clock: Arc<ManualClock>,
    pub journal: Journal,
    pub runtime: tokio::runtime::Runtime,
}

impl World {
    pub fn new() -> World {
        let root = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(
            Timestamp::parse_event_time("2026-11-20T12:00:00Z").unwrap(),
        ));
        let shared: SharedClock = clock.clone();
        let journal = Journal::open(
            &root.path().join("journal"),
            JournalConfig::default(),
            shared,
        )
        .unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        World {
            root,
            clock,
            journal,
            runtime,
        }
    }

    pub fn bucket_dir(&self) -> PathBuf {
        self.root.path().join("lake-bucket")
    }

    pub fn bucket(&self) -> Bucket {
        std::fs::create_dir_all(self.bucket_dir()).unwrap();
        Bucket::local("lake", self.bucket_dir())
    }

    pub fn options() -> StorageOptions {
        StorageOptions {
            garbage_grace: Duration::from_secs(60),
            ..StorageOptions::default()
        }
    }

    pub fn storage(&self) -> LakeStorage {
        LakeStorage::new(StorageParts {
            journal: self.journal.clone(),
            bucket: self.bucket(),
            prefix: "stores/".into(),
            state_root: self.root.path().join("lake-state"),
            runtime: self.runtime.handle().clone(),
            clock: self.clock.clone(),
            options: World::options(),
            writer: WriterConfig {
                flush_interval: Duration::from_millis(50),
                ..WriterConfig::default()
            },
        })
    }

    pub fn files(&self) -> StoreFiles {
        StoreFiles::open(
            StoreLocation {
                store_id: STORE.into(),
                kind: TableKind::CloudTrail,
                bucket: self.bucket(),
                prefix: "stores/".into(),
                state_dir: self.root.path().join("lake-state").join(STORE),
            },
            World::options(),
            self.runtime.handle().clone(),
            self.clock.clone(),
        )
        .unwrap()
    }

    /// Appends management events `first..first+count` of `day`, one per second.
    pub fn append(&self, first: usize, count: usize, day: &str) {
        let entries = (first..first + count)
            .map(|index| {
                let id = event_id(index);
                let record = record(index, day);
                AppendEntry::new(id, record)
            })
            .collect();
        self.journal.append(entries).unwrap();
    }

    /// Objects of the store in the bucket (Parquet files only).
    pub fn objects(&self) -> Vec<String> {
        let mut found = Vec::new();
        let base = self.bucket_dir();
        let mut stack = vec![base.clone()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|ext| ext == "parquet") {
                    found.push(
                        path.strip_prefix(&base)
                            .unwrap()
                            .to_string_lossy()
                            .into_owned(),
                    );
                }
            }
        }
        found.sort();
        found
    }
}

pub fn event_id(index: usize) -> String {
    format!("00000000-0000-4000-8000-{index:012}")
}

pub fn record(index: usize, day: &str) -> Vec<u8> {
    let time = format!(
        "{day}T{:02}:{:02}:{:02}Z",
        (index / 3600) % 24,
        (index / 60) % 60,
        index % 60
    );
    let value = management_event(
        &event_id(index),
        &time,
        "s3.amazonaws.com",
        "ListBuckets",
        "alice",
    );
    serde_json::to_vec(&value).unwrap()
}

pub fn spec() -> StoreSpec {
    StoreSpec {
        store_id: STORE.into(),
        account_id: ACCOUNT.into(),
        home_region: "us-east-1".into(),
        multi_region: true,
        kind: TableKind::CloudTrail,
        selectors: Some(CompiledSelectors::new(&SelectorConfig::trail_default())),
        channel_arns: Vec::new(),
        ingesting: true,
        retention_days: 3653,
        insight_sources: Vec::new(),
    }
}

/// Every event ID stored in `files`, read back from the Parquet files, sorted.
pub fn stored_ids(files: &StoreFiles) -> Vec<String> {
    let mut ids = Vec::new();
    for entry in files.snapshot() {
        for batch in files.read(&entry.key).unwrap() {
            ids.extend(column_strings(&batch, "eventid"));
        }
    }
    ids.sort();
    ids
}

pub fn column_strings(batch: &RecordBatch, name: &str) -> Vec<String> {
    let column = batch.column_by_name(name).unwrap().as_string::<i32>();
    (0..column.len())
        .map(|row| column.value(row).to_owned())
        .collect()
}

/// Waits until `condition` holds, up to 20 s.
pub fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}
