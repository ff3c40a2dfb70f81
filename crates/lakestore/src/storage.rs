//! [`StoreFiles`]: one event data store's Parquet files in a bucket.
//!
//! Objects are named `<prefix><store id>/eventday=<YYYY-MM-DD>/part-<n>.parquet`, so any
//! engine that understands Hive-style partitions (DuckDB, Spark, Trino) sees the day as a
//! column. Every change (new files, compaction, retention) is one manifest write; objects
//! leave the bucket only after a grace period, because a query may have taken its file
//! list just before.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use arrow::array::RecordBatch;
use bytes::Bytes;
use opentrail_blob::{Bucket, PutOptions};
use opentrail_columnar::{ParquetOptions, TableKind};
use opentrail_journal::Position;
use opentrail_types::SharedClock;
use tokio::runtime::Handle;

use crate::error::{Error, Result};
use crate::manifest::{FileEntry, Garbage, Manifest};
use crate::parquet_io;

/// How a store's files are kept.
#[derive(Debug, Clone)]
pub struct StorageOptions {
    /// Parquet encoding (row group size, compression).
    pub parquet: ParquetOptions,
    /// How long an object stays in the bucket after it left the store (longer than the
    /// longest query). Default: 2 hours (queries time out after one).
    pub garbage_grace: Duration,
    /// A day partition whose files of one level number this many is compacted into one
    /// file of the next level. Default: 8.
    pub compact_fan_in: usize,
    /// Files of this level or above are never merged again. Default: 4.
    pub max_level: u8,
}

impl Default for StorageOptions {
    fn default() -> StorageOptions {
        StorageOptions {
            parquet: ParquetOptions::default(),
            garbage_grace: Duration::from_secs(2 * 3_600),
            compact_fan_in: 8,
            max_level: 4,
        }
    }
}

/// Where one store's files live.
#[derive(Debug, Clone)]
pub struct StoreLocation {
    /// The store id (the last part of its ARN, and its SQL table name).
    pub store_id: String,
    /// What the store holds, which decides its columns.
    pub kind: TableKind,
    /// The bucket the Parquet files go to.
    pub bucket: Bucket,
    /// A key prefix in the bucket, empty or ending in `/`.
    pub prefix: String,
    /// A local directory for the store's manifest.
    pub state_dir: PathBuf,
}

/// One event data store's files.
#[derive(Debug)]
pub struct StoreFiles {
    location: StoreLocation,
    options: StorageOptions,
    runtime: Handle,
    clock: SharedClock,
    manifest: Mutex<Manifest>,
}

/// What a flush, compaction or retention pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// Files added.
    pub added: Vec<FileEntry>,
    /// Keys taken out of the store.
    pub removed: Vec<String>,
}

impl StoreFiles {
    /// Opens a store's files: loads the manifest, deletes objects the manifest does not
    /// know (left by a crash between an upload and the manifest write) and garbage whose
    /// grace period has passed.
    ///
    /// # Errors
    ///
    /// A damaged manifest (`Corrupt`), local I/O, or a bucket that cannot be listed.
    pub fn open(
        location: StoreLocation,
        options: StorageOptions,
        runtime: Handle,
        clock: SharedClock,
    ) -> Result<StoreFiles> {
        let manifest = Manifest::load(&location.state_dir.join("manifest.json"))?;
        let files = StoreFiles {
            location,
            options,
            runtime,
            clock,
            manifest: Mutex::new(manifest),
        };
        files.remove_orphans()?;
        files.collect_garbage()?;
        Ok(files)
    }

    /// The store id.
    pub fn store_id(&self) -> &str {
        &self.location.store_id
    }

    /// The store's kind.
    pub fn kind(&self) -> TableKind {
        self.location.kind
    }

    /// The bucket the files are in.
    pub fn bucket(&self) -> &Bucket {
        &self.location.bucket
    }

    /// The files that make up the store now. A query reads exactly these; they stay in
    /// the bucket for at least [`StorageOptions::garbage_grace`] even if compaction
    /// replaces them meanwhile.
    pub fn snapshot(&self) -> Vec<FileEntry> {
        self.lock().files.clone()
    }

    /// The journal position the store's writer resumes from.
    pub fn position(&self) -> Option<Position> {
        self.lock().position
    }

    /// Rows and bytes in the store.
    pub fn totals(&self) -> (u64, u64) {
        let manifest = self.lock();
        (manifest.rows(), manifest.bytes())
    }

    /// Adds one file per day partition of `days` (each batch's rows all fall on that
    /// day) and, in the same manifest write, moves the writer's position to `position`.
    /// With no batches and a position, only the position moves.
    ///
    /// # Errors
    ///
    /// Encoding, the upload, or the manifest write failed; the store is unchanged (an
    /// uploaded object without a manifest entry is removed at the next open).
    pub fn add(
        &self,
        days: Vec<(String, Vec<RecordBatch>)>,
        position: Option<Position>,
    ) -> Result<Change> {
        let mut added = Vec::new();
        for (day, batches) in days {
            if batches.iter().all(|batch| batch.num_rows() == 0) {
                continue;
            }
            let number = self.take_file_number()?;
            added.push(self.upload(&day, number, 0, &batches)?);
        }
        let mut manifest = self.lock();
        let mut next = manifest.clone();
        next.files.extend(added.iter().cloned());
        if position.is_some() {
            next.position = position;
        }
        self.save(&mut manifest, next)?;
        Ok(Change {
            added,
            removed: Vec::new(),
        })
    }

