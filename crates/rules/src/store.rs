//! `rules.json`, the one state file of the rule store:
//!
//! ```json
//! {"version": 1, "revision": 7, "rules": [Rule, ...]}
//! ```
//!
//! - `version`: the format version; this code reads and writes version 1.
//! - `revision`: bumped on every change; the value the change channel carries.
//! - `rules`: every rule of every account, each with the snake_case members of
//!   [`Rule`]: `account_id`, `region`, `name`, `event_pattern` (the caller's text),
//!   `state` (`ENABLED`, `DISABLED`, `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`),
//!   `description`, `role_arn` (`null` when unset), `tags` (`[[key, value], ...]`),
//!   `targets` (each with the snake_case members of [`Target`](crate::Target); maps as
//!   `[[key, value], ...]` in the caller's order) and `created` (epoch milliseconds).
//!
//! The file is replaced whole on every change: a temporary file, fsync, rename, fsync of
//! the folder. A missing file is an empty store; a damaged one is an error, never an
//! empty store. Old versions are read, never written.

use std::path::Path;

use opentrail_types::durable::{read_versioned, replace_json};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::model::Rule;

/// The state file's name.
pub const RULES_FILE: &str = "rules.json";
/// The version this code writes.
pub const VERSION: u32 = 1;

/// `rules.json`, version 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RulesFile {
    pub(crate) version: u32,
    pub(crate) revision: u64,
    pub(crate) rules: Vec<Rule>,
}

/// Reads `dir/RULES_FILE`; `None` when it does not exist.
pub(crate) fn read_rules(dir: &Path) -> Result<Option<RulesFile>> {
    Ok(read_versioned(&dir.join(RULES_FILE), &[VERSION])?)
}

/// Writes `file` as `dir/RULES_FILE`, durably.
pub(crate) fn write_rules(dir: &Path, file: &RulesFile) -> Result<()> {
    Ok(replace_json(&dir.join(RULES_FILE), file)?)
}
