//! Shapes shared by the import operations (`StartImport`, `GetImport`, `StopImport`,
//! `ListImports`, `ListImportFailures`), and the launcher the server provides.
//!
//! Member names are botocore's; timestamps are epoch seconds as JSON numbers.

use serde::{Deserialize, Serialize};

use opentrail_imports::{Import, ImportSource, ImportStatistics};
use opentrail_lake::Caller;

use crate::{ApiError, ErrorCode};

/// Starts the runner of an import the registry just started (or restarted). Implemented
/// by the server, which owns the threads, the buckets and the Lake storage.
pub trait ImportLauncher: Send + Sync {
    /// Launches the runner of `import`.
    ///
    /// # Errors
    ///
    /// The message of an `InvalidImportSourceException` when the source cannot be
    /// opened.
    fn launch(&self, import: &Import) -> Result<(), String>;
}

/// `ImportStatistics`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImportStatisticsShape {
    /// `PrefixesFound`.
    pub prefixes_found: u64,
    /// `PrefixesCompleted`.
    pub prefixes_completed: u64,
    /// `FilesCompleted`.
    pub files_completed: u64,
    /// `EventsCompleted`.
    pub events_completed: u64,
    /// `FailedEntries`.
    pub failed_entries: u64,
}

impl From<ImportStatistics> for ImportStatisticsShape {
    fn from(statistics: ImportStatistics) -> ImportStatisticsShape {
        ImportStatisticsShape {
            prefixes_found: statistics.prefixes_found,
            prefixes_completed: statistics.prefixes_completed,
            files_completed: statistics.files_completed,
            events_completed: statistics.events_completed,
            failed_entries: statistics.failed_entries,
        }
    }
}

/// An import as StartImport, GetImport and StopImport return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImportShape {
    /// `ImportId`.
    pub import_id: String,
    /// `Destinations`.
    pub destinations: Vec<String>,
    /// `ImportSource`.
    pub import_source: ImportSource,
    /// `StartEventTime`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_event_time: Option<f64>,
    /// `EndEventTime`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_event_time: Option<f64>,
    /// `ImportStatus`.
    pub import_status: String,
    /// `CreatedTimestamp`.
    pub created_timestamp: f64,
    /// `UpdatedTimestamp`.
    pub updated_timestamp: f64,
    /// `ImportStatistics` (GetImport and StopImport).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_statistics: Option<ImportStatisticsShape>,
}

impl ImportShape {
    /// The import as StartImport returns it (no statistics).
    pub fn for_start(import: Import) -> ImportShape {
        let mut shape = ImportShape::with_statistics(import);
        shape.import_statistics = None;
        shape
    }

    /// The import with its statistics.
    pub fn with_statistics(import: Import) -> ImportShape {
        ImportShape {
            import_id: import.import_id,
            destinations: import.destinations,
            import_source: import.import_source,
            start_event_time: import
                .start_event_time
                .map(|time| time.as_epoch_seconds_f64()),
            end_event_time: import
                .end_event_time
                .map(|time| time.as_epoch_seconds_f64()),
            import_status: import.import_status.as_str().to_owned(),
            created_timestamp: import.created_timestamp.as_epoch_seconds_f64(),
            updated_timestamp: import.updated_timestamp.as_epoch_seconds_f64(),
            import_statistics: Some(import.import_statistics.into()),
        }
    }
}

/// The request of GetImport, StopImport and ListImportFailures' first member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImportIdRequest {
    /// `ImportId`.
    pub import_id: String,
}

/// The import `import_id` if it belongs to the caller's account; another account's
/// import is as unknown as a missing one.
pub(crate) fn own_import(
    imports: &opentrail_imports::Imports,
    caller: &Caller,
    import_id: &str,
) -> Result<Import, ApiError> {
    // Unknown and another account's imports get the same answer, so that an ID says
    // nothing about other accounts.
    let import = match imports.get_import(import_id) {
        Ok(import) => import,
        Err(error) if error.kind() == opentrail_imports::ErrorKind::ImportNotFound => {
            return Err(not_found(import_id));
        }
        Err(error) => return Err(error.into()),
    };
    if !belongs_to(&import.destinations, caller) {
        return Err(not_found(import_id));
    }
    Ok(import)
}

/// Whether an import's destination is a store of the caller's account.
pub(crate) fn belongs_to(destinations: &[String], caller: &Caller) -> bool {
    destinations.first().is_some_and(|arn| {
        opentrail_imports::store_arn_account(arn).is_ok_and(|account| account == caller.account_id)
    })
}

fn not_found(import_id: &str) -> ApiError {
    ApiError::new(
        ErrorCode::ImportNotFoundException,
        format!("no import of your account has the ID `{import_id}`"),
    )
}
