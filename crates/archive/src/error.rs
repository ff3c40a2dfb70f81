//! The crate's one error type.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// What went wrong, for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading a file or listing a directory failed in the operating system.
    Io,
    /// The decompressed (or plain) content, or the number of records in one file, is over
    /// its limit: a gzip bomb or a file far bigger than any real CloudTrail file.
    TooLarge,
    /// The gzip stream is corrupt or truncated.
    Gzip,
    /// The content is not one of the file formats [`crate::records`] reads: not UTF-8, not
    /// JSON, or a JSON document that is neither a log file, a digest file nor records.
    Format,
}

/// An error reading a CloudTrail archive.
///
/// [`Error::kind`] tells what went wrong; [`Error::path`] names the file or directory when
/// the failing function knew it. The display text is `<path>: <message>` (or only the
/// message), and [`std::error::Error::source`] keeps the underlying I/O, gzip or JSON error.
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

    /// An I/O failure of the operating system on `path`.
    pub(crate) fn io(message: impl Into<String>, path: &Path, source: io::Error) -> Error {
        Error::new(ErrorKind::Io, message)
            .with_source(source)
            .with_path(path)
    }

    /// The decompressed content passed `cap_bytes`.
    pub(crate) fn too_large(cap_bytes: u64) -> Error {
        Error::new(
            ErrorKind::TooLarge,
            format!("decompressed size exceeds the {cap_bytes}-byte limit"),
        )
    }

    /// Recovers the typed error a [`crate::CappedGzReader`] put inside an `io::Error`; any
    /// other `io::Error` is a failure of the input.
    pub(crate) fn from_io(error: io::Error) -> Error {
        const MESSAGE: &str = "cannot read input";
        if error.get_ref().is_none() {
            // An OS error or a bare kind: keep the whole `io::Error` as the source.
            return Error::new(ErrorKind::Io, MESSAGE).with_source(error);
        }
        match error.into_inner().map(|inner| inner.downcast::<Error>()) {
            Some(Ok(typed)) => *typed,
            Some(Err(other)) => Error::new(ErrorKind::Io, MESSAGE).with_source(other),
            // `get_ref` above saw an inner error, so `into_inner` returns it.
            None => Error::new(ErrorKind::Io, MESSAGE),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The file or directory the error is about, when known.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The message without the path.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Returns the error with `path` attached (replacing any path it had), for callers that
    /// know which file a path-less error (e.g. from [`crate::records::split`]) came from.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Error {
        self.path = Some(path.into());
        self
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

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn display_puts_the_path_first_and_keeps_the_source() {
        let error = Error::io(
            "cannot open file",
            Path::new("/tmp/a.json.gz"),
            io::Error::new(io::ErrorKind::NotFound, "gone"),
        );
        assert_eq!(error.kind(), ErrorKind::Io);
        assert_eq!(error.to_string(), "/tmp/a.json.gz: cannot open file");
        assert_eq!(
            error.source().map(ToString::to_string).as_deref(),
            Some("gone")
        );
    }

    #[test]
    fn typed_errors_come_back_out_of_io_errors() {
        let wrapped = io::Error::other(Error::too_large(10));
        assert_eq!(Error::from_io(wrapped).kind(), ErrorKind::TooLarge);
        let plain = Error::from_io(io::Error::from_raw_os_error(5));
        assert_eq!(plain.kind(), ErrorKind::Io);
        assert!(plain.source().is_some());
        let custom = Error::from_io(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "disk on fire",
        ));
        assert_eq!(
            custom.source().map(ToString::to_string).as_deref(),
            Some("disk on fire")
        );
    }

    #[test]
    fn too_large_names_the_cap() {
        let error = Error::too_large(536_870_912);
        assert_eq!(error.kind(), ErrorKind::TooLarge);
        assert_eq!(
            error.to_string(),
            "decompressed size exceeds the 536870912-byte limit"
        );
        assert_eq!(
            error.with_path("x.gz").to_string(),
            "x.gz: decompressed size exceeds the 536870912-byte limit"
        );
    }
}
