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

use std::path::Path;

use serde::{Deserialize, Serialize};

use opentrail_types::Timestamp;
use opentrail_types::durable::{read_versioned, replace_json};

use crate::error::Result;
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

/// Reads `dir/TRAILS_FILE`; `None` when it does not exist.
pub(crate) fn read_trails(dir: &Path) -> Result<Option<TrailsFile>> {
    Ok(read_versioned(&dir.join(TRAILS_FILE), &[VERSION])?)
}

/// Reads `dir/STATUS_FILE`; `None` when it does not exist.
pub(crate) fn read_statuses(dir: &Path) -> Result<Option<StatusFile>> {
    Ok(read_versioned(&dir.join(STATUS_FILE), &[VERSION])?)
}

/// Writes `value` as `dir/name`, durably.
pub(crate) fn write_json<T: Serialize>(dir: &Path, name: &str, value: &T) -> Result<()> {
    Ok(replace_json(&dir.join(name), value)?)
}
