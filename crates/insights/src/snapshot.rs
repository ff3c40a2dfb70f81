//! Saving and restoring the analyzer's state, so a restart keeps baselines, metric series
//! and open Insights.

use serde::{Deserialize, Serialize};

use crate::analyzer::{Analyzer, State};
use crate::config::InsightsConfig;

/// The version of the saved form; another version is refused rather than misread.
const VERSION: u32 = 1;

/// Why saved state could not be restored.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// The bytes are not a saved state.
    #[error("the saved Insights state is not readable")]
    Decode(#[source] serde_json::Error),
    /// Saved by another version of the analyzer.
    #[error("the saved Insights state has version {found}; this build reads version {VERSION}")]
    Version {
        /// The version found.
        found: u32,
    },
}

#[derive(Serialize)]
struct SavedRef<'a> {
    version: u32,
    state: &'a State,
}

#[derive(Deserialize)]
struct Saved {
    version: u32,
    state: State,
}

#[derive(Deserialize)]
struct VersionOnly {
    version: u32,
}

impl Analyzer {
    /// The state as bytes (JSON), for [`Analyzer::restore`].
    pub fn snapshot(&self) -> Vec<u8> {
        // The state holds only strings, integers, finite floats and maps with string or
        // integer keys, which always serialise.
        serde_json::to_vec(&SavedRef {
            version: VERSION,
            state: &self.state,
        })
        .unwrap_or_default()
    }

    /// An analyzer with the state `bytes` saved and the settings `config`.
    ///
    /// # Errors
    ///
    /// The bytes are not a snapshot of this version.
    pub fn restore(config: InsightsConfig, bytes: &[u8]) -> Result<Analyzer, SnapshotError> {
        let version: VersionOnly = serde_json::from_slice(bytes).map_err(SnapshotError::Decode)?;
        if version.version != VERSION {
            return Err(SnapshotError::Version {
                found: version.version,
            });
        }
        let saved: Saved = serde_json::from_slice(bytes).map_err(SnapshotError::Decode)?;
        debug_assert_eq!(saved.version, VERSION);
        let mut analyzer = Analyzer::new(config);
        analyzer.state = saved.state;
        Ok(analyzer)
    }
}
