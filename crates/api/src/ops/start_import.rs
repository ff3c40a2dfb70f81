//! `StartImport` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartImport.html>).
//!
//! Request: `Destinations` (exactly one event data store ARN or id), `ImportSource`
//! (`S3`: `S3LocationUri`, `S3BucketRegion`, `S3BucketAccessRoleArn`), `StartEventTime`,
//! `EndEventTime`; or `ImportId` alone to retry a failed or stopped import. Response: the
//! import without statistics. The store must be an active CloudTrail-events store of the
//! caller; one import runs per account at a time.

use serde::{Deserialize, Serialize};

use opentrail_imports::{ImportSource, StartImportRequest as StartInput};
use opentrail_lake::StoreKind;
use opentrail_types::Timestamp;

use crate::dispatch::{Scope, Services};
use crate::ops::import_shapes::{ImportShape, own_import};
use crate::ops::lake_shapes::lake_caller;
use crate::{ApiError, ErrorCode};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartImportRequest {
    /// `Destinations`.
    #[serde(default)]
    pub destinations: Option<Vec<String>>,
    /// `ImportSource`.
    #[serde(default)]
    pub import_source: Option<ImportSource>,
    /// `StartEventTime`, epoch seconds.
    #[serde(default)]
    pub start_event_time: Option<f64>,
    /// `EndEventTime`, epoch seconds.
    #[serde(default)]
    pub end_event_time: Option<f64>,
    /// `ImportId`.
    #[serde(default)]
    pub import_id: Option<String>,
}

/// Handles one `StartImport` call.
///
/// # Errors
///
/// `EventDataStoreNotFoundException`, `InactiveEventDataStoreException`,
/// `InvalidEventDataStoreCategoryException`, `AccountHasOngoingImportException`,
/// `InvalidImportSourceException`, `ImportNotFoundException`, `InvalidParameterException`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: StartImportRequest,
) -> Result<ImportShape, ApiError> {
    let caller = lake_caller(scope);
    let mut input = StartInput {
        destinations: None,
        import_source: request.import_source,
        start_event_time: time(request.start_event_time, "StartEventTime")?,
        end_event_time: time(request.end_event_time, "EndEventTime")?,
        import_id: request.import_id.clone(),
    };
    if let Some(import_id) = &request.import_id {
        // A retry: the import must be the caller's, into a store still active.
        let import = own_import(services.imports, &caller, import_id)?;
        let store = services
            .lake
            .get_event_data_store(&caller, import.destination())?;
        if store.is_pending_deletion() {
            return Err(ApiError::new(
                ErrorCode::InactiveEventDataStoreException,
                format!("the event data store `{}` is pending deletion", store.id),
            ));
        }
    }
    if let Some(destinations) = request.destinations {
        let mut arns = Vec::new();
        for destination in &destinations {
            let store = services.lake.get_event_data_store(&caller, destination)?;
            if store.is_pending_deletion() {
                return Err(ApiError::new(
                    ErrorCode::InactiveEventDataStoreException,
                    format!("the event data store `{}` is pending deletion", store.id),
                ));
            }
            if store.kind != StoreKind::CloudTrailEvents {
                return Err(ApiError::new(
                    ErrorCode::InvalidEventDataStoreCategoryException,
                    format!(
                        "the event data store `{}` does not hold CloudTrail events; only such stores take imports of trail logs",
                        store.id
                    ),
                ));
            }
            arns.push(store.arn);
        }
        input.destinations = Some(arns);
    }
    let import = services.imports.start_import(input)?;
    if let Err(message) = services.import_launcher.launch(&import) {
        // An import that cannot run must not hold the account's one running slot.
        services.imports.mark_failed(&import.import_id, &message)?;
        return Err(ApiError::new(
            ErrorCode::InvalidImportSourceException,
            message,
        ));
    }
    Ok(ImportShape::for_start(import))
}

fn time(seconds: Option<f64>, member: &str) -> Result<Option<Timestamp>, ApiError> {
    match seconds {
        None => Ok(None),
        Some(seconds) => Timestamp::from_epoch_seconds_f64(seconds)
            .map(Some)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidParameterException,
                    format!("{member} `{seconds}` is not a time"),
                )
            }),
    }
}
