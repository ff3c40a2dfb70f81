//! What one trail's delivery keeps on disk: `delivery/<trail>/state.json` and the spooled
//! files in `delivery/<trail>/outbox/`.
//!
//! The state file is the unit of atomicity. A flush writes the new log files into the
//! outbox, then replaces the state file (journal position moved past the flushed events,
//! outbox entries added) in one rename; uploads happen only after that. A crash before the
//! rename leaves the old position, so the events are batched again and the orphaned spool
//! files are removed; a crash after it leaves outbox entries that are uploaded again under
//! the same keys. Either way no event is lost and no event is in two log files.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use opentrail_journal::Position;
use opentrail_types::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

const VERSION: u32 = 1;

/// Which folder a log file goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    /// `CloudTrail/`: management, data and network activity events.
    CloudTrail,
    /// `CloudTrail-Insight/`: Insights events.
    Insight,
}

/// A spooled object waiting for its upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// File name in the outbox.
    pub spool: String,
    /// Destination bucket.
    pub bucket: String,
    /// Destination key.
    pub key: String,
    /// What it is.
    pub object: PendingObject,
}

/// A log file or a digest file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PendingObject {
    /// A log file.
    Log(LogFile),
    /// A signed digest; its metadata goes with the upload.
    Digest {
        /// S3 user metadata (`signature`, `signature-algorithm`, ...).
        metadata: Vec<(String, String)>,
        /// Backfill digests count separately in the status.
        backfill: bool,
    },
}

/// A log file: where it is, what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFile {
    /// Events of this account.
    pub account: String,
    /// Events of this source region.
    pub region: String,
    /// Folder.
    pub kind: Kind,
    /// SHA-256 of the inflated bytes, lowercase hex.
    pub sha256: String,
    /// Newest `eventTime` in the file.
    pub newest: Timestamp,
    /// Oldest `eventTime` in the file.
    pub oldest: Timestamp,
    /// The time in the file name (delivery time, minute precision in the key).
    pub named_at: Timestamp,
    /// When the chain it belongs to was current: the digest chain's start, or `None` when
    /// validation was off at flush time (never digested).
    pub chain: Option<Timestamp>,
}

/// A log file stored in the destination, waiting to be listed in a digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivered {
    /// Bucket.
    pub bucket: String,
    /// Key.
    pub key: String,
    /// The file.
    pub file: LogFile,
    /// When the upload finished.
    pub delivered_at: Timestamp,
}

/// The digest a chain's next digest points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Its bucket.
    pub bucket: String,
    /// Its key.
    pub key: String,
    /// SHA-256 of its inflated bytes.
    pub sha256: String,
    /// Its signature (hex), as in its metadata.
    pub signature: String,
}

/// One digest chain: per (account, source region) of a trail while validation is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chain {
    /// Account.
    pub account: String,
    /// Source region.
    pub region: String,
    /// The trail's `validation_since` this chain belongs to; a different one starts a new chain.
    pub since: Timestamp,
    /// Start of the window the next digest covers.
    pub window_start: Timestamp,
    /// The digest last written (the next one points at it), `None` before the first.
    pub last: Option<Link>,
    /// Files delivered in the current window.
    pub files: Vec<Delivered>,
    /// The backfill chain's last digest.
    pub backfill_last: Option<Link>,
    /// End of the last backfill digest.
    pub backfill_end: Option<Timestamp>,
    /// Files that arrived after the digest of their window was written.
    pub late: Vec<Delivered>,
}

/// The whole persisted state of one trail's delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Format version.
    pub version: u32,
    /// The trail.
    pub trail_arn: String,
    /// The trail's creation time (a re-created trail of the same name is another trail).
    pub trail_created: Timestamp,
    /// The next journal entry to read.
    pub position: Position,
    /// Counter for spool file names.
    pub next_spool: u64,
    /// Objects spooled and not yet uploaded, in upload order.
    pub outbox: Vec<Pending>,
    /// Digest chains.
    pub chains: Vec<Chain>,
}

impl State {
    /// A fresh state reading from `position`.
    pub fn new(trail_arn: &str, trail_created: Timestamp, position: Position) -> State {
        State {
            version: VERSION,
            trail_arn: trail_arn.to_owned(),
            trail_created,
            position,
            next_spool: 0,
            outbox: Vec::new(),
            chains: Vec::new(),
        }
    }
}

/// A trail's delivery folder.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
}

impl Folder {
    /// The folder at `root` (created on first save).
    pub fn new(root: PathBuf) -> Folder {
        Folder { root }
    }

