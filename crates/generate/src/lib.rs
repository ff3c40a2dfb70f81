//! Realistic synthetic CloudTrail log files, written deterministically from a seed.
//!
//! [`generate`] writes gzipped log files (`{"Records":[...]}`, compact JSON, one gzip
//! member each) under the exact S3 key layout of CloudTrail
//! (`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<unique>.json.gz`,
//! see [`opentrail_archive::layout::LogFileKey`]). Records are batched per account and
//! region into 5-minute delivery windows; a file is named after the end of its window.
//!
//! What the records look like:
//!
//! - A simulated organisation of [`GenerateConfig::accounts`] accounts with resource pools
//!   (buckets, instances, functions, tables, keys, secrets, ...) and
//!   [`GenerateConfig::principals`] principals of every `userIdentity` type: IAM users
//!   (`AKIA…` keys, or console sessions with `ASIA…` keys), assumed roles (instance
//!   profiles, Lambda and ECS task roles, SSO roles, IRSA, service-linked roles with
//!   `invokedBy`), the root user, AWS service principals, federated, SAML, web identity and
//!   Identity Center users, and service events (`AwsServiceEvent`).
//! - 38 services and about 370 operations with Zipf-like popularity, the right `readOnly`,
//!   `eventType`, `managementEvent` and `eventCategory`, plausible `requestParameters`,
//!   `responseElements` for mutating calls, `resources`, `additionalEventData`, TLS details,
//!   user agents and source addresses per principal, VPC endpoints now and then.
//! - Errors (`AccessDenied`, `Client.UnauthorizedOperation`, not-found codes, throttling)
//!   at configurable rates, some principals failing far more than others.
//! - Traffic that follows office hours and weekdays for people, round-the-clock for
//!   automation, with noise per day, hour and minute; plus injected [`Burst`]s whose ground
//!   truth the [`Summary`] reports.
//!
//! The same [`GenerateConfig`] always writes byte-identical files, whatever
//! [`GenerateConfig::threads`] is: each delivery window is generated from its own stream,
//! seeded from the seed and the window's position in time.
//!
//! ```
//! use opentrail_generate::{Burst, GenerateConfig, generate};
//! use opentrail_types::Timestamp;
//!
//! let start = Timestamp::parse_event_time("2026-03-02T00:00:00Z").unwrap();
//! let config = GenerateConfig {
//!     seed: 42,
//!     events: 2_000,
//!     start,
//!     end: start.saturating_add_millis(3_600_000),
//!     bursts: vec![
//!         Burst::new(start.saturating_add_millis(1_800_000), 5, "ec2.amazonaws.com", "RunInstances", 40)
//!             .with_error_code("Client.UnauthorizedOperation"),
//!     ],
//!     ..GenerateConfig::default()
//! };
//! let out = tempfile::tempdir().unwrap();
//! let summary = generate(&config, out.path(), |_progress| {})?;
//! assert_eq!(summary.background_events, 2_000);
//! assert_eq!(summary.bursts[0].events, 200);
//! assert_eq!(summary.events, 2_200);
//! # Ok::<(), opentrail_generate::Error>(())
//! ```
#![warn(missing_docs)]

mod catalog;
mod config;
mod json;
mod params;
mod plan;
mod profile;
mod random;
mod rate;
mod record;
mod run;
mod summary;
mod world;

use std::path::{Path, PathBuf};

pub use config::{Burst, GenerateConfig};
pub use summary::{BurstMinute, BurstTruth, Progress, Summary};

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration is not usable; the message names the setting.
    #[error("invalid generator configuration: {reason}")]
    InvalidConfig {
        /// What is wrong.
        reason: String,
    },
    /// A file or directory could not be written.
    #[error("cannot write `{}`", path.display())]
    Io {
        /// The path being written.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A broken invariant of the generator (a bug).
    #[error("internal error in the generator (this is a bug): {0}")]
    Internal(String),
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Writes the log files described by `config` under `out_dir` and returns what it wrote.
///
/// The files follow CloudTrail's trail delivery format
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html>):
///
/// - Path: `out_dir/<LogFileKey::object_key()>`, i.e.
///   `AWSLogs/<account>/CloudTrail/<region>/<YYYY>/<MM>/<DD>/<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<unique>.json.gz`.
///   The minute is the end of the 5-minute window the records fall in (windows are
///   aligned to the epoch), the date folders are that minute's date, and `<unique>` is 16
///   characters from a generator seeded by the seed and the window. Existing files with
///   the same names are overwritten.
/// - Content: one gzip member holding compact JSON `{"Records":[...]}`, no trailing
///   newline; the records of one account and region in one window, sorted by `eventTime`,
///   at most [`GenerateConfig::max_records_per_file`] per file (more files when needed).
/// - Records: members in CloudTrail's order (`eventVersion`, `userIdentity`, `eventTime`,
///   ..., `tlsDetails`), as `spec/events-and-queries.md` §1.1 lists them.
///
/// `progress` is called from the worker threads after each file with the totals so far;
/// keep it cheap.
///
/// Memory stays bounded by one delivery window per thread: the calls of a window are
/// placed (16 bytes each), sorted, and streamed out file by file.
///
/// # Errors
///
/// [`Error::InvalidConfig`] when a setting is out of range (the message names it), and
/// [`Error::Io`] when a directory or file cannot be written; files written before the
/// failure are left in place.
pub fn generate(
    config: &GenerateConfig,
    out_dir: &Path,
    progress: impl Fn(Progress) + Sync,
) -> Result<Summary> {
    let plan = plan::Plan::new(config)?;
    run::run(&plan, out_dir, &progress)
}
