//! The registry's two state files, both JSON with a `version` member:
//!
//! - `stores.json` — `{"version":2,"revision":N,"event_data_stores":[EventDataStore...]}`:
//!   every store of every account, pending-deletion ones included, with the snake_case
//!   members of [`EventDataStore`], enums in their wire spelling, timestamps as epoch
//!   milliseconds (`null` when unset), selectors in botocore's member names. Version 2
//!   added each store's `insights` ([`crate::InsightsConfiguration`] or `null`); a
//!   version 1 file is read with Insights off everywhere.
//! - `channels.json` — `{"version":1,"channels":[Channel...]}`: every channel, with its
//!   ingestion status.
//!
//! Both are replaced whole on every change: a temporary file, fsync, rename, fsync of the
//! folder. A missing file is an empty state; a damaged one is an error, never an empty
//! state. Old versions are read, never written.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Channel, EventDataStore};

/// The event data store file.
pub const STORES_FILE: &str = "stores.json";
/// The channel file.
pub const CHANNELS_FILE: &str = "channels.json";
/// The `stores.json` version this code writes.
pub(crate) const STORES_VERSION: u32 = 2;
/// The `stores.json` versions this code reads (1: before Insights).
const STORES_VERSIONS_READ: &[u32] = &[1, 2];
/// The `channels.json` version this code writes (and the only one it reads).
pub(crate) const CHANNELS_VERSION: u32 = 1;

/// `stores.json`, versions 1 and 2 (version 1 has no `insights` members).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoresFile {
    pub(crate) version: u32,
    /// Bumped on every change of a store or channel; the value the change channel carries.
    pub(crate) revision: u64,
    pub(crate) event_data_stores: Vec<EventDataStore>,
}

/// `channels.json`, version 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ChannelsFile {
    pub(crate) version: u32,
    pub(crate) channels: Vec<Channel>,
}

#[derive(Deserialize)]
struct VersionOnly {
    version: u32,
}

/// Reads `dir/STORES_FILE`; `None` when it does not exist.
pub(crate) fn read_stores(dir: &Path) -> Result<Option<StoresFile>> {
    read_versioned(&dir.join(STORES_FILE), STORES_VERSIONS_READ)
}

/// Reads `dir/CHANNELS_FILE`; `None` when it does not exist.
pub(crate) fn read_channels(dir: &Path) -> Result<Option<ChannelsFile>> {
    read_versioned(&dir.join(CHANNELS_FILE), &[CHANNELS_VERSION])
}

/// Reads `path` when its `version` is one of `versions`; the newer members of a file of
/// an older version take their serde defaults.
fn read_versioned<T: serde::de::DeserializeOwned>(
    path: &Path,
    versions: &[u32],
) -> Result<Option<T>> {
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
    if !versions.contains(&version.version) {
        return Err(corrupt(format!(
            "unknown version `{}`; this OpenTrail reads versions {versions:?}",
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
