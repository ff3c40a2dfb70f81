//! The registry's two state files, both JSON with a `version` member:
//!
//! - `trails.json` — `{"version":1,"revision":N,"trails":[Trail...]}`: every trail of every
//!   account, tombstones included; each trail with the snake_case members of
//!   [`Trail`], timestamps as epoch milliseconds (`null` when unset), selectors as
//!   `{"Basic":[...]}` or `{"Advanced":[...]}` in botocore's member names.
//! - `status.json` — `{"version":1,"statuses":[{"arn":..,"created":ms,"status":{..}}]}`:
//!   the delivery status board, one entry per trail (identified by ARN and creation time,
//!   since a deleted trail and its successor share the ARN).
//!
//! Both are replaced whole on every change: a temporary file, fsync, rename, fsync of the
//! folder. A missing file is an empty state; a damaged one is an error, never an empty
//! state. Old versions are read, never written.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use opentrail_types::Timestamp;

use crate::error::{Error, Result};
use crate::model::{Trail, TrailStatus};

/// The trail configuration file.
pub const TRAILS_FILE: &str = "trails.json";
/// The status board file.
pub const STATUS_FILE: &str = "status.json";
/// The version this code writes.
pub const VERSION: u32 = 1;

/// `trails.json`, version 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TrailsFile {
    pub(crate) version: u32,
    /// Bumped on every change; the value the change channel carries.
    pub(crate) revision: u64,
    pub(crate) trails: Vec<Trail>,
}

/// One status board entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StatusEntry {
    pub(crate) arn: String,
    #[serde(with = "opentrail_types::serde_millis")]
    pub(crate) created: Timestamp,
    pub(crate) status: TrailStatus,
}

/// `status.json`, version 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StatusFile {
    pub(crate) version: u32,
    pub(crate) statuses: Vec<StatusEntry>,
}

#[derive(Deserialize)]
struct VersionOnly {
    version: u32,
}

/// Reads `dir/TRAILS_FILE`; `None` when it does not exist.
pub(crate) fn read_trails(dir: &Path) -> Result<Option<TrailsFile>> {
    read_versioned(&dir.join(TRAILS_FILE))
}

/// Reads `dir/STATUS_FILE`; `None` when it does not exist.
pub(crate) fn read_statuses(dir: &Path) -> Result<Option<StatusFile>> {
    read_versioned(&dir.join(STATUS_FILE))
}

fn read_versioned<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(Error::io(path, error)),
    };
    let corrupt = |reason: String| Error::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    let version: VersionOnly =
        serde_json::from_slice(&bytes).map_err(|error| corrupt(error.to_string()))?;
    if version.version != VERSION {
        return Err(corrupt(format!(
            "unknown version `{}`; this OpenTrail reads version {VERSION}",
            version.version
        )));
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|error| corrupt(error.to_string()))
}

/// Writes `value` as `dir/name`, durably.
pub(crate) fn write_json<T: Serialize>(dir: &Path, name: &str, value: &T) -> Result<()> {
    let path = dir.join(name);
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|error| Error::Internal(format!("cannot encode `{}`: {error}", path.display())))?;
    bytes.push(b'\n');
    opentrail_types::durable::replace_file(&path, &bytes)
        .map_err(|error| Error::io(error.path, error.source))
}
