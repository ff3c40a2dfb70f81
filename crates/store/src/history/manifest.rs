//! `history/MANIFEST`: which segment files make up the index and how far into the journal
//! they reach. Written atomically (temporary file, sync, rename, sync folder), so the
//! segment list and the position always agree: a replay after a crash never indexes an
//! event twice.
//!
//! ```json
//! {"version":2,"position":{"next_seq":1001,"location":123},"segments":["seg-0000000003.idx"],"next_file_id":4,"categories":["Management"]}
//! ```
//!
//! - `version`: 2. Version 1 indexes have no account terms (`recipientAccountId`, term kind
//!   [`ACCOUNT_KIND`](crate::history::doc::ACCOUNT_KIND)); they are still read, and the
//!   history rebuilds them from the journal. Only version 2 is written.
//! - `position`: the journal position every listed segment reaches; `null` before the first
//!   flush.
//! - `segments`: segment file names, in the history folder.
//! - `next_file_id`: number of the next segment file.
//! - `categories`: categories indexed besides Insights (absent before the setting existed:
//!   `["Management"]`). A change also makes the history rebuild the index.

use std::fs;
use std::io::Write;
use std::path::Path;

use opentrail_journal::Position;
use serde::{Deserialize, Serialize};

pub(crate) const MANIFEST_FILE: &str = "MANIFEST";
/// The version written.
pub(crate) const VERSION: u32 = 2;
/// The first version whose segments hold account terms.
const ACCOUNT_TERMS_VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub version: u32,
    /// Every journal entry before this position is in the listed segments (or not indexed).
    pub position: Option<Position>,
    pub segments: Vec<String>,
    pub next_file_id: u64,
    /// Categories indexed besides Insights. Absent in manifests written before the setting
    /// existed, which indexed `Management` only.
    #[serde(default = "default_categories")]
    pub categories: Vec<String>,
}

fn default_categories() -> Vec<String> {
    vec![String::from("Management")]
}

impl Manifest {
    pub fn empty() -> Manifest {
        Manifest {
            version: VERSION,
            position: None,
            segments: Vec::new(),
            next_file_id: 1,
            categories: default_categories(),
        }
    }

    /// Reads the manifest; `Ok(None)` when there is none yet.
    pub fn load(dir: &Path) -> Result<Option<Manifest>, String> {
        let path = dir.join(MANIFEST_FILE);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(format!("cannot read `{}`: {error}", path.display())),
        };
        let manifest: Manifest = serde_json::from_slice(&bytes)
            .map_err(|error| format!("`{}` is not a manifest: {error}", path.display()))?;
        if !(1..=VERSION).contains(&manifest.version) {
            return Err(format!(
                "`{}` has unsupported version {}",
                path.display(),
                manifest.version
            ));
        }
        Ok(Some(manifest))
    }

    /// Whether the segments were written without account terms, so that account-restricted
    /// lookups cannot use them: the index must be rebuilt.
    pub fn lacks_account_terms(&self) -> bool {
        self.version < ACCOUNT_TERMS_VERSION
    }

    /// Writes the manifest, in the current version whatever version was read.
    pub fn save(&mut self, dir: &Path) -> std::io::Result<()> {
        self.version = VERSION;
        let temporary = dir.join("MANIFEST.tmp");
        let bytes = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        let mut file = fs::File::create(&temporary)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, dir.join(MANIFEST_FILE))?;
        fs::File::open(dir)?.sync_all()
    }
}

/// File name of segment number `id`.
pub(crate) fn segment_file_name(id: u64) -> String {
    format!("seg-{id:010}.idx")
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentrail_journal::Location;

    #[test]
    fn manifests_round_trip_and_reject_other_versions() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Manifest::load(dir.path()).unwrap().is_none());
        // As read from an old manifest: saving writes the current version.
        let mut manifest = Manifest {
            version: 1,
            position: Some(Position {
                next_seq: 5,
                location: Location(77),
            }),
            segments: vec![segment_file_name(3)],
            next_file_id: 4,
            categories: vec![String::from("Management"), String::from("Data")],
        };
        manifest.save(dir.path()).unwrap();
        let loaded = Manifest::load(dir.path()).unwrap().unwrap();
        assert_eq!(loaded.version, 2);
        assert!(!loaded.lacks_account_terms());
        assert_eq!(loaded.position, manifest.position);
        assert_eq!(loaded.segments, ["seg-0000000003.idx"]);
        assert_eq!(loaded.categories, ["Management", "Data"]);
        for version in [0, 3] {
            fs::write(
                dir.path().join(MANIFEST_FILE),
                format!(
                    r#"{{"version":{version},"position":null,"segments":[],"next_file_id":1}}"#
                ),
            )
            .unwrap();
            assert!(Manifest::load(dir.path()).is_err(), "version {version}");
        }
    }
}

#[cfg(test)]
mod compatibility {
    use std::sync::Arc;
    use std::time::Duration;

    use opentrail_event::EventCategory;
    use opentrail_journal::{AppendEntry, Batch, Journal, JournalConfig};
    use opentrail_testkit::records::management_event;
    use opentrail_types::{SharedClock, SystemClock};