    /// Its path.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn state_path(&self) -> PathBuf {
        self.root.join("state.json")
    }

    /// The outbox folder.
    pub fn outbox(&self) -> PathBuf {
        self.root.join("outbox")
    }

    /// Loads the saved state, `None` if there is none.
    ///
    /// # Errors
    ///
    /// I/O errors and a damaged or foreign state file (never silently replaced).
    pub fn load(&self) -> Result<Option<State>> {
        let path = self.state_path();
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(Error::io(&path, error)),
        };
        let state: State = serde_json::from_slice(&bytes).map_err(|error| Error::Corrupt {
            path: path.clone(),
            reason: error.to_string(),
        })?;
        if state.version != VERSION {
            return Err(Error::Corrupt {
                path,
                reason: format!("unsupported state version {}", state.version),
            });
        }
        Ok(Some(state))
    }

    /// Replaces the state file atomically and durably.
    ///
    /// # Errors
    ///
    /// I/O errors.
    pub fn save(&self, state: &State) -> Result<()> {
        fs::create_dir_all(&self.root).map_err(|error| Error::io(&self.root, error))?;
        let bytes = serde_json::to_vec(state).map_err(|error| Error::Corrupt {
            path: self.state_path(),
            reason: format!("cannot encode the state: {error}"),
        })?;
        write_durably(&self.root, &self.state_path(), &bytes)
    }

    /// Writes a spool file durably; returns its name.
    ///
    /// # Errors
    ///
    /// I/O errors.
    pub fn spool(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let outbox = self.outbox();
        fs::create_dir_all(&outbox).map_err(|error| Error::io(&outbox, error))?;
        write_durably(&outbox, &outbox.join(name), bytes)
    }

    /// Reads a spool file.
    ///
    /// # Errors
    ///
    /// I/O errors (a missing spool file is a broken invariant).
    pub fn read_spool(&self, name: &str) -> Result<Vec<u8>> {
        let path = self.outbox().join(name);
        fs::read(&path).map_err(|error| Error::io(&path, error))
    }

    /// Removes a spool file after its upload (a missing one is fine).
    ///
    /// # Errors
    ///
    /// I/O errors.
    pub fn unspool(&self, name: &str) -> Result<()> {
        let path = self.outbox().join(name);
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(Error::io(&path, error)),
        }
    }

    /// Removes spool files the state does not reference: left by a crash between
    /// spooling and saving the state, their events are batched again.
    ///
    /// # Errors
    ///
    /// I/O errors.
    pub fn remove_orphans(&self, state: &State) -> Result<usize> {
        let outbox = self.outbox();
        let entries = match fs::read_dir(&outbox) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(error) => return Err(Error::io(&outbox, error)),
        };
        let mut removed = 0;
        for entry in entries {
            let entry = entry.map_err(|error| Error::io(&outbox, error))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if !state.outbox.iter().any(|pending| pending.spool == name) {
                let path = entry.path();
                fs::remove_file(&path).map_err(|error| Error::io(&path, error))?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Removes the whole folder (a deleted trail, once its final digest is out).
    ///
    /// # Errors
    ///
    /// I/O errors.
    pub fn remove(&self) -> Result<()> {
        match fs::remove_dir_all(&self.root) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(Error::io(&self.root, error)),
        }
    }
}

/// Temporary file, fsync, rename, fsync of the folder.
fn write_durably(folder: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
    let temporary = path.with_extension("tmp");
    let mut file = fs::File::create(&temporary).map_err(|error| Error::io(&temporary, error))?;
    file.write_all(bytes)
        .map_err(|error| Error::io(&temporary, error))?;
    file.sync_all()
        .map_err(|error| Error::io(&temporary, error))?;
    fs::rename(&temporary, path).map_err(|error| Error::io(path, error))?;
    let dir = fs::File::open(folder).map_err(|error| Error::io(folder, error))?;
    dir.sync_all().map_err(|error| Error::io(folder, error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentrail_journal::Location;

    #[test]
    fn state_round_trips_and_orphans_go() {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = Folder::new(dir.path().join("t"));
        assert_eq!(folder.load().expect("load"), None);
        let mut state = State::new(
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/t",
            Timestamp::from_secs(5),
            Position {
                next_seq: 7,
                location: Location::new(0, 16),
            },
        );
        folder.spool("0.gz", b"kept").expect("spool");
        folder.spool("1.gz", b"orphan").expect("spool");
        state.outbox.push(Pending {
            spool: "0.gz".into(),
            bucket: "b".into(),
            key: "k".into(),
            object: PendingObject::Digest {
                metadata: vec![("signature".into(), "00".into())],
                backfill: false,
            },
        });
        folder.save(&state).expect("save");
        assert_eq!(folder.load().expect("load"), Some(state.clone()));
        assert_eq!(folder.remove_orphans(&state).expect("orphans"), 1);
        assert_eq!(folder.read_spool("0.gz").expect("read"), b"kept");
        assert!(folder.read_spool("1.gz").is_err());
    }
}
