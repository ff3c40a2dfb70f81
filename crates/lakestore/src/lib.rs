//! The files of Lake event data stores (`spec/events-and-queries.md` §3): Parquet in a
//! bucket (a local directory or an S3-compatible store), partitioned by store and day,
//! written by one journal writer per store, compacted, and trimmed to the store's
//! retention.
//!
//! - [`StoreFiles`]: one store's files and its manifest (the source of truth).
//! - [`LakeStorage`]: every store's files and writer threads; the server keeps it in
//!   step with the store registry through [`LakeStorage::sync`].
//! - [`Importer`]: adds records directly, deduplicating on (`eventID`,
//!   `recipientAccountId`).
//!
//! Layout in the bucket: `<prefix><store id>/eventday=<YYYY-MM-DD>/part-<n>-l<level>.parquet`;
//! on the local disk: `<state root>/<store id>/manifest.json`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use opentrail_blob::Bucket;
use opentrail_journal::Journal;
use opentrail_types::SharedClock;
use tokio::runtime::Handle;
use tokio::sync::watch;

pub mod error;
mod import;
pub mod manifest;
mod parquet_io;
pub mod route;
mod storage;
mod writer;

pub use error::{Error, ErrorKind, Result};
pub use import::{ImportCounts, Importer, Rejected};
pub use manifest::FileEntry;
pub use route::{InsightSource, StoreSpec};
pub use storage::{Change, StorageOptions, StoreFiles, StoreLocation};
pub use writer::WriterConfig;

/// What [`LakeStorage`] is built from.
#[derive(Debug, Clone)]
pub struct StorageParts {
    /// The journal the writers read.
    pub journal: Journal,
    /// The bucket every store's files go to.
    pub bucket: Bucket,
    /// A key prefix in the bucket, empty or ending in `/`.
    pub prefix: String,
    /// The local directory holding each store's manifest.
    pub state_root: PathBuf,
    /// The runtime bucket requests run on.
    pub runtime: Handle,
    /// The clock (garbage grace, retention).
    pub clock: SharedClock,
    /// File options.
    pub options: StorageOptions,
    /// Writer options.
    pub writer: WriterConfig,
}

struct Running {
    store_id: String,
    spec: watch::Sender<StoreSpec>,
    shared: Arc<writer::WriterShared>,
    thread: Option<JoinHandle<()>>,
}

/// Every store's files and journal writers.
pub struct LakeStorage {
    parts: StorageParts,
    /// Open stores, whether or not a writer runs for them.
    files: Mutex<HashMap<String, Arc<StoreFiles>>>,
    /// Running writers.
    stores: Mutex<HashMap<String, Running>>,
}

impl std::fmt::Debug for LakeStorage {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("LakeStorage")
            .field("bucket", &self.parts.bucket.name())
            .field("stores", &self.lock().len())
            .finish()
    }
}

impl LakeStorage {
    /// Storage with no store open yet.
    pub fn new(parts: StorageParts) -> LakeStorage {
        LakeStorage {
            parts,
            files: Mutex::new(HashMap::new()),
            stores: Mutex::new(HashMap::new()),
        }
    }

    /// Makes the running writers match `specs`: starts a writer for each new store,
    /// passes changed specs (selectors, ingestion state, channels) to running ones, and
    /// stops the writers of stores no longer listed (their files stay; see
    /// [`LakeStorage::destroy`]).
    ///
    /// # Errors
    ///
    /// A new store's files cannot be opened (damaged manifest, bucket unreachable); the
    /// other stores are still synced, and the first error is returned.
    pub fn sync(&self, specs: Vec<StoreSpec>) -> Result<()> {
        let mut first_error = None;
        let mut stores = self.lock();
        let listed: Vec<String> = specs.iter().map(|spec| spec.store_id.clone()).collect();
        for spec in specs {
            if let Some(running) = stores.get(&spec.store_id) {
                running.spec.send_replace(spec);
                continue;
            }
            match self.start(spec) {
                Ok((id, running)) => {
                    stores.insert(id, running);
                }
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        let gone: Vec<String> = stores
            .keys()
            .filter(|id| !listed.contains(id))
            .cloned()
            .collect();
        for id in gone {
            if let Some(running) = stores.remove(&id) {
                stop(running);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// The files of a store, opened on first use (a store needs no running writer to be
    /// queried or imported into).
    ///
    /// # Errors
    ///
    /// The store's manifest is damaged or its bucket cannot be listed.
    pub fn files(
        &self,
        store_id: &str,
        kind: opentrail_columnar::TableKind,
    ) -> Result<Arc<StoreFiles>> {
        let mut open = self.files.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(files) = open.get(store_id) {
            return Ok(Arc::clone(files));
        }
        let files = Arc::new(self.open_files(store_id, kind)?);
        open.insert(store_id.to_owned(), Arc::clone(&files));
        Ok(files)
    }

    /// The files of a store already open, if it is.
    pub fn open_store(&self, store_id: &str) -> Option<Arc<StoreFiles>> {
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(store_id)
            .cloned()
    }

    /// Stops the store's writer (if any) and deletes all its files and its manifest.
    ///
    /// # Errors
    ///
    /// A delete failed; calling it again finishes the job.
    pub fn destroy(&self, store_id: &str, kind: opentrail_columnar::TableKind) -> Result<()> {
        if let Some(running) = self.lock().remove(store_id) {
            stop(running);
        }
        let files = self.files(store_id, kind)?;
        files.destroy()?;
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(store_id);
        Ok(())
    }

    /// Stops every writer, each flushing what it holds.
    pub fn stop(&self) {
        let all: Vec<Running> = self.lock().drain().map(|(_, running)| running).collect();
        for running in all {
            stop(running);
        }
    }

    fn open_files(
        &self,
        store_id: &str,
        kind: opentrail_columnar::TableKind,
    ) -> Result<StoreFiles> {
        StoreFiles::open(
            StoreLocation {
                store_id: store_id.to_owned(),
                kind,
                bucket: self.parts.bucket.clone(),
                prefix: self.parts.prefix.clone(),
                state_dir: self.parts.state_root.join(store_id),
            },
            self.parts.options.clone(),
            self.parts.runtime.clone(),
            self.parts.clock.clone(),
        )
    }

    fn start(&self, spec: StoreSpec) -> Result<(String, Running)> {
        let files = self.files(&spec.store_id, spec.kind)?;
        let id = spec.store_id.clone();
        let (sender, receiver) = watch::channel(spec);
        let shared = Arc::new(writer::WriterShared {
            stop: std::sync::atomic::AtomicBool::new(false),
        });
        let thread = {
            let journal = self.parts.journal.clone();
            let files = Arc::clone(&files);
            let shared = Arc::clone(&shared);
            let config = self.parts.writer.clone();
            let clock = self.parts.clock.clone();
            std::thread::Builder::new()
                .name(format!("lake-{}", &id[..id.len().min(8)]))
                .spawn(move || {
                    writer::run(journal, files, receiver, config, shared, clock);
                })
                .map_err(|error| Error::io(&self.parts.state_root, error))?
        };
        Ok((
            id.clone(),
            Running {
                store_id: id,
                spec: sender,
                shared,
                thread: Some(thread),
            },
        ))
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Running>> {
        self.stores.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn stop(mut running: Running) {
    running.shared.stop.store(true, Ordering::Release);
    if let Some(thread) = running.thread.take()
        && thread.join().is_err()
    {
        tracing::error!(store = %running.store_id, "lake writer thread panicked");
    }
}
