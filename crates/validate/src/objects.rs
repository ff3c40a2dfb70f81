//! Where digests and log files are read: local bucket directories or an S3-compatible store,
//! through `opentrail_blob::Bucket`, with S3 errors worded as botocore words them.
//!
//! The CLI calls `GetBucketLocation` the first time it touches a bucket; here the first
//! touch checks that the bucket exists, so a missing bucket aborts with the same text.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use opentrail_blob::{Bucket, ErrorKind as BlobErrorKind, S3Settings};

use crate::error::{Error, ErrorKind, Result};

/// The S3 operations whose errors can reach the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum S3Operation {
    GetBucketLocation,
    ListObjects,
    GetObject,
}

impl S3Operation {
    fn name(self) -> &'static str {
        match self {
            S3Operation::GetBucketLocation => "GetBucketLocation",
            S3Operation::ListObjects => "ListObjects",
            S3Operation::GetObject => "GetObject",
        }
    }
}

/// The store holding the buckets a run reads. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ObjectStore {
    inner: Arc<StoreInner>,
}

#[derive(Debug)]
struct StoreInner {
    backend: Backend,
    /// Buckets already checked to exist (the CLI's cache of bucket regions).
    located: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug)]
enum Backend {
    /// Bucket `b` is the directory `<root>/<b>/` (OpenTrail's data directory `buckets/`).
    Local(PathBuf),
    /// An S3-compatible store.
    S3(S3Settings),
    /// Exactly these buckets; any other name does not exist.
    Fixed(HashMap<String, Bucket>),
}

impl ObjectStore {
    /// Local bucket directories: bucket `b` is `<root>/<b>/` with sidecar metadata files.
    pub fn local(root: impl Into<PathBuf>) -> ObjectStore {
        ObjectStore::with_backend(Backend::Local(root.into()))
    }

    /// An S3-compatible store (see [`S3Settings::from_env`]: `AWS_ENDPOINT_URL_S3`,
    /// `AWS_ENDPOINT_URL`, credentials as the CLI finds them).
    pub fn s3(settings: S3Settings) -> ObjectStore {
        ObjectStore::with_backend(Backend::S3(settings))
    }

    /// Exactly the given buckets.
    pub fn buckets(buckets: impl IntoIterator<Item = Bucket>) -> ObjectStore {
        let map = buckets
            .into_iter()
            .map(|bucket| (bucket.name().to_owned(), bucket))
            .collect();
        ObjectStore::with_backend(Backend::Fixed(map))
    }

    fn with_backend(backend: Backend) -> ObjectStore {
        ObjectStore {
            inner: Arc::new(StoreInner {
                backend,
                located: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Returns the bucket `name`, checking on first use that it exists (the CLI's
    /// `GetBucketLocation`).
    pub(crate) async fn bucket(&self, name: &str) -> Result<Bucket> {
        if let Some(bucket) = self.located().get(name) {
            return Ok(bucket.clone());
        }
        let not_found = || {
            Error::client(
                "NoSuchBucket",
                S3Operation::GetBucketLocation.name(),
                "The specified bucket does not exist",
            )
        };
        let bucket = match &self.inner.backend {
            Backend::Local(root) => {
                if !is_plain_bucket_name(name) {
                    return Err(not_found());
                }
                Bucket::local(name, root.join(name))
            }
            Backend::S3(settings) => Bucket::s3(name, settings)
                .map_err(|error| s3_error(&error, S3Operation::GetBucketLocation))?,
            Backend::Fixed(buckets) => buckets.get(name).cloned().ok_or_else(not_found)?,
        };
        match bucket.exists().await {
            Ok(true) => {}
            Ok(false) => return Err(not_found()),
            Err(error) => return Err(s3_error(&error, S3Operation::GetBucketLocation)),
        }
        self.located().insert(name.to_owned(), bucket.clone());
        Ok(bucket)
    }

    fn located(&self) -> std::sync::MutexGuard<'_, HashMap<String, Bucket>> {
        // A poisoned lock only means another task panicked while inserting; the map is
        // still a valid cache.
        self.inner
            .located
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A local bucket name must be one path segment.
fn is_plain_bucket_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// Words a blob-store error as botocore's `ClientError` for `operation`.
pub(crate) fn s3_error(error: &opentrail_blob::Error, operation: S3Operation) -> Error {
    let message = match error.kind() {
        BlobErrorKind::NotFound => "The specified key does not exist.".to_owned(),
        BlobErrorKind::NoSuchBucket => "The specified bucket does not exist".to_owned(),
        BlobErrorKind::AccessDenied => "Access Denied".to_owned(),
        BlobErrorKind::InvalidBucketName => "The specified bucket is not valid.".to_owned(),
        _ => error.to_string(),
    };
    let kind = match error.kind() {
        BlobErrorKind::Transport => ErrorKind::Connection,
        _ => ErrorKind::Service,
    };
    let wrapped = Error::client(error.code(), operation.name(), &message);
    Error::new(kind, wrapped.to_string())
}

/// Whether a blob error is S3's `NoSuchKey`.
pub(crate) fn is_no_such_key(error: &opentrail_blob::Error) -> bool {
    error.kind() == BlobErrorKind::NotFound
}

#[cfg(test)]
mod tests {
    use std::future::Future;

    use super::*;

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn missing_local_buckets_fail_like_get_bucket_location() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("present")).unwrap();
        let store = ObjectStore::local(dir.path());
        assert_eq!(block_on(store.bucket("present")).unwrap().name(), "present");
        for name in ["absent", "..", "a/b"] {
            let error = block_on(store.bucket(name)).unwrap_err();
            assert_eq!(
                error.to_string(),
                "An error occurred (NoSuchBucket) when calling the GetBucketLocation operation: The specified bucket does not exist",
                "{name}"
            );
        }
    }
}
