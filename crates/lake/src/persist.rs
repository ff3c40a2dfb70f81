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

use std::path::Path;

use opentrail_types::durable::{read_versioned, replace_json};
use serde::{Deserialize, Serialize};

use crate::error::Result;
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

/// Reads `dir/STORES_FILE`; `None` when it does not exist.
pub(crate) fn read_stores(dir: &Path) -> Result<Option<StoresFile>> {
    // A version 1 file's stores lack `insights`, which then defaults to off.
    Ok(read_versioned(
        &dir.join(STORES_FILE),
        STORES_VERSIONS_READ,
    )?)
}

/// Reads `dir/CHANNELS_FILE`; `None` when it does not exist.
pub(crate) fn read_channels(dir: &Path) -> Result<Option<ChannelsFile>> {
    Ok(read_versioned(
        &dir.join(CHANNELS_FILE),
        &[CHANNELS_VERSION],
    )?)
}

/// Writes `value` as `dir/name`, durably.
pub(crate) fn write_json<T: Serialize>(dir: &Path, name: &str, value: &T) -> Result<()> {
    Ok(replace_json(&dir.join(name), value)?)
}
