//! `history/MANIFEST`: which segment files make up the index and how far into the journal
//! they reach. Written atomically (temporary file, sync, rename, sync folder), so the
//! segment list and the position always agree: a replay after a crash never indexes an
//! event twice.
//!
//! ```json
//! {"version":1,"position":{"next_seq":1001,"location":123},"segments":["seg-0000000003.idx"],"next_file_id":4,"categories":["Management"]}
//! ```

use std::fs;
use std::io::Write;
use std::path::Path;

use opentrail_journal::Position;
use serde::{Deserialize, Serialize};

pub(crate) const MANIFEST_FILE: &str = "MANIFEST";
const VERSION: u32 = 1;

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
        if manifest.version != VERSION {
            return Err(format!(
                "`{}` has unsupported version {}",
                path.display(),
                manifest.version
            ));
        }
        Ok(Some(manifest))
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
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
        let manifest = Manifest {
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
        assert_eq!(loaded.position, manifest.position);
        assert_eq!(loaded.segments, ["seg-0000000003.idx"]);
        assert_eq!(loaded.categories, ["Management", "Data"]);
        fs::write(
            dir.path().join(MANIFEST_FILE),
            br#"{"version":2,"position":null,"segments":[],"next_file_id":1}"#,
        )
        .unwrap();
        assert!(Manifest::load(dir.path()).is_err());
    }
}

#[cfg(test)]
mod compatibility {
    use super::*;

    /// Every stored manifest version is still read, as its `.expected.json` says.
    #[test]
    fn stored_manifest_versions_are_read() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/manifest");
        let dir = tempfile::tempdir().unwrap();
        fs::copy(folder.join("v1.json"), dir.path().join(MANIFEST_FILE)).unwrap();
        let loaded = Manifest::load(dir.path()).unwrap().unwrap();
        let actual = serde_json::to_string_pretty(&loaded).unwrap() + "\n";
        opentrail_testkit::golden::assert_golden(&folder.join("v1.expected.json"), &actual);
    }
}
