//! [`Bucket`], the one handle delivery and validation use, and its value types.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;

use crate::error::Result;
use crate::local::LocalStore;
use crate::names;
use crate::s3::S3Store;
use crate::settings::S3Settings;

/// The default cap on the size of an object [`Bucket::get`] loads into memory: 1 GiB.
///
/// CloudTrail log files stay under 50 MB; the cap only guards against reading something
/// unexpected into memory.
pub const DEFAULT_MAX_OBJECT_BYTES: u64 = 1 << 30;

/// The most keys one [`Bucket::list_page`] call returns, as with S3's `max-keys`.
pub const MAX_LIST_KEYS: usize = 1000;

/// A bucket: a local bucket directory or a bucket in an S3-compatible store.
///
/// Cheap to clone: clones share the underlying store and its HTTP connections.
#[derive(Clone, Debug)]
pub struct Bucket {
    inner: Arc<BucketInner>,
    max_object_bytes: u64,
}

#[derive(Debug)]
struct BucketInner {
    name: String,
    backend: Backend,
}

#[derive(Debug)]
enum Backend {
    Local(LocalStore),
    S3(S3Store),
}

/// Options of [`Bucket::put`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutOptions {
    /// User metadata, names without the `x-amz-meta-` prefix (for example `signature`).
    /// Names must be lowercase letters, digits, `-` and `_`; values printable ASCII.
    /// Default: none.
    pub metadata: BTreeMap<String, String>,
    /// Fails with [`ErrorKind::AlreadyExists`](crate::ErrorKind::AlreadyExists) instead of
    /// replacing an existing object (S3 `If-None-Match: *`). Default: `false`.
    pub create_only: bool,
    /// Server-side encryption to request from an S3-compatible store. Default: none, so the
    /// bucket's default encryption applies. Local buckets ignore it: files are stored as
    /// given, and disk encryption protects them (spec §6).
    pub encryption: Option<Encryption>,
}

/// Server-side encryption requested on a PUT (spec §6).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Encryption {
    /// SSE-S3: `x-amz-server-side-encryption: AES256`.
    S3Managed,
    /// SSE-KMS: `x-amz-server-side-encryption: aws:kms` and
    /// `x-amz-server-side-encryption-aws-kms-key-id: <key_id>`.
    Kms {
        /// The KMS key ID or ARN.
        key_id: String,
    },
}

/// An object read by [`Bucket::get`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    /// The object's bytes, exactly as stored.
    pub body: Bytes,
    /// User metadata, names without the `x-amz-meta-` prefix.
    pub metadata: BTreeMap<String, String>,
    /// When the object was last written, if the store says.
    pub last_modified: Option<SystemTime>,
}

/// An object's key, size and modification time, from [`Bucket::head`] or a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    /// The object key.
    pub key: String,
    /// Size in bytes.
    pub size: u64,
    /// When the object was last written, if the store says.
    pub last_modified: Option<SystemTime>,
}

/// One page of [`Bucket::list_page`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListPage {
    /// The objects, in ascending bytewise key order.
    pub objects: Vec<ObjectInfo>,
    /// Whether more keys follow: list again with `start_after` set to the last key.
    pub is_truncated: bool,
}

impl Bucket {
    /// Returns a local bucket named `name` whose objects live under the directory `root`.
    ///
    /// Nothing is checked here: [`exists`](Bucket::exists) says whether `root` is a
    /// directory, and writes fail with `NoSuchBucket` while it is missing.
    pub fn local(name: &str, root: PathBuf) -> Bucket {
        Bucket::from_backend(name, Backend::Local(LocalStore::new(name, root)))
    }

    /// Returns a bucket `name` in the S3-compatible store described by `settings`.
    ///
    /// No request is made here.
    ///
    /// # Errors
    ///
    /// `InvalidBucketName` when `name` breaks S3's naming rules, `InvalidConfig` when the
    /// settings cannot make a client (for example an endpoint that is not a URL).
    pub fn s3(name: &str, settings: &S3Settings) -> Result<Bucket> {
        names::validate_bucket_name(name)?;
        let store = S3Store::new(name, settings)?;
        Ok(Bucket::from_backend(name, Backend::S3(store)))
    }

    fn from_backend(name: &str, backend: Backend) -> Bucket {
        Bucket {
            inner: Arc::new(BucketInner {
                name: name.to_owned(),
                backend,
            }),
            max_object_bytes: DEFAULT_MAX_OBJECT_BYTES,
        }
    }

    /// Returns this bucket with a different cap on the objects [`get`](Bucket::get) loads
    /// (default [`DEFAULT_MAX_OBJECT_BYTES`]).
    pub fn with_max_object_bytes(mut self, max_object_bytes: u64) -> Bucket {
        self.max_object_bytes = max_object_bytes;
        self
    }

    /// Returns the bucket name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// Returns whether this is a local bucket directory.
    pub fn is_local(&self) -> bool {
        matches!(self.inner.backend, Backend::Local(_))
    }

