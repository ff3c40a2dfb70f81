//! Errors of this crate's setup. Delivery itself never fails: it ends delivered or in a
//! dead-letter file ([`crate::Outcome`]).

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The [`crate::TargetsConfig`] is unusable.
    Config,
    /// The HTTP client could not be built (TLS roots, for instance).
    HttpClient,
}

/// A [`crate::Deliverer`] that cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client for rule targets: {0}")]
    HttpClient(#[source] reqwest::Error),
    /// A setting is invalid; the text names it.
    #[error("invalid rule target settings: {0}")]
    Config(String),
}

impl Error {
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::HttpClient(_) => ErrorKind::HttpClient,
            Error::Config(_) => ErrorKind::Config,
        }
    }
}

/// Results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