    /// Merges, per day partition, groups of [`StorageOptions::compact_fan_in`] files of
    /// one level into one file of the next level.
    ///
    /// Row groups of a useful size are copied as they are encoded, so a level costs
    /// about one read and one write of its bytes, not a decode and an encode of its rows
    /// (see `opentrail_columnar::merge_parquet`); small row groups, the output of quiet
    /// periods, are joined in `eventtime` order so that scans meet few of them.
    ///
    /// # Errors
    ///
    /// Reading, encoding or uploading failed; the store is unchanged.
    pub fn compact(&self) -> Result<Change> {
        let mut change = Change::default();
        loop {
            let Some(group) = self.pick_compaction() else {
                return Ok(change);
            };
            let mut bodies = Vec::with_capacity(group.len());
            for file in &group {
                bodies.push(self.get(&file.key)?);
            }
            let merged = parquet_io::merge(&bodies, &self.options.parquet)?;
            let level = group.iter().map(|file| file.level).max().unwrap_or(0) + 1;
            let number = self.take_file_number()?;
            let entry = self.put_file(&group[0].day, number, level, merged)?;
            let removed: Vec<String> = group.iter().map(|file| file.key.clone()).collect();
            self.replace(&removed, std::slice::from_ref(&entry))?;
            change.added.push(entry);
            change.removed.extend(removed);
        }
    }

    /// Removes every row whose `eventtime` is before `cutoff_ms`: files wholly before it
    /// leave the store, files that straddle it are rewritten without those rows.
    ///
    /// # Errors
    ///
    /// Reading, encoding or uploading failed; the store is unchanged for that file.
    pub fn expire(&self, cutoff_ms: i64) -> Result<Change> {
        let mut change = Change::default();
        let files = self.snapshot();
        let whole: Vec<String> = files
            .iter()
            .filter(|file| file.max_ms < cutoff_ms)
            .map(|file| file.key.clone())
            .collect();
        if !whole.is_empty() {
            self.replace(&whole, &[])?;
            change.removed.extend(whole);
        }
        for file in files
            .iter()
            .filter(|file| file.min_ms < cutoff_ms && file.max_ms >= cutoff_ms)
        {
            let batches = self.read(&file.key)?;
            let kept = parquet_io::keep_from(&batches, cutoff_ms)?;
            let number = self.take_file_number()?;
            let added = if kept.num_rows() == 0 {
                Vec::new()
            } else {
                vec![self.upload(&file.day, number, file.level, &[kept])?]
            };
            self.replace(std::slice::from_ref(&file.key), &added)?;
            change.removed.push(file.key.clone());
            change.added.extend(added);
        }
        Ok(change)
    }

    /// The deduplication keys (see `opentrail_columnar::dedupe_key`) of every row stored
    /// for `day`.
    ///
    /// # Errors
    ///
    /// A file cannot be read.
    pub fn keys_of_day(&self, day: &str) -> Result<HashSet<u64>> {
        let mut keys = HashSet::new();
        for file in self.snapshot().iter().filter(|file| file.day == day) {
            let body = self.get(&file.key)?;
            parquet_io::collect_keys(body, &mut keys)?;
        }
        Ok(keys)
    }

    /// Deletes the objects of garbage whose grace period has passed.
    ///
    /// # Errors
    ///
    /// A delete or the manifest write failed.
    pub fn collect_garbage(&self) -> Result<usize> {
        let now = self.clock.now().as_millis();
        let grace = i64::try_from(self.options.garbage_grace.as_millis()).unwrap_or(i64::MAX);
        let due: Vec<Garbage> = self
            .lock()
            .garbage
            .iter()
            .filter(|garbage| now.saturating_sub(garbage.removed_ms) >= grace)
            .cloned()
            .collect();
        for garbage in &due {
            self.delete(&garbage.key)?;
        }
        if !due.is_empty() {
            let mut manifest = self.lock();
            let mut next = manifest.clone();
            next.garbage.retain(|garbage| !due.contains(garbage));
            self.save(&mut manifest, next)?;
        }
        Ok(due.len())
    }

