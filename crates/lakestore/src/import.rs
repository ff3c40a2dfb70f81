//! Adding records to a store directly, not through the journal: imports of trail archives
//! (`StartImport`, `opentrail import --event-data-store`).
//!
//! An imported record keeps its `eventID`; a record whose (`eventID`,
//! `recipientAccountId`) the store already holds for that day is skipped, so importing
//! the same archive twice adds nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use opentrail_columnar::RowsBuilder;
use serde::Deserialize;

use crate::error::Result;
use crate::route::day_of;
use crate::storage::StoreFiles;

/// What one [`Importer::add`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// Records stored.
    pub added: u64,
    /// Records the store already had (or that came twice in the input).
    pub duplicates: u64,
    /// Records left out because they fall before the retention cutoff.
    pub expired: u64,
}

/// A record that could not be imported, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The record's position in the batch given to [`Importer::add`].
    pub index: usize,
    /// Why.
    pub reason: String,
}

/// Adds batches of records to one store, remembering the keys of the days it touched.
#[derive(Debug)]
pub struct Importer {
    files: Arc<StoreFiles>,
    cutoff_ms: i64,
    days: HashMap<String, HashSet<u64>>,
}

#[derive(Debug, Default, Deserialize)]
struct Keys<'a> {
    #[serde(rename = "eventID", borrow, default)]
    event_id: Option<&'a str>,
    #[serde(rename = "recipientAccountId", borrow, default)]
    recipient_account_id: Option<&'a str>,
    #[serde(rename = "eventTime", borrow, default)]
    event_time: Option<&'a str>,
}

impl Importer {
    /// An importer into `files` that leaves out records older than `cutoff_ms` (the
    /// store's retention).
    pub fn new(files: Arc<StoreFiles>, cutoff_ms: i64) -> Importer {
        Importer {
            files,
            cutoff_ms,
            days: HashMap::new(),
        }
    }

    /// Adds `records` (CloudTrail records as JSON), one file per day they fall on.
    /// Returns the counts and the records that could not be mapped.
    ///
    /// # Errors
    ///
    /// Reading the store's existing keys, encoding or uploading failed; nothing of this
    /// batch is in the store then, and the batch may be given again.
    pub fn add(&mut self, records: &[&[u8]]) -> Result<(ImportCounts, Vec<Rejected>)> {
        let mut counts = ImportCounts::default();
        let mut rejected = Vec::new();
        let mut builders: BTreeMap<String, RowsBuilder> = BTreeMap::new();
        let mut added_keys: Vec<(String, u64)> = Vec::new();
        let mut batch_keys: HashSet<u64> = HashSet::new();
        for (index, record) in records.iter().enumerate() {
            let keys: Keys<'_> = match serde_json::from_slice(record) {
                Ok(keys) => keys,
                Err(error) => {
                    rejected.push(Rejected {
                        index,
                        reason: format!("not a JSON object: {error}"),
                    });
                    continue;
                }
            };
            let Some(day) = keys.event_time.and_then(day_of) else {
                rejected.push(Rejected {
                    index,
                    reason: "`eventTime` is missing or not a CloudTrail time".into(),
                });
                continue;
            };
            // A record without `eventID` is keyed by its content, as the journal names
            // such records, so that only an identical record counts as a duplicate.
            let content_id;
            let event_id = match keys.event_id {
                Some(id) => id,
                None => {
                    content_id = format!("content-{:016x}", xxhash_rust::xxh3::xxh3_64(record));
                    &content_id
                }
            };
            let key =
                opentrail_columnar::dedupe_key(event_id, keys.recipient_account_id.unwrap_or(""));
            if !self.days.contains_key(&day) {
                let existing = self.files.keys_of_day(&day)?;
                self.days.insert(day.clone(), existing);
            }
            let seen = self.days.get(&day).is_some_and(|set| set.contains(&key))
                || batch_keys.contains(&key);
            if seen {
                counts.duplicates += 1;
                continue;
            }
            let builder = builders
                .entry(day.clone())
                .or_insert_with(|| RowsBuilder::new(self.files.kind()));
            match builder.push(record) {
                Ok(()) => {
                    batch_keys.insert(key);
                    added_keys.push((day, key));
                }
                Err(error) => rejected.push(Rejected {
                    index,
                    reason: error.to_string(),
                }),
            }
        }
        let mut days = Vec::new();
        for (day, mut builder) in builders {
            let batch = builder
                .finish()
                .map_err(|error| crate::Error::Parquet(error.to_string()))?;
            let batch = crate::parquet_io::keep_from(std::slice::from_ref(&batch), self.cutoff_ms)?;
            if batch.num_rows() > 0 {
                days.push((day, vec![batch]));
            }
        }
        let kept: u64 = days
            .iter()
            .map(|(_, batches)| batches.iter().map(|b| b.num_rows() as u64).sum::<u64>())
            .sum();
        self.files.add(days, None)?;
        counts.expired = added_keys.len() as u64 - kept;
        counts.added = kept;
        for (day, key) in added_keys {
            self.days.entry(day).or_default().insert(key);
        }
        Ok((counts, rejected))
    }
}
