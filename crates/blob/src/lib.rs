//! Blob stores for trail delivery and validation: local bucket directories and
//! S3-compatible buckets behind one handle, [`Bucket`].
//!
//! Trails deliver log files and digest files to a bucket; the validator reads them back.
//! A bucket is either
//!
//! * a **local bucket directory** `<data dir>/buckets/<name>/` (spec §1.9): the object key
//!   is the path below the directory; user metadata such as a digest's signature is kept
//!   in a sidecar `<object path>.meta.json`, a JSON object of metadata names (without
//!   `x-amz-meta-`) to values, for example
//!   `{"signature":"3a…","signature-algorithm":"SHA256withRSA"}`. Sidecars and the
//!   `.tmp-*` files of writes in progress are never listed. Objects are written to a
//!   temporary file and renamed into place, so readers never see a partial object, and
//!   the sidecar is in place before its object is;
//! * a bucket in an **S3-compatible store** (AWS S3, MinIO, Ceph, moto), reached through
//!   object_store: user metadata travels as `x-amz-meta-<name>` headers (spec §2.4),
//!   create-only writes as `If-None-Match: *`, and server-side encryption as
//!   `x-amz-server-side-encryption` (`AES256`, or `aws:kms` with
//!   `x-amz-server-side-encryption-aws-kms-key-id`) when [`PutOptions::encryption`] asks
//!   for it (spec §6).
//!
//! Both back ends behave the same: keys sort bytewise, listing works like S3
//! `ListObjects` with a `Marker`, a create-only put never replaces an object, and errors
//! carry an [`ErrorKind`], an S3-style [`Error::code`] and [`Error::is_retryable`].
//!
//! # Which store a bucket name means
//!
//! [`BucketResolver::resolve`] decides, once per name:
//!
//! 1. The name must follow S3's bucket naming rules (3–63 characters, lowercase letters,
//!    digits, `.` and `-`, starting and ending with a letter or digit, not an IP address);
//!    otherwise the error kind is [`ErrorKind::InvalidBucketName`].
//! 2. A bucket listed in the configuration ([`BucketConfig`]) uses its entry: `kind =
//!    "local"` means the directory `<buckets root>/<name>`; `kind = "s3"` (the default)
//!    means an S3-compatible store with the entry's endpoint, region and credentials, each
//!    left-out member taken from the environment settings. Setting `endpoint_url` in an
//!    entry implies path-style addressing and, for `http://`, plain HTTP.
//! 3. Otherwise, if the directory `<buckets root>/<name>` exists, the bucket is local.
//! 4. Otherwise, when the environment names no S3 service (neither an endpoint nor
//!    credentials), it is still the local directory `<buckets root>/<name>`, which
//!    answers `NoSuchBucket` until it is made.
//! 5. Otherwise it is an S3 bucket reached with the environment settings
//!    ([`S3Settings::from_env`]): `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`, `AWS_REGION`
//!    / `AWS_DEFAULT_REGION`, `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` /
//!    `AWS_SESSION_TOKEN`, and the `AWS_PROFILE` profile of `~/.aws/config` and
//!    `~/.aws/credentials`, as the AWS CLI reads them. A custom endpoint implies path-style
//!    addressing unless the profile's `s3 =` sub-section says `addressing_style = virtual`.
//!
//! # Example
//!
//! ```
//! use std::collections::BTreeMap;
//! use bytes::Bytes;
//! use opentrail_blob::{Bucket, PutOptions};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let bucket = Bucket::local("my-trail-bucket", dir.path().to_path_buf());
//! let options = PutOptions {
//!     metadata: BTreeMap::from([("signature-algorithm".to_owned(), "SHA256withRSA".to_owned())]),
//!     create_only: true,
//!     ..PutOptions::default()
//! };
//! bucket.put("AWSLogs/111122223333/x.json.gz", Bytes::from_static(b"gz"), &options).await?;
//!
//! let object = bucket.get("AWSLogs/111122223333/x.json.gz").await?;
//! assert_eq!(object.metadata["signature-algorithm"], "SHA256withRSA");
//! let page = bucket.list_page("AWSLogs/", None, 1000).await?;
//! assert_eq!(page.objects.len(), 1);
//! assert!(!page.is_truncated);
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

mod bucket;
mod error;
mod ini;
mod local;
mod local_list;
mod names;
mod resolver;
mod s3;
mod s3_error;
mod settings;

pub use bucket::{
    Bucket, DEFAULT_MAX_OBJECT_BYTES, Encryption, ListPage, MAX_LIST_KEYS, Object, ObjectInfo,
    PutOptions,
};
pub use error::{Error, ErrorKind, Result};
pub use names::validate_bucket_name;
pub use resolver::{BucketConfig, BucketKind, BucketResolver};
pub use settings::{DEFAULT_REGION, S3Settings};
