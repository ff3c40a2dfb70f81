//! Where the runner reads log files from: a bucket (local directory bucket or S3-compatible
//! store) or a plain local directory, behind one synchronous trait.

use std::fmt;
use std::path::{MAIN_SEPARATOR, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use opentrail_archive::discover::{Found, Walk};
use opentrail_archive::gzip::{decode_slice_capped, read_file_capped};
use opentrail_blob::{Bucket, BucketResolver, MAX_LIST_KEYS};
use tokio::runtime::Handle;

use crate::error::{Error, ErrorKind, Result};
use crate::location::ImportLocation;
use crate::model::FailureType;

/// Why a source could not list or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SourceError {
    /// The failure entry's `ErrorType`.
    pub failure_type: FailureType,
    /// The failure entry's `ErrorMessage`.
    pub message: String,
    /// Whether trying again may succeed (throttling, transport and I/O failures).
    pub retryable: bool,
}

/// A place holding trail log files, read synchronously from the runner's thread.
///
/// Keys are the identifiers [`opentrail_archive::layout::LogFileKey::parse`] reads: the
/// object key from the bucket's root for a bucket, the absolute path (with `/`) for a
/// directory, so that a `CloudTrail` folder above the location still counts.
pub trait SourceReader: Send + Sync + fmt::Debug {
    /// Returns every key at or below the location, in ascending bytewise order. May return
    /// early (with the keys so far) once `stop` is set.
    ///
    /// # Errors
    ///
    /// A [`SourceError`] of type [`FailureType::ListFailed`].
    fn list(&self, stop: &AtomicBool) -> Result<Vec<String>, SourceError>;

    /// Reads the object at `key` and inflates it (gzip or plain, told by content), failing
    /// once the inflated size passes `max_decompressed_bytes`.
    ///
    /// # Errors
    ///
    /// A [`SourceError`] typed `ReadFailed`, `FileTooLarge` or `InvalidGzip`.
    fn read(&self, key: &str, max_decompressed_bytes: u64) -> Result<Vec<u8>, SourceError>;

    /// Returns the failure `Location` of `key` (`s3://bucket/key` or the path).
    fn location_of(&self, key: &str) -> String;
}

/// Opens the source for `location`: a bucket through `resolver`, a directory directly.
///
/// `runtime` runs the bucket's async calls; [`SourceReader`] methods block on it, so they
/// must be called from a thread that is not a runtime worker (a plain thread or
/// `spawn_blocking`), and the runtime must be multi-threaded for S3 buckets.
///
/// # Errors
///
/// [`ErrorKind::InvalidImportSource`] when the resolver rejects the bucket name or its
/// configuration.
pub fn open_source(
    location: &ImportLocation,
    resolver: &BucketResolver,
    runtime: Handle,
) -> Result<Box<dyn SourceReader>> {
    match location {
        ImportLocation::Directory(root) => Ok(Box::new(DirectorySource::new(root.clone()))),
        ImportLocation::Bucket { bucket, prefix } => {
            let bucket = resolver.resolve(bucket).map_err(|error| {
                Error::new(
                    ErrorKind::InvalidImportSource,
                    format!("cannot use bucket `{bucket}`: {error}"),
                )
            })?;
            Ok(Box::new(BucketSource::new(bucket, prefix.clone(), runtime)))
        }
    }
}

/// A local directory read with `std::fs` (through `opentrail_archive::discover`).
#[derive(Debug, Clone)]
pub struct DirectorySource {
    root: PathBuf,
}

impl DirectorySource {
    /// Reads the tree under `root`.
    pub fn new(root: PathBuf) -> DirectorySource {
        DirectorySource { root }
    }
}

fn path_key(path: &Path) -> Option<String> {
    let text = path.to_str()?;
    Some(if MAIN_SEPARATOR == '/' {
        text.to_owned()
    } else {
        text.replace(MAIN_SEPARATOR, "/")
    })
}

