//! `validate-logs`: checks a trail's digest files and log files the way
//! `aws cloudtrail validate-logs` does, with the same verdicts, output and exit status, over
//! local bucket directories or an S3-compatible store (`spec/trails-and-integrity.md` §3),
//! plus an opt-in strict mode (§3.11).
//!
//! - [`validate_logs`] runs one validation: [`ValidateOptions`] says what to check,
//!   [`Sources`] where to read (a [`TrailSource`] for `DescribeTrails`, a [`KeySource`] for
//!   `ListPublicKeys` or an offline key file, an [`ObjectStore`] for the buckets), and
//!   [`Output`] receives the report. [`run_validate_logs`] also writes an abort and returns
//!   the exit status.
//! - [`AwsClient`] calls CloudTrail and Organizations (AWS JSON 1.1, SigV4).
//! - [`parse_cli_date`] reads `--start-time`/`--end-time` as the CLI does.
//!
//! # Compatibility mode (the default)
//!
//! The CLI's traversal is reproduced step for step: the same listing (start marker one
//! minute before the start, stop after `end + 1 h`, the greedy key filter), the same walk
//! from the newest digest along `previousDigestS3Object` links, the same recovery through
//! the listing after a gap, a missing or an invalid digest, the same checks in the same
//! order and the same verdict texts, the same stdout/stderr split, blank lines and
//! summary, and the CLI's known limits (§3.9: consecutive deleted digests reported once,
//! the prefix kept after a bucket change, zones replaced by UTC, no cross-check of the
//! previous hash, unreferenced log files not noticed, the home region named in the
//! public-key error, one `ListPublicKeys` page, `--s3-prefix` ignored without
//! `--s3-bucket`, the greedy key filter). Aborts print the CLI's error text and exit 255.
//!
//! Log files are fetched and hashed in parallel (inflate and SHA-256 on blocking threads,
//! up to [`ValidateOptions::concurrency`] at once) and digests are prefetched along the
//! listing, while the report keeps the CLI's order.
//!
//! # Strict mode
//!
//! [`ValidateOptions::strict`] keeps every compatibility line and adds these, written to
//! stderr like INVALID lines (`<kind>` is `Digest file`, `(backfill) Digest file` or
//! `Log file`):
//!
//! | Line | Finding |
//! |---|---|
//! | `<kind>\ts3://<b>/<k>\tSTRICT: previousDigestHashValue does not match the SHA-256 of s3://<pb>/<pk>` | the digest `<k>` links to `<pk>`, whose inflated bytes hash otherwise |
//! | `<kind>\ts3://<b>/<k>\tSTRICT: previousDigestSignature does not match the signature of s3://<pb>/<pk>` | `<pk>`'s `signature` metadata differs from what `<k>` recorded |
//! | `<kind>\ts3://<b>/<k>\tSTRICT: digestStartTime <t1> does not match the digestEndTime <t2> of s3://<pb>/<pk>` | the windows of linked digests do not meet |
//! | `Digest file\ts3://<b>/<digest folder>/\tSTRICT: missing: no digest covers about <t1> to <t2>` | an hour of the standard chain, between two valid digests around skipped ones, that no reported missing or invalid digest accounts for (one line per hour) |
//! | `Log file\ts3://<b>/<k>\tSTRICT: unexpected data after end of compressed stream` | bytes follow the log file's first gzip member (the CLI, and so compatibility mode, judges the file by the first member alone) |
//! | `Log file\ts3://<b>/<k>\tSTRICT: not listed in any valid digest` | a log file of the trail's account and region, delivered within the time the valid digests cover, that none of them lists |
//!
//! Log file names do not carry the trail's name: when another trail delivers to the same
//! bucket, prefix, account and region, its log files are reported too. The log files of a
//! missing digest are reported as well (no valid digest vouches for them).
//!
//! Digest names are also parsed structurally, so another trail whose name extends this
//! one's is no longer walked (limitation 11). The summary gains `<n> strict finding(s)` after
//! the ratio lines, and any finding makes the exit status 1.
//!
//! # Example
//!
//! ```no_run
//! use std::sync::Arc;
//! use opentrail_validate::{parse_cli_date, validate_logs, KeySource, ObjectStore, Output, Sources, TrailSource, ValidateOptions};
//! use opentrail_types::SystemClock;
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let mut options = ValidateOptions::new(
//!     "arn:aws:cloudtrail:us-east-1:111122223333:trail/main-trail",
//!     parse_cli_date("2026-03-02T00:00:00Z")?,
//! );
//! options.s3_bucket = Some("audit-archive".into());
//! let sources = Sources {
//!     trails: TrailSource::Fixed { trails: Vec::new(), organization_id: None },
//!     keys: KeySource::from_file("public-keys.json".as_ref())?,
//!     objects: ObjectStore::local("/var/lib/opentrail/buckets"),
//!     clock: Arc::new(SystemClock),
//! };
//! let (mut stdout, mut stderr) = (std::io::stdout(), std::io::stderr());
//! let mut output = Output { stdout: &mut stdout, stderr: &mut stderr };
//! let report = validate_logs(&options, &sources, &mut output).await?;
//! std::process::exit(report.exit_code().into());
//! # }
//! ```
#![warn(missing_docs)]

mod aws;
mod digest;
mod error;
mod listing;
mod logs;
mod objects;
mod options;
mod pytime;
mod pyvalue;
mod report;
mod run;
mod sources;
mod strict;
mod walk;

pub use aws::{AwsClient, AwsClientConfig};
pub use error::{EXIT_ABORT, EXIT_INVALID, EXIT_OK, Error, ErrorKind, Result, write_abort};
pub use objects::ObjectStore;
pub use options::{ValidateOptions, parse_cli_date};
pub use report::{Output, Report};
pub use run::{Sources, run_validate_logs, validate_logs};
pub use sources::{KeySource, PublicKeyInfo, TrailInfo, TrailSource};
