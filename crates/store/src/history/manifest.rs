//! `history/MANIFEST`: which segment files make up the index and how far into the journal
//! they reach. Written atomically (temporary file, sync, rename, sync folder), so the
//! segment list and the position always agree: a replay after a crash never indexes an
//! event twice.
//!
//! ```json
//! {"version":3,"position":{"next_seq":1001,"location":123},"segments":["seg-0000000003.idx"],"next_file_id":4,"categories":["Management"]}
//! ```
//!
//! - `version`: 3. Version 1 indexes have no account terms (`recipientAccountId`, term kind
//!   [`ACCOUNT_KIND`](crate::history::doc::ACCOUNT_KIND)); version 2 indexes have no
//!   `errorCode` and `sourceIPAddress` terms (term kinds
//!   [`ERROR_CODE_KIND`](crate::history::doc::ERROR_CODE_KIND) and
//!   [`SOURCE_IP_KIND`](crate::history::doc::SOURCE_IP_KIND)), which facets count. Both are
//!   still read, and the history rebuilds them from the journal. Only version 3 is written.
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
pub(crate) const VERSION: u32 = 3;
/// The first version whose segments hold account terms.
const ACCOUNT_TERMS_VERSION: u32 = 2;
/// The first version whose segments hold `errorCode` and `sourceIPAddress` terms.
const FACET_TERMS_VERSION: u32 = 3;

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

    /// Whether the segments were written without `errorCode` and `sourceIPAddress` terms,
    /// so that facets of those fields would miss their events: the index must be rebuilt.
    pub fn lacks_facet_terms(&self) -> bool {
        self.version < FACET_TERMS_VERSION
    }

    /// Which terms the segments lack (the oldest missing first), if any: an index that
    /// lacks some is rebuilt from the journal.
    pub fn missing_terms(&self) -> Option<&'static str> {
        if self.lacks_account_terms() {
            Some("account terms")
        } else if self.lacks_facet_terms() {
            Some("error code and source address terms")
        } else {
            None
        }
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
        assert_eq!(loaded.version, 3);
        assert!(!loaded.lacks_account_terms());
        assert!(!loaded.lacks_facet_terms());
        assert_eq!(loaded.missing_terms(), None);
        assert_eq!(loaded.position, manifest.position);
        assert_eq!(loaded.segments, ["seg-0000000003.idx"]);
        assert_eq!(loaded.categories, ["Management", "Data"]);
        for version in [0, 4] {
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
    use crate::history::doc::{ACCOUNT_KIND, Derived, ERROR_CODE_KIND, SOURCE_IP_KIND, derive_doc};
    use crate::history::segment::build_segment;
    use crate::{
        FacetCount, FacetField, FacetRequest, History, HistoryConfig, LookupEventsInput,
        LookupQuery,
    };

    /// A journal in `dir` holding one event of each of two accounts, with an error code and
    /// a source address each.
    fn journal_of_two_accounts(dir: &Path, clock: &SharedClock) -> Journal {
        let journal = Journal::open(
            &dir.join("journal"),
            JournalConfig::default(),
            clock.clone(),
        )
        .unwrap();
        let mut entries = Vec::new();
        for (id, account, error_code, address) in [
            ("a-1", "111122223333", "AccessDenied", "192.0.2.1"),
            ("b-1", "444455556666", "ThrottlingException", "192.0.2.2"),
        ] {
            let mut record = management_event(
                id,
                "2026-03-01T00:00:00Z",
                "iam.amazonaws.com",
                "GetUser",
                "alice",
            );
            record["recipientAccountId"] = serde_json::json!(account);
            record["errorCode"] = serde_json::json!(error_code);
            record["sourceIPAddress"] = serde_json::json!(address);
            entries.push(AppendEntry::new(id, record.to_string().into_bytes()));
        }
        journal.append(entries).unwrap();
        journal
    }

    /// Writes what manifest `version` wrote into `history_dir`: the journal's docs without
    /// the terms of `missing_kinds`, in one segment file covering the journal.
    fn write_old_index(history_dir: &Path, journal: &Journal, version: u32, missing_kinds: &[u8]) {
        fs::create_dir_all(history_dir).unwrap();
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
            doc.terms.retain(|term| {
                !term
                    .first()
                    .is_some_and(|kind| missing_kinds.contains(kind))
            });
            docs.push(doc);
        }
        assert_eq!(docs.len(), 2);
        let mut segment = Vec::new();
        build_segment(docs, &mut segment).unwrap();
        fs::write(history_dir.join(segment_file_name(1)), segment).unwrap();
        let old = Manifest {
            version,
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
    }

    /// An index written by version 1 (segments without account terms) is rebuilt from the
    /// journal when opened, so that lookups restricted to an account find its events.
    #[test]
    fn a_version_1_index_is_rebuilt_and_serves_account_lookups() {
        let dir = tempfile::tempdir().unwrap();
        let clock: SharedClock = Arc::new(SystemClock);
        let journal = journal_of_two_accounts(dir.path(), &clock);
        // Version 1 had neither account terms nor error code and source address terms.
        let history_dir = dir.path().join("history");
        write_old_index(
            &history_dir,
            &journal,
            1,
            &[ACCOUNT_KIND, ERROR_CODE_KIND, SOURCE_IP_KIND],
        );

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

    /// An index written by version 2 (segments without error code and source address
    /// terms) is rebuilt from the journal when opened, so that facets count those fields.
    #[test]
    fn a_version_2_index_is_rebuilt_and_serves_error_code_and_source_facets() {
        let dir = tempfile::tempdir().unwrap();
        let clock: SharedClock = Arc::new(SystemClock);
        let journal = journal_of_two_accounts(dir.path(), &clock);
        let history_dir = dir.path().join("history");
        write_old_index(
            &history_dir,
            &journal,
            2,
            &[ERROR_CODE_KIND, SOURCE_IP_KIND],
        );
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
        let time = opentrail_types::Timestamp::parse_event_time("2026-03-01T00:00:00Z").unwrap();
        let facets_of = |history: &History, account: Option<&str>| {
            let request = FacetRequest {
                account: account.map(str::to_owned),
                start: time,
                end: time,
                fields: vec![FacetField::ErrorCode, FacetField::SourceIp],
                top: 10,
            };
            let facets = history.facets(&request).unwrap();
            facets
                .fields
                .into_iter()
                .map(|field| field.top)
                .collect::<Vec<_>>()
        };
        let one = |value: &str| FacetCount {
            value: value.to_owned(),
            count: 1,
        };
        assert_eq!(
            facets_of(&history, Some("444455556666")),
            [vec![one("ThrottlingException")], vec![one("192.0.2.2")]]
        );
        assert_eq!(
            facets_of(&history, None),
            [
                vec![one("AccessDenied"), one("ThrottlingException")],
                vec![one("192.0.2.1"), one("192.0.2.2")]
            ]
        );
        history.close();
        assert_eq!(
            Manifest::load(&history_dir).unwrap().unwrap().version,
            VERSION
        );

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
        assert_eq!(
            facets_of(&history, Some("111122223333")),
            [vec![one("AccessDenied")], vec![one("192.0.2.1")]]
        );
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
            // Version 1 indexes predate account terms, version 2 ones error code and source
            // address terms: the history rebuilds them.
            assert_eq!(loaded.lacks_account_terms(), version < 2, "v{version}");
            assert_eq!(loaded.lacks_facet_terms(), version < 3, "v{version}");
            assert_eq!(loaded.missing_terms().is_some(), version < 3, "v{version}");
            let actual = serde_json::to_string_pretty(&loaded).unwrap() + "\n";
            opentrail_testkit::golden::assert_golden(
                &folder.join(format!("v{version}.expected.json")),
                &actual,
            );
        }
    }
}