    /// The bucket as an [`object_store::ObjectStore`], for readers that speak it (the
    /// Lake's SQL engine reads Parquet through it); object paths are this bucket's keys.
    ///
    /// A local bucket's directory is created if missing, because the file system store
    /// needs it to exist.
    ///
    /// # Errors
    ///
    /// `InvalidConfig` when a local bucket's directory cannot be created or opened.
    pub fn object_store(&self) -> Result<Arc<dyn object_store::ObjectStore>> {
        match &self.inner.backend {
            Backend::Local(store) => {
                let root = store.root();
                std::fs::create_dir_all(root).map_err(|error| {
                    crate::Error::new(
                        crate::ErrorKind::InvalidConfig,
                        format!(
                            "cannot create the bucket directory `{}`: {error}",
                            root.display()
                        ),
                    )
                })?;
                let local = object_store::local::LocalFileSystem::new_with_prefix(root).map_err(
                    |error| {
                        crate::Error::new(
                            crate::ErrorKind::InvalidConfig,
                            format!(
                                "cannot open the bucket directory `{}`: {error}",
                                root.display()
                            ),
                        )
                    },
                )?;
                Ok(Arc::new(local))
            }
            Backend::S3(store) => Ok(store.object_store()),
        }
    }

    /// Returns whether the bucket exists and can be reached.
    ///
    /// A local bucket exists when its directory does. For S3 this lists at most one key:
    /// `NoSuchBucket` gives `Ok(false)`.
    ///
    /// # Errors
    ///
    /// `AccessDenied` when the store refuses the request; `Transport` and others when it
    /// cannot answer.
    pub async fn exists(&self) -> Result<bool> {
        match &self.inner.backend {
            Backend::Local(store) => store.exists().await,
            Backend::S3(store) => store.exists().await,
        }
    }

    /// Writes `body` at `key`, with the metadata, create-only mode and encryption of
    /// `options`. Readers never see a partial object.
    ///
    /// # Errors
    ///
    /// `InvalidKey`, `InvalidMetadata`, `AlreadyExists` (create-only), `NoSuchBucket`,
    /// `AccessDenied`, `Io`, `Transport`, `Other`.
    pub async fn put(&self, key: &str, body: Bytes, options: &PutOptions) -> Result<()> {
        for (name, value) in &options.metadata {
            names::validate_metadata(name, value)?;
        }
        match &self.inner.backend {
            Backend::Local(store) => store.put(key, body, options).await,
            Backend::S3(store) => store.put(key, body, options).await,
        }
    }

    /// Reads the object at `key` with its metadata.
    ///
    /// # Errors
    ///
    /// `NotFound` when there is no such object (a local folder is not an object),
    /// `TooLarge` above the size cap, `InvalidKey`, `NoSuchBucket`, `AccessDenied`, …
    pub async fn get(&self, key: &str) -> Result<Object> {
        match &self.inner.backend {
            Backend::Local(store) => store.get(key, self.max_object_bytes).await,
            Backend::S3(store) => store.get(key, self.max_object_bytes).await,
        }
    }

    /// Returns the size and modification time of the object at `key`, or `None` when
    /// there is none.
    ///
    /// # Errors
    ///
    /// `InvalidKey`, `AccessDenied`, `Io`, `Transport`, …
    pub async fn head(&self, key: &str) -> Result<Option<ObjectInfo>> {
        match &self.inner.backend {
            Backend::Local(store) => store.head(key).await,
            Backend::S3(store) => store.head(key).await,
        }
    }

    /// Lists the objects whose keys start with `prefix` and sort strictly after
    /// `start_after`, in ascending bytewise order, like S3 `ListObjects` with `Marker`.
    ///
    /// `prefix` is a plain string prefix, not a folder: `AWSLogs/1` matches
    /// `AWSLogs/111/x`. `max_keys` is clamped to `1..=`[`MAX_LIST_KEYS`] on every back end;
    /// a page may hold fewer keys than asked while `is_truncated` is still true, so page
    /// on `is_truncated`, never on the page size.
    ///
    /// # Errors
    ///
    /// `NoSuchBucket`, `AccessDenied`, `Io`, `Transport`, …
    pub async fn list_page(
        &self,
        prefix: &str,
        start_after: Option<&str>,
        max_keys: usize,
    ) -> Result<ListPage> {
        let max_keys = max_keys.clamp(1, MAX_LIST_KEYS);
        match &self.inner.backend {
            Backend::Local(store) => store.list_page(prefix, start_after, max_keys).await,
            Backend::S3(store) => store.list_page(prefix, start_after, max_keys).await,
        }
    }

    /// Deletes the object at `key` (and its local metadata sidecar). Deleting a missing
    /// object succeeds, as on S3.
    ///
    /// # Errors
    ///
    /// `InvalidKey`, `NoSuchBucket`, `AccessDenied`, `Io`, `Transport`, …
    pub async fn delete(&self, key: &str) -> Result<()> {
        match &self.inner.backend {
            Backend::Local(store) => store.delete(key).await,
            Backend::S3(store) => store.delete(key).await,
        }
    }
}
