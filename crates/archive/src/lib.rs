//! CloudTrail archives as they lie in S3 or on disk, and the reading side of them that
//! `opentrail import` uses to read archives of any size with bounded memory.
//!
//! - [`layout`]: the key layout of log, Insights and digest files.
//! - [`discover`]: walks paths in a deterministic order and classifies the archive files
//!   ([`discover::Walk`], [`discover::discover`]).
//! - [`gzip`]: capped decompression of untrusted files ([`CappedGzReader`],
//!   [`gzip::read_file_capped`]); a gzip bomb fails with [`ErrorKind::TooLarge`].
//! - [`records`]: splits one decompressed file into records borrowed from its buffer,
//!   whatever the layout: log-file envelope, array, one record per line, single record; a
//!   digest file is recognised as such ([`records::split`]).
//!
//! Reading one file is two steps, so that records can borrow the buffer:
//!
//! ```
//! use opentrail_archive::gzip::{read_file_capped, DEFAULT_MAX_DECOMPRESSED_BYTES};
//! use opentrail_archive::records::{split, FileContent, RecordFormat};
//! use std::io::Write as _;
//!
//! let folder = tempfile::tempdir()?;
//! let path = folder.path().join("111122223333_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.json.gz");
//! let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
//! encoder.write_all(br#"{"Records":[{"eventVersion":"1.08","eventName":"ListBuckets"}]}"#)?;
//! std::fs::write(&path, encoder.finish()?)?;
//!
//! let decoded = read_file_capped(&path, DEFAULT_MAX_DECOMPRESSED_BYTES)?;
//! let content = split(&decoded.bytes).map_err(|error| error.with_path(&path))?;
//! assert_eq!(content.format(), Some(RecordFormat::Envelope));
//! let mut texts = Vec::new();
//! for record in content.records() {
//!     match record {
//!         Ok(raw) => texts.push(raw.get()),
//!         // One bad record: report it, keep the others.
//!         Err(error) => return Err(format!("{}: {error}", path.display()).into()),
//!     }
//! }
//! assert_eq!(texts, [r#"{"eventVersion":"1.08","eventName":"ListBuckets"}"#]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

pub mod discover;
mod error;
pub mod gzip;
pub mod layout;
pub mod records;

pub use error::{Error, ErrorKind, Result};
pub use gzip::CappedGzReader;