    use super::*;
    use crate::history::doc::{ACCOUNT_KIND, Derived, derive_doc};
    use crate::history::segment::build_segment;
    use crate::{History, HistoryConfig, LookupEventsInput, LookupQuery};

    /// An index written by version 1 (segments without account terms) is rebuilt from the
    /// journal when opened, so that lookups restricted to an account find its events.
    #[test]
    fn a_version_1_index_is_rebuilt_and_serves_account_lookups() {
        let dir = tempfile::tempdir().unwrap();
        let clock: SharedClock = Arc::new(SystemClock);
        let journal = Journal::open(
            &dir.path().join("journal"),
            JournalConfig::default(),
            clock.clone(),
        )
        .unwrap();
        let mut entries = Vec::new();
        for (id, account) in [("a-1", "111122223333"), ("b-1", "444455556666")] {
            let mut record = management_event(
                id,
                "2026-03-01T00:00:00Z",
                "iam.amazonaws.com",
                "GetUser",
                "alice",
            );
            record["recipientAccountId"] = serde_json::json!(account);
            entries.push(AppendEntry::new(id, record.to_string().into_bytes()));
        }
        journal.append(entries).unwrap();

        // What version 1 wrote: the same docs without account terms, covering the journal.
        let history_dir = dir.path().join("history");
        fs::create_dir_all(&history_dir).unwrap();
        let mut reader = journal.reader(journal.start_position()).unwrap();
        let mut batch = Batch::default();
        reader.read_batch_into(&mut batch, 100, 1 << 20).unwrap();
        let end = batch.end().unwrap();
        let mut docs = Vec::new();
        let mut parsed = 0;
        for entry in batch.iter() {
            let Ok(Derived::Doc(mut doc)) =
                derive_doc(&entry, None, &[EventCategory::Management], &mut parsed)
            else {
                panic!("entry {} is not indexed", entry.event_id);
            };
            doc.terms.retain(|term| term.first() != Some(&ACCOUNT_KIND));
            docs.push(doc);
        }
        assert_eq!(docs.len(), 2);
        let mut segment = Vec::new();
        build_segment(docs, &mut segment).unwrap();
        fs::write(history_dir.join(segment_file_name(1)), segment).unwrap();
        let old = Manifest {
            version: 1,
            position: Some(end),
            segments: vec![segment_file_name(1)],
            next_file_id: 2,
            categories: default_categories(),
        };
        fs::write(
            history_dir.join(MANIFEST_FILE),
            serde_json::to_vec(&old).unwrap(),
        )
        .unwrap();

        let history = History::open(
            &history_dir,
            journal,
            HistoryConfig::default(),
            clock.clone(),
        )
        .unwrap();
        assert!(history.wait_caught_up(Duration::from_secs(10)));
        assert_eq!(
            history.status().parsed_entries,
            2,
            "the index was not rebuilt from the journal"
        );
        let lookup_as = |history: &History, account: Option<&str>| -> Vec<String> {
            let mut query = LookupQuery::from_input(&LookupEventsInput::default()).unwrap();
            query.account = account.map(str::to_owned);
            let page = history.lookup_events(&query).unwrap();
            page.events
                .into_iter()
                .map(|event| event.event_id)
                .collect()
        };
        assert_eq!(lookup_as(&history, Some("111122223333")), ["a-1"]);
        assert_eq!(lookup_as(&history, Some("444455556666")), ["b-1"]);
        assert_eq!(lookup_as(&history, None).len(), 2);
        history.close();
        let rewritten = Manifest::load(&history_dir).unwrap().unwrap();
        assert_eq!(rewritten.version, VERSION);

        // The rebuilt index is kept: opened again, it is not rebuilt a second time.
        let journal = Journal::open(
            &dir.path().join("journal"),
            JournalConfig::default(),
            clock.clone(),
        )
        .unwrap();
        let history =
            History::open(&history_dir, journal, HistoryConfig::default(), clock).unwrap();
        assert!(history.wait_caught_up(Duration::from_secs(10)));
        assert_eq!(history.status().parsed_entries, 0);
        assert_eq!(lookup_as(&history, Some("444455556666")), ["b-1"]);
    }

    /// Every stored manifest version is still read, as its `.expected.json` says.
    #[test]
    fn stored_manifest_versions_are_read() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/manifest");
        for version in 1..=VERSION {
            let dir = tempfile::tempdir().unwrap();
            fs::copy(
                folder.join(format!("v{version}.json")),
                dir.path().join(MANIFEST_FILE),
            )
            .unwrap();
            let loaded = Manifest::load(dir.path()).unwrap().unwrap();
            assert_eq!(loaded.version, version);
            // Version 1 indexes predate account terms: the history rebuilds them.
            assert_eq!(loaded.lacks_account_terms(), version < 2, "v{version}");
            let actual = serde_json::to_string_pretty(&loaded).unwrap() + "\n";
            opentrail_testkit::golden::assert_golden(
                &folder.join(format!("v{version}.expected.json")),
                &actual,
            );
        }
    }
}
