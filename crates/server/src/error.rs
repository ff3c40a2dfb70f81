//! Errors that stop the server from starting or running (request failures are
//! [`opentrail_api::ApiError`]s and go to the client).

use std::path::PathBuf;

use crate::config::ConfigError;

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why the server (or a command opening a data directory) could not go on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The config.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The data directory could not be opened (locked by another process, missing...).
    #[error("cannot open data directory `{}`", path.display())]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: opentrail_store::Error,
    },
    /// The journal.
    #[error("cannot open the journal in `{}`", path.display())]
    Journal {
        /// The data directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: opentrail_journal::Error,
    },
    /// Event history.
    #[error("cannot open event history in `{}`", path.display())]
    History {
        /// The data directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: opentrail_store::Error,
    },
    /// History did not catch up with the journal.
    #[error("event history did not catch up with the journal")]
    HistoryStalled,
    /// Access keys and principals.
    #[error("{0}")]
    Keys(String),
    /// The trail registry.
    #[error("cannot open the trails in `{}`: {source}", path.display())]
    Trails {
        /// Its folder.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: opentrail_trails::Error,
    },
    /// The Lake registry (event data stores and channels).
    #[error("cannot open the event data stores in `{}`: {source}", path.display())]
    Lake {
        /// Its folder.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: opentrail_lake::Error,
    },
    /// Lake's storage, query service or import registry.
    #[error("cannot set up Lake in `{}`: {detail}", path.display())]
    LakeSetup {
        /// Its folder.
        path: std::path::PathBuf,
        /// What failed.
        detail: String,
    },
    /// The Insights analyzer's saved state.
    #[error("cannot use the Insights state `{}`: {detail}", path.display())]
    InsightsState {
        /// The file or folder.
        path: std::path::PathBuf,
        /// What failed.
        detail: String,
    },
    /// The rule router's saved positions or the rule store.
    #[error("cannot use the rules state `{}`: {detail}", path.display())]
    RulesState {
        /// The file or folder.
        path: std::path::PathBuf,
        /// What failed.
        detail: String,
    },
    /// The digest signing keys.
    #[error("cannot open the signing keys in `{}`: {source}", path.display())]
    Keyring {
        /// Their folder.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: opentrail_digest::Error,
    },
    /// The S3 settings of the environment.
    #[error("the AWS settings of the environment are unusable: {source}")]
    Buckets {
        /// Why.
        #[source]
        source: opentrail_blob::Error,
    },
    /// Trail delivery could not start.
    #[error("trail delivery could not start: {source}")]
    Delivery {
        /// Why.
        #[source]
        source: opentrail_delivery::Error,
    },
    /// A file operation.
    #[error("{what}")]
    Io {
        /// What was being done.
        what: String,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },
}
