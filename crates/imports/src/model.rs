//! The import model of the CloudTrail API (`StartImport`, `GetImport`, `ListImports`,
//! `StopImport`, `ListImportFailures`), with AWS's member names.
//!
//! The serde form of these types is the stored form in `imports.json` (see
//! [`crate::Imports`]): members in PascalCase as in the API, times as milliseconds since the
//! epoch. The API layer converts times to the wire's epoch seconds.

use opentrail_types::Timestamp;
use serde::{Deserialize, Serialize};

/// `ImportStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ImportStatus {
    /// Created, listing the source.
    Initializing,
    /// Reading files.
    InProgress,
    /// Ended with at least one failure entry not `SUCCEEDED`.
    Failed,
    /// Stopped by `StopImport`.
    Stopped,
    /// Ended without failures.
    Completed,
}

impl ImportStatus {
    /// Every status, in the model's order.
    pub const ALL: [ImportStatus; 5] = [
        ImportStatus::Initializing,
        ImportStatus::InProgress,
        ImportStatus::Failed,
        ImportStatus::Stopped,
        ImportStatus::Completed,
    ];

    /// The wire text (`INITIALIZING`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Initializing => "INITIALIZING",
            ImportStatus::InProgress => "IN_PROGRESS",
            ImportStatus::Failed => "FAILED",
            ImportStatus::Stopped => "STOPPED",
            ImportStatus::Completed => "COMPLETED",
        }
    }

    /// Parses the wire text; `None` for anything else.
    pub fn parse(text: &str) -> Option<ImportStatus> {
        ImportStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
    }

    /// Whether an import in this status is running (counts against the one-per-account rule).
    pub const fn is_running(self) -> bool {
        matches!(self, ImportStatus::Initializing | ImportStatus::InProgress)
    }
}

/// `ImportFailureStatus` of one failure entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ImportFailureStatus {
    /// The location could not be imported.
    Failed,
    /// `StartImport{ImportId}` asked for a retry; the next run reads the location again.
    Retry,
    /// A retry of the location succeeded.
    Succeeded,
}

impl ImportFailureStatus {
    /// The wire text (`FAILED`, `RETRY`, `SUCCEEDED`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ImportFailureStatus::Failed => "FAILED",
            ImportFailureStatus::Retry => "RETRY",
            ImportFailureStatus::Succeeded => "SUCCEEDED",
        }
    }
}

/// `S3ImportSource`: where the trail's log files are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct S3ImportSource {
    /// `S3LocationUri`: `s3://bucket[/prefix]`, or (project decision) a local directory
    /// `/dir` or `file:///dir`. See [`crate::ImportLocation`].
    pub s3_location_uri: String,
    /// `S3BucketRegion`: kept and returned; the bucket resolver decides how to reach it.
    pub s3_bucket_region: String,
    /// `S3BucketAccessRoleArn`: kept and returned; no role is assumed.
    pub s3_bucket_access_role_arn: String,
}

/// `ImportSource`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImportSource {
    /// `S3`.
    pub s3: S3ImportSource,
}

/// `ImportStatistics`, updated as files are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImportStatistics {
    /// Date prefixes (`…/CloudTrail/<region>/YYYY/MM/DD/`) holding at least one log file
    /// selected for import (after the time range is applied to the key).
    pub prefixes_found: u64,
    /// Date prefixes all of whose selected files have been handled (imported or recorded as a
    /// failure).
    pub prefixes_completed: u64,
    /// Log files imported without failure.
    pub files_completed: u64,
    /// Records handed to the event data store and accepted by it, new or already stored
    /// (a record stored before, e.g. by a run interrupted after a file's first batch, is
    /// counted again when its file is read again).
    pub events_completed: u64,
    /// Failure entries not (yet) `SUCCEEDED`.
    pub failed_entries: u64,
}

/// `ImportFailureListItem`: one location that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImportFailure {
    /// `Location`: `s3://bucket/key` or the local path of the file; the `S3LocationUri`
    /// itself when listing failed.
    pub location: String,
    /// `Status`.
    pub status: ImportFailureStatus,
    /// `ErrorType`: one of [`FailureType`]'s texts.
    pub error_type: String,
    /// `ErrorMessage`.
    pub error_message: String,
    /// `LastUpdatedTime`.
    pub last_updated_time: Timestamp,
    /// The source key to read again on retry; `None` for a listing failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) key: Option<String>,
}

