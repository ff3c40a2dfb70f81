//! The config file: what the system does. Every member has a default, so an empty file
//! (or none) is a complete config.
//!
//! ```toml
//! # Where journal, history and everything else live.
//! data_dir = "./opentrail-data"
//!
//! [history]
//! # Days an event stays searchable, counted from its arrival (an imported archive is kept
//! # this long after the import, however old its events).
//! retention_days = 90
//! # Categories held besides Insights: any of "Management", "Data", "NetworkActivity".
//! categories = ["Management"]
//!
//! [journal]
//! # Size at which a journal segment file is closed and the next begun, in bytes.
//! segment_bytes = 268435456
//!
//! [import]
//! # Largest decompressed file accepted, in bytes (gzip bombs are refused above it).
//! max_file_bytes = 536870912
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use opentrail_event::EventCategory;
use serde::Deserialize;

/// The whole config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Data directory. Default `./opentrail-data`.
    pub data_dir: PathBuf,
    /// Event history.
    pub history: HistorySection,
    /// The journal.
    pub journal: JournalSection,
    /// `opentrail import`.
    pub import: ImportSection,
}

/// `[history]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HistorySection {
    /// Days an event stays searchable, from its arrival. Default 90.
    pub retention_days: u64,
    /// Categories held besides Insights. Default `["Management"]`.
    pub categories: Vec<String>,
}

/// `[journal]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JournalSection {
    /// Segment size, in bytes. Default 268,435,456 (256 MiB).
    pub segment_bytes: u64,
}

/// `[import]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImportSection {
    /// Largest decompressed file, in bytes. Default 536,870,912 (512 MiB).
    pub max_file_bytes: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            data_dir: PathBuf::from("./opentrail-data"),
            history: HistorySection::default(),
            journal: JournalSection::default(),
            import: ImportSection::default(),
        }
    }
}

impl Default for HistorySection {
    fn default() -> HistorySection {
        HistorySection {
            retention_days: 90,
            categories: vec![String::from("Management")],
        }
    }
}

impl Default for JournalSection {
    fn default() -> JournalSection {
        JournalSection {
            segment_bytes: 256 * 1024 * 1024,
        }
    }
}

impl Default for ImportSection {
    fn default() -> ImportSection {
        ImportSection {
            max_file_bytes: 512 * 1024 * 1024,
        }
    }
}

impl Config {
    /// Reads `path`, or returns the defaults when there is none.
    ///
    /// # Errors
    ///
    /// An unreadable file, TOML errors, unknown keys, and values out of range.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
        let config = match path {
            None => Config::default(),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read config file `{}`", path.display()))?;
                toml::from_str(&text)
                    .with_context(|| format!("config file `{}` is not valid", path.display()))?
            }
        };
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> anyhow::Result<()> {
        if self.history.retention_days == 0 {
            bail!("`history.retention_days` must be at least 1");
        }
        self.history_categories()?;
        if self.journal.segment_bytes < 1024 * 1024 {
            bail!("`journal.segment_bytes` must be at least 1048576");
        }
        if self.import.max_file_bytes == 0 {
            bail!("`import.max_file_bytes` must be at least 1");
        }
        Ok(())
    }

    /// `history.categories` as categories.
    ///
    /// # Errors
    ///
    /// A name that is not `Management`, `Data` or `NetworkActivity`.
    pub fn history_categories(&self) -> anyhow::Result<Vec<EventCategory>> {
        let mut categories = Vec::new();
        for name in &self.history.categories {
            match EventCategory::from_wire(name) {
                Some(
                    category @ (EventCategory::Management
                    | EventCategory::Data
                    | EventCategory::NetworkActivity),
                ) => {
                    categories.push(category);
                }
                _ => bail!(
                    "`history.categories` has `{name}`; use Management, Data or NetworkActivity"
                ),
            }
        }
        Ok(categories)
    }

    /// `history.retention_days` as a duration.
    pub fn retention(&self) -> Duration {
        Duration::from_secs(self.history.retention_days.saturating_mul(86_400))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_is_the_default() {
        let documented = include_str!("config.rs")
            .lines()
            .skip_while(|line| !line.starts_with("//! ```toml"))
            .skip(1)
            .take_while(|line| !line.starts_with("//! ```"))
            .map(|line| line.trim_start_matches("//!").trim_start())
            .collect::<Vec<_>>()
            .join("\n");
        let parsed: Config = toml::from_str(&documented).unwrap();
        let default = Config::default();
        assert_eq!(parsed.data_dir, default.data_dir);
        assert_eq!(
            parsed.history.retention_days,
            default.history.retention_days
        );
        assert_eq!(parsed.history.categories, default.history.categories);
        assert_eq!(parsed.journal.segment_bytes, default.journal.segment_bytes);
        assert_eq!(parsed.import.max_file_bytes, default.import.max_file_bytes);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        assert!(toml::from_str::<Config>("[history]\nretention = 5").is_err());
        let bad: Config = toml::from_str("[history]\ncategories = [\"Insight\"]").unwrap();
        assert!(bad.check().is_err());
        let zero: Config = toml::from_str("[history]\nretention_days = 0").unwrap();
        assert!(zero.check().is_err());
    }
}
