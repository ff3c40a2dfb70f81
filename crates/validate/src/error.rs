//! The crate's error type: why a validation run stopped before its summary.
//!
//! A run that reaches its summary never fails, whatever it found (invalid digests are
//! verdicts, not errors). An [`Error`] is an *abort*: the aws CLI stops with its general
//! error exit status and prints its error text. The texts are the CLI's own (a documented
//! exception to the project's lowercase error style: scripts and our differential tests
//! compare them byte for byte).

use std::fmt;

/// Exit status of a run that found nothing wrong.
pub const EXIT_OK: u8 = 0;
/// Exit status of a run that reached its summary and found an invalid or missing digest or
/// log file (or, in strict mode, a strict finding).
pub const EXIT_INVALID: u8 = 1;
/// Exit status of an aborted run: the aws CLI's general error status (v1 uses it for every
/// error of this command).
pub const EXIT_ABORT: u8 = 255;

/// Why a run stopped, for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A bad option: a time that does not parse, `start > end`, a malformed trail ARN, an
    /// organization trail without `--account-id`.
    InvalidArgument,
    /// `DescribeTrails` does not know the trail ARN.
    TrailNotFound,
    /// `ListPublicKeys` returned no key for the standard chain's range.
    NoPublicKeys,
    /// A service answered with an error (`An error occurred (<code>) when calling the <op>
    /// operation: <message>`): S3 access denied, a missing bucket, a CloudTrail error...
    Service,
    /// A service could not be reached.
    Connection,
    /// No credentials for a call that needs them.
    NoCredentials,
    /// The environment or an input file is unusable (offline key file, endpoint URL).
    Config,
    /// A digest so malformed that the CLI crashes on it (its Python exception text is
    /// reproduced, e.g. `'logFiles'` for a digest without `logFiles`).
    Crash,
    /// Writing the report failed.
    Output,
}

/// An aborted run: its kind, the text the aws CLI prints for it, and the exit status.
#[derive(Debug, thiserror::Error)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Creates an error of `kind` whose display text is `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
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

    /// A botocore `ClientError`: `An error occurred (<code>) when calling the <operation>
    /// operation: <message>`.
    pub(crate) fn client(code: &str, operation: &str, message: &str) -> Error {
        Error::new(
            ErrorKind::Service,
            format!("An error occurred ({code}) when calling the {operation} operation: {message}"),
        )
    }

    /// A Python exception the CLI does not catch, with its `str()`.
    pub(crate) fn crash(text: impl Into<String>) -> Error {
        Error::new(ErrorKind::Crash, text)
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The process exit status the aws CLI (v1) uses for this abort: always 255.
    pub fn exit_code(&self) -> u8 {
        EXIT_ABORT
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

/// Writes an abort the way the aws CLI does on stderr: a blank line, the error text, a
/// newline (`awscli.utils.write_exception`); missing credentials have their own handler in
/// the CLI, which leaves out the blank line.
///
/// # Errors
///
/// Write errors of `stderr`.
pub fn write_abort(error: &Error, stderr: &mut dyn std::io::Write) -> std::io::Result<()> {
    let text = match error.kind() {
        ErrorKind::NoCredentials => format!("{error}\n"),
        _ => format!("\n{error}\n"),
    };
    stderr.write_all(text.as_bytes())?;
    stderr.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_errors_read_like_botocore() {
        let error = Error::client(
            "NoSuchBucket",
            "ListObjects",
            "The specified bucket does not exist",
        );
        assert_eq!(
            error.to_string(),
            "An error occurred (NoSuchBucket) when calling the ListObjects operation: The specified bucket does not exist"
        );
        assert_eq!(error.kind(), ErrorKind::Service);
        assert_eq!(error.exit_code(), 255);
    }

    #[test]
    fn aborts_are_written_between_newlines() {
        let mut stderr = Vec::new();
        write_abort(&Error::crash("'logFiles'"), &mut stderr).unwrap();
        assert_eq!(stderr, b"\n'logFiles'\n");
        let mut stderr = Vec::new();
        write_abort(
            &Error::new(ErrorKind::NoCredentials, "Unable to locate credentials."),
            &mut stderr,
        )
        .unwrap();
        assert_eq!(stderr, b"Unable to locate credentials.\n");
    }
}