impl SourceReader for DirectorySource {
    fn list(&self, stop: &AtomicBool) -> Result<Vec<String>, SourceError> {
        let list_failed = |message: String| SourceError {
            failure_type: FailureType::ListFailed,
            message,
            retryable: false,
        };
        match std::fs::metadata(&self.root) {
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => {
                return Err(list_failed(format!(
                    "`{}` is not a directory",
                    self.root.display()
                )));
            }
            Err(error) => {
                return Err(list_failed(format!(
                    "cannot read directory `{}`: {error}",
                    self.root.display()
                )));
            }
        }
        let mut keys = Vec::new();
        for item in Walk::new([&self.root]) {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            match item {
                Ok(Found::File(file)) => match path_key(&file.path) {
                    Some(key) => keys.push(key),
                    None => {
                        tracing::warn!(path = %file.path.display(), "skipping a path that is not UTF-8")
                    }
                },
                Ok(Found::Skipped(_)) => {}
                Err(error) => return Err(list_failed(error.to_string())),
            }
        }
        // The walk orders by path components; the runner's cursor needs bytewise order.
        keys.sort_unstable();
        Ok(keys)
    }

    fn read(&self, key: &str, max_decompressed_bytes: u64) -> Result<Vec<u8>, SourceError> {
        read_file_capped(Path::new(key), max_decompressed_bytes)
            .map(|decoded| decoded.bytes)
            .map_err(archive_error)
    }

    fn location_of(&self, key: &str) -> String {
        key.to_owned()
    }
}

fn archive_error(error: opentrail_archive::Error) -> SourceError {
    let (failure_type, retryable) = match error.kind() {
        opentrail_archive::ErrorKind::TooLarge => (FailureType::FileTooLarge, false),
        opentrail_archive::ErrorKind::Gzip => (FailureType::InvalidGzip, false),
        opentrail_archive::ErrorKind::Format => (FailureType::InvalidLogFile, false),
        _ => (FailureType::ReadFailed, false),
    };
    SourceError {
        failure_type,
        message: error.to_string(),
        retryable,
    }
}

/// A bucket (local bucket directory or S3-compatible store) and a key prefix.
#[derive(Debug, Clone)]
pub struct BucketSource {
    bucket: Bucket,
    prefix: String,
    runtime: Handle,
}

impl BucketSource {
    /// Reads the keys under `prefix` (empty, or ending in `/`) of `bucket`, running the
    /// bucket's async calls on `runtime` (see [`open_source`] for the thread rules).
    pub fn new(bucket: Bucket, prefix: String, runtime: Handle) -> BucketSource {
        BucketSource {
            bucket,
            prefix,
            runtime,
        }
    }
}

fn blob_error(
    failure_type: FailureType,
    context: String,
    error: &opentrail_blob::Error,
) -> SourceError {
    let failure_type = match error.kind() {
        opentrail_blob::ErrorKind::TooLarge => FailureType::FileTooLarge,
        _ => failure_type,
    };
    SourceError {
        failure_type,
        message: format!("{context}: {} ({})", error, error.code()),
        retryable: error.is_retryable(),
    }
}

impl SourceReader for BucketSource {
    fn list(&self, stop: &AtomicBool) -> Result<Vec<String>, SourceError> {
        let mut keys: Vec<String> = Vec::new();
        loop {
            if stop.load(Ordering::Relaxed) {
                return Ok(keys);
            }
            let start_after = keys.last().map(String::as_str);
            let page = self
                .runtime
                .block_on(
                    self.bucket
                        .list_page(&self.prefix, start_after, MAX_LIST_KEYS),
                )
                .map_err(|error| {
                    let context =
                        format!("cannot list `s3://{}/{}`", self.bucket.name(), self.prefix);
                    blob_error(FailureType::ListFailed, context, &error)
                })?;
            keys.extend(page.objects.into_iter().map(|object| object.key));
            if !page.is_truncated {
                return Ok(keys);
            }
        }
    }

    fn read(&self, key: &str, max_decompressed_bytes: u64) -> Result<Vec<u8>, SourceError> {
        let object = self
            .runtime
            .block_on(self.bucket.get(key))
            .map_err(|error| {
                blob_error(
                    FailureType::ReadFailed,
                    format!("cannot read `{key}`"),
                    &error,
                )
            })?;
        decode_slice_capped(&object.body, max_decompressed_bytes)
            .map(|decoded| decoded.bytes)
            .map_err(|error| archive_error(error.with_path(key)))
    }

    fn location_of(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.bucket.name())
    }
}
