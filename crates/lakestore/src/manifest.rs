//! The manifest: which Parquet files make up a store, and how far the journal writer got.
//!
//! The manifest is the only source of truth. A file in the bucket that the manifest does
//! not list (a crash between the upload and the manifest write) is not part of the store
//! and is deleted when the store is opened; the journal position moves only with the
//! manifest, so the events of such a file are written again, exactly once.
//!
//! It lives on the local disk (`<state dir>/manifest.json`) and is replaced atomically:
//! written to a temporary file, fsynced, renamed, and the directory fsynced.

use std::fs;
use std::path::Path;

use opentrail_journal::Position;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The manifest format version.
const VERSION: u32 = 1;

/// One Parquet file of a store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The object key in the store's bucket.
    pub key: String,
    /// The day partition (`YYYY-MM-DD`, UTC) every row of the file falls in.
    pub day: String,
    /// Rows in the file.
    pub rows: u64,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// Smallest `eventtime` in the file, milliseconds since the epoch.
    pub min_ms: i64,
    /// Largest `eventtime` in the file, milliseconds since the epoch.
    pub max_ms: i64,
    /// 0 for a file written by the writer or an import, 1 for a compacted one.
    pub level: u8,
}

/// A file taken out of the store (by compaction or retention) whose object is deleted
/// only later, so queries that started before still find it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Garbage {
    /// The object key.
    pub key: String,
    /// When it left the store, milliseconds since the epoch.
    pub removed_ms: i64,
}

/// The persisted state of one store's files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version.
    pub version: u32,
    /// The journal position the writer resumes from; `None` until it first saves one.
    pub position: Option<Position>,
    /// The number the next file gets (file names are unique within the store).
    pub next_file: u64,
    /// The store's files, in the order they were added.
    pub files: Vec<FileEntry>,
    /// Files no longer in the store whose objects wait for deletion.
    pub garbage: Vec<Garbage>,
}

impl Manifest {
    /// An empty manifest.
    pub fn empty() -> Manifest {
        Manifest {
            version: VERSION,
            position: None,
            next_file: 1,
            files: Vec::new(),
            garbage: Vec::new(),
        }
    }

    /// Reads the manifest at `path`; a missing file is an empty manifest.
    pub(crate) fn load(path: &Path) -> Result<Manifest> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Manifest::empty());
            }
            Err(error) => return Err(Error::io(path, error)),
        };
        let manifest: Manifest =
            serde_json::from_slice(&bytes).map_err(|error| Error::Corrupt {
                path: path.to_owned(),
                detail: error.to_string(),
            })?;
        if manifest.version != VERSION {
            return Err(Error::Corrupt {
                path: path.to_owned(),
                detail: format!("unknown manifest version `{}`", manifest.version),
            });
        }
        Ok(manifest)
    }

    /// Replaces the manifest at `path` atomically and durably.
    pub(crate) fn save(&self, path: &Path) -> Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|error| Error::io(dir, error))?;
        let body = serde_json::to_vec(self).map_err(|error| Error::Corrupt {
            path: path.to_owned(),
            detail: error.to_string(),
        })?;
        opentrail_types::durable::replace_file(path, &body)
            .map_err(|error| Error::io(&error.path, error.source))
    }

    /// Rows in the store.
    pub fn rows(&self) -> u64 {
        self.files.iter().map(|file| file.rows).sum()
    }

    /// Bytes of Parquet in the store.
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|file| file.bytes).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentrail_journal::Location;

    #[test]
    fn a_saved_manifest_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s/manifest.json");
        assert_eq!(Manifest::load(&path).unwrap(), Manifest::empty());
        let mut manifest = Manifest::empty();
        manifest.position = Some(Position {
            next_seq: 7,
            location: Location::new(0, 99),
        });
        manifest.files.push(FileEntry {
            key: "k".into(),
            day: "2026-01-02".into(),
            rows: 3,
            bytes: 10,
            min_ms: 1,
            max_ms: 2,
            level: 0,
        });
        manifest.save(&path).unwrap();
        assert_eq!(Manifest::load(&path).unwrap(), manifest);
        assert!(
            !path
                .with_file_name("manifest.json.tmp")
                .try_exists()
                .unwrap()
        );
    }

    #[test]
    fn a_damaged_manifest_is_an_error_not_an_empty_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest.json");
        fs::write(&path, b"{not json").unwrap();
        assert!(matches!(Manifest::load(&path), Err(Error::Corrupt { .. })));
    }
}