    /// Deletes every object and the manifest: the store is gone (its deletion was final).
    ///
    /// # Errors
    ///
    /// A delete failed; calling it again finishes the job.
    pub fn destroy(&self) -> Result<()> {
        for key in self.list_keys()? {
            self.delete(&key)?;
        }
        let mut manifest = self.lock();
        *manifest = Manifest::empty();
        let dir = &self.location.state_dir;
        match std::fs::remove_dir_all(dir) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(Error::io(dir, error)),
        }
    }

    /// The key prefix of this store's objects.
    pub fn store_prefix(&self) -> String {
        format!("{}{}/", self.location.prefix, self.location.store_id)
    }

    /// Reads one of the store's files back as record batches.
    ///
    /// # Errors
    ///
    /// The object cannot be read or is not Parquet.
    pub fn read(&self, key: &str) -> Result<Vec<RecordBatch>> {
        parquet_io::decode(self.get(key)?)
    }

    fn pick_compaction(&self) -> Option<Vec<FileEntry>> {
        let manifest = self.lock();
        let fan_in = self.options.compact_fan_in.max(2);
        let mut groups: std::collections::BTreeMap<(&str, u8), Vec<&FileEntry>> =
            std::collections::BTreeMap::new();
        for file in &manifest.files {
            if file.level < self.options.max_level {
                groups
                    .entry((&file.day, file.level))
                    .or_default()
                    .push(file);
            }
        }
        groups
            .into_values()
            .find(|files| files.len() >= fan_in)
            .map(|files| files.into_iter().take(fan_in).cloned().collect())
    }

    fn replace(&self, removed: &[String], added: &[FileEntry]) -> Result<()> {
        let now = self.clock.now().as_millis();
        let mut manifest = self.lock();
        let mut next = manifest.clone();
        next.files.retain(|file| !removed.contains(&file.key));
        next.files.extend(added.iter().cloned());
        for key in removed {
            next.garbage.push(Garbage {
                key: key.clone(),
                removed_ms: now,
            });
        }
        self.save(&mut manifest, next)
    }

    fn take_file_number(&self) -> Result<u64> {
        let mut manifest = self.lock();
        let mut next = manifest.clone();
        let number = next.next_file;
        next.next_file += 1;
        // Saved before the upload, so a number is never used twice for different
        // contents, even across a crash.
        self.save(&mut manifest, next)?;
        Ok(number)
    }

    fn upload(
        &self,
        day: &str,
        number: u64,
        level: u8,
        batches: &[RecordBatch],
    ) -> Result<FileEntry> {
        let encoded = parquet_io::encode(batches, &self.options.parquet)?;
        self.put_file(day, number, level, encoded)
    }

    fn put_file(
        &self,
        day: &str,
        number: u64,
        level: u8,
        encoded: parquet_io::Encoded,
    ) -> Result<FileEntry> {
        let key = format!(
            "{}eventday={day}/part-{number:010}-l{level}.parquet",
            self.store_prefix()
        );
        let bytes = encoded.body.len() as u64;
        self.runtime
            .block_on(self.location.bucket.put(
                &key,
                Bytes::from(encoded.body),
                &PutOptions::default(),
            ))
            .map_err(|source| Error::Bucket {
                key: key.clone(),
                source,
            })?;
        Ok(FileEntry {
            key,
            day: day.to_owned(),
            rows: encoded.rows,
            bytes,
            min_ms: encoded.min_ms,
            max_ms: encoded.max_ms,
            level,
        })
    }

    fn get(&self, key: &str) -> Result<Bytes> {
        self.runtime
            .block_on(self.location.bucket.get(key))
            .map(|object| object.body)
            .map_err(|source| Error::Bucket {
                key: key.to_owned(),
                source,
            })
    }

    fn delete(&self, key: &str) -> Result<()> {
        self.runtime
            .block_on(self.location.bucket.delete(key))
            .map_err(|source| Error::Bucket {
                key: key.to_owned(),
                source,
            })
    }

    fn list_keys(&self) -> Result<Vec<String>> {
        let prefix = self.store_prefix();
        let mut keys = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = self
                .runtime
                .block_on(self.location.bucket.list_page(
                    &prefix,
                    after.as_deref(),
                    opentrail_blob::MAX_LIST_KEYS,
                ))
                .map_err(|source| Error::Bucket {
                    key: prefix.clone(),
                    source,
                })?;
            keys.extend(page.objects.into_iter().map(|object| object.key));
            if !page.is_truncated {
                return Ok(keys);
            }
            after = keys.last().cloned();
        }
    }

    fn remove_orphans(&self) -> Result<()> {
        let known: HashSet<String> = {
            let manifest = self.lock();
            manifest
                .files
                .iter()
                .map(|file| file.key.clone())
                .chain(manifest.garbage.iter().map(|garbage| garbage.key.clone()))
                .collect()
        };
        for key in self.list_keys()? {
            if !known.contains(&key) && key.ends_with(".parquet") {
                tracing::info!(store = %self.location.store_id, %key, "removing a file no manifest lists");
                self.delete(&key)?;
            }
        }
        Ok(())
    }

    fn save(&self, manifest: &mut MutexGuard<'_, Manifest>, next: Manifest) -> Result<()> {
        next.save(&self.location.state_dir.join("manifest.json"))?;
        **manifest = next;
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Manifest> {
        self.manifest.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
