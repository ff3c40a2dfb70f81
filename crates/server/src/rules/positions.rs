//! `<data dir>/rules/positions.json`: where the router and each target stand in the
//! journal, replaced whole (temporary file, fsync, rename) at every save.
//!
//! `{"version":1,"router":{..},"lanes":[{"rule_arn","created","target_id","position"}]}`:
//! `router` is where the router reads on, each lane's `position` the first event that
//! target may not have handled yet (delivered or dead-lettered). A missing file means a
//! first start: routing begins at the journal's end, since rules only see events that
//! arrive after them.

use std::path::Path;

use opentrail_journal::Position;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The file's name under `<data dir>/rules/`.
pub const FILE: &str = "positions.json";
const VERSION: u32 = 1;

/// One target of one rule: rules are identified by ARN and creation time, since a
/// deleted rule and its successor share the ARN.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LaneKey {
    /// The rule's ARN.
    pub rule_arn: String,
    /// The rule's creation time, epoch milliseconds.
    pub created: i64,
    /// The target's `Id`.
    pub target_id: String,
}

/// One lane's saved position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedLane {
    /// Which lane.
    #[serde(flatten)]
    pub key: LaneKey,
    /// The first event it may not have handled.
    pub position: Position,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Positions {
    /// Always 1 when written.
    pub version: u32,
    /// Where the router reads on.
    pub router: Position,
    /// Every lane.
    pub lanes: Vec<SavedLane>,
}

/// Reads the file; `None` when it does not exist.
pub fn read(dir: &Path) -> Result<Option<Positions>> {
    let path = dir.join(FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(Error::RulesState {
                path,
                detail: error.to_string(),
            });
        }
    };
    let positions: Positions =
        serde_json::from_slice(&bytes).map_err(|error| Error::RulesState {
            path: path.clone(),
            detail: error.to_string(),
        })?;
    if positions.version != VERSION {
        return Err(Error::RulesState {
            path,
            detail: format!("version {} is not one this build reads", positions.version),
        });
    }
    Ok(Some(positions))
}

/// Replaces the file.
pub fn write(dir: &Path, router: Position, mut lanes: Vec<SavedLane>) -> Result<()> {
    lanes.sort_by(|a, b| a.key.cmp(&b.key));
    let positions = Positions {
        version: VERSION,
        router,
        lanes,
    };
    let path = dir.join(FILE);
    // Serializing plain structs of strings and integers cannot fail.
    let bytes = serde_json::to_vec(&positions).unwrap_or_default();
    opentrail_types::durable::replace_file(&path, &bytes).map_err(|error| Error::RulesState {
        path,
        detail: error.to_string(),
    })
}
