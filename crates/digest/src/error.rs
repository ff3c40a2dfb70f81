//! The crate's one error type.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// What went wrong, for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A public key is not base64, or its bytes are not a DER PKCS#1 `RSAPublicKey` (the CLI's
    /// *Unable to load PKCS #1 key*).
    BadPublicKey,
    /// A signature does not verify against the message and the public key (the CLI's
    /// *signature verification failed*).
    BadSignature,
    /// A private key file does not hold a usable PKCS#8 RSA key, or its public half does not
    /// match the fingerprint it is filed under.
    BadPrivateKey,
    /// The private key of a region's current signing key is missing or unreadable. The ring
    /// never replaces it silently: an operator decides ([`crate::KeyRing::rotate_now`]).
    MissingPrivateKey,
    /// The key store (`keys.json`) is unreadable, corrupt or of an unknown version.
    KeyStore,
    /// Reading or writing a key file failed in the operating system.
    Io,
    /// The cryptographic library failed (key generation, signing): a bug or a broken
    /// environment, not bad input.
    Crypto,
    /// A region name that cannot be a key-store folder (empty, or not `[a-z0-9-]`).
    InvalidRegion,
    /// A key rotation period too short to be meant (under one second).
    InvalidRotation,
    /// `start > end` in a public-key query.
    InvalidTimeRange,
    /// The digest to sign contradicts itself or the signer (fingerprint, backfill key vs
    /// backfill timestamp): a bug in the caller.
    InconsistentDigest,
    /// A digest file's JSON is not the shape this crate writes.
    Format,
}

/// An error of digest signing, verification or key management.
///
/// [`Error::kind`] tells what went wrong; the display text is the message, prefixed by the
/// path when a file was involved; [`std::error::Error::source`] keeps the underlying error.
#[derive(Debug, thiserror::Error)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    path: Option<PathBuf>,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            path: None,
            source: None,
        }
    }

    pub(crate) fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Error {
        self.source = Some(source.into());
        self
    }

    pub(crate) fn with_path(mut self, path: &Path) -> Error {
        self.path = Some(path.to_owned());
        self
    }

    /// An operating-system failure on `path`.
    pub(crate) fn io(message: impl Into<String>, path: &Path, source: io::Error) -> Error {
        Error::new(ErrorKind::Io, message)
            .with_source(source)
            .with_path(path)
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The file involved, when there was one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(formatter, "{}: {}", path.display(), self.message),
            None => formatter.write_str(&self.message),
        }
    }
}