/// The kinds of failure entries (`ErrorType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FailureType {
    /// Listing the location failed (no such bucket or directory, access denied, …).
    ListFailed,
    /// Reading the object or file failed.
    ReadFailed,
    /// The file inflates beyond the cap.
    FileTooLarge,
    /// The gzip stream is corrupt or truncated.
    InvalidGzip,
    /// The content is not a log file (`{"Records":[…]}` or another record layout).
    InvalidLogFile,
    /// Some records of the file are not JSON objects or have no valid `eventTime` while a
    /// time range is set; the file's other records were imported.
    InvalidRecords,
    /// The event data store did not accept the records.
    DestinationFailed,
}

impl FailureType {
    /// The `ErrorType` text.
    pub const fn as_str(self) -> &'static str {
        match self {
            FailureType::ListFailed => "ListFailed",
            FailureType::ReadFailed => "ReadFailed",
            FailureType::FileTooLarge => "FileTooLarge",
            FailureType::InvalidGzip => "InvalidGzip",
            FailureType::InvalidLogFile => "InvalidLogFile",
            FailureType::InvalidRecords => "InvalidRecords",
            FailureType::DestinationFailed => "DestinationFailed",
        }
    }
}

/// One import as `GetImport` returns it (failures are listed apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Import {
    /// `ImportId`: a lowercase UUID.
    pub import_id: String,
    /// `Destinations`: exactly one event data store ARN.
    pub destinations: Vec<String>,
    /// `ImportSource`.
    pub import_source: ImportSource,
    /// `StartEventTime`, if given.
    pub start_event_time: Option<Timestamp>,
    /// `EndEventTime`, if given.
    pub end_event_time: Option<Timestamp>,
    /// `ImportStatus`.
    pub import_status: ImportStatus,
    /// `CreatedTimestamp`.
    pub created_timestamp: Timestamp,
    /// `UpdatedTimestamp`: the last change of status or statistics.
    pub updated_timestamp: Timestamp,
    /// `ImportStatistics`.
    pub import_statistics: ImportStatistics,
}

impl Import {
    /// The one destination store ARN.
    pub fn destination(&self) -> &str {
        self.destinations.first().map_or("", String::as_str)
    }

    /// The `ImportsListItem` of this import.
    pub fn list_item(&self) -> ImportsListItem {
        ImportsListItem {
            import_id: self.import_id.clone(),
            import_status: self.import_status,
            destinations: self.destinations.clone(),
            created_timestamp: self.created_timestamp,
            updated_timestamp: self.updated_timestamp,
        }
    }
}

/// `ImportsListItem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportsListItem {
    /// `ImportId`.
    pub import_id: String,
    /// `ImportStatus`.
    pub import_status: ImportStatus,
    /// `Destinations`.
    pub destinations: Vec<String>,
    /// `CreatedTimestamp`.
    pub created_timestamp: Timestamp,
    /// `UpdatedTimestamp`.
    pub updated_timestamp: Timestamp,
}

/// `StartImport`'s members, unchecked.
///
/// A new import needs `destinations` and `import_source` (and may bound the time range); a
/// retry names only `import_id`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartImportRequest {
    /// `Destinations`.
    pub destinations: Option<Vec<String>>,
    /// `ImportSource`.
    pub import_source: Option<ImportSource>,
    /// `StartEventTime`.
    pub start_event_time: Option<Timestamp>,
    /// `EndEventTime`.
    pub end_event_time: Option<Timestamp>,
    /// `ImportId`, to retry a `FAILED` or `STOPPED` import.
    pub import_id: Option<String>,
}

/// `ListImports`' members, unchecked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListImportsRequest {
    /// Only imports into stores of this account (the caller's); `None`: every account.
    pub account: Option<String>,
    /// `MaxResults`, 1–1000; default [`crate::DEFAULT_MAX_RESULTS`].
    pub max_results: Option<i64>,
    /// `Destination`: only imports into this store.
    pub destination: Option<String>,
    /// `ImportStatus`: only imports in this status.
    pub import_status: Option<ImportStatus>,
    /// `NextToken`.
    pub next_token: Option<String>,
}

/// One page of `ListImports`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportsPage {
    /// `Imports`, oldest first.
    pub imports: Vec<ImportsListItem>,
    /// `NextToken`, when more follow.
    pub next_token: Option<String>,
}

/// One page of `ListImportFailures`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailuresPage {
    /// `Failures`, in the order they were first recorded.
    pub failures: Vec<ImportFailure>,
    /// `NextToken`, when more follow.
    pub next_token: Option<String>,
}
