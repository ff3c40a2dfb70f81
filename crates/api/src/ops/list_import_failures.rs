//! `ListImportFailures` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListImportFailures.html>).
//!
//! Request: `ImportId`*, `MaxResults` (1–1000), `NextToken`. Response: `Failures`
//! (`Location`, `Status`, `ErrorType`, `ErrorMessage`, `LastUpdatedTime`), `NextToken`.

use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::import_shapes::own_import;
use crate::ops::lake_shapes::lake_caller;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListImportFailuresRequest {
    /// `ImportId`.
    pub import_id: String,
    /// `MaxResults`.
    #[serde(default)]
    pub max_results: Option<i64>,
    /// `NextToken`.
    #[serde(default)]
    pub next_token: Option<String>,
}

/// One failure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImportFailureShape {
    /// `Location`.
    pub location: String,
    /// `Status`.
    pub status: String,
    /// `ErrorType`.
    pub error_type: String,
    /// `ErrorMessage`.
    pub error_message: String,
    /// `LastUpdatedTime`.
    pub last_updated_time: f64,
}

/// The response body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListImportFailuresResponse {
    /// `Failures`.
    pub failures: Vec<ImportFailureShape>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Handles one `ListImportFailures` call.
///
/// # Errors
///
/// `ImportNotFoundException`, `InvalidParameterException`, `InvalidNextTokenException`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: ListImportFailuresRequest,
) -> Result<ListImportFailuresResponse, ApiError> {
    own_import(services.imports, &lake_caller(scope), &request.import_id)?;
    let page = services.imports.list_import_failures(
        &request.import_id,
        request.max_results,
        request.next_token.as_deref(),
    )?;
    Ok(ListImportFailuresResponse {
        failures: page
            .failures
            .into_iter()
            .map(|failure| ImportFailureShape {
                location: failure.location,
                status: failure.status.as_str().to_owned(),
                error_type: failure.error_type,
                error_message: failure.error_message,
                last_updated_time: failure.last_updated_time.as_epoch_seconds_f64(),
            })
            .collect(),
        next_token: page.next_token,
    })
}
