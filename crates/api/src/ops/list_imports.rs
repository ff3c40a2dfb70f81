//! `ListImports` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListImports.html>).
//!
//! Request: `MaxResults` (1–1000), `Destination` (store ARN or id), `ImportStatus`,
//! `NextToken`. Response: `Imports` (`ImportId`, `ImportStatus`, `Destinations`,
//! `CreatedTimestamp`, `UpdatedTimestamp`), `NextToken`. Only the caller's imports.

use serde::{Deserialize, Serialize};

use opentrail_imports::{ImportStatus, ListImportsRequest as ListInput};

use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::lake_caller;
use crate::{ApiError, ErrorCode};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListImportsRequest {
    /// `MaxResults`.
    #[serde(default)]
    pub max_results: Option<i64>,
    /// `Destination`.
    #[serde(default)]
    pub destination: Option<String>,
    /// `ImportStatus`.
    #[serde(default)]
    pub import_status: Option<String>,
    /// `NextToken`.
    #[serde(default)]
    pub next_token: Option<String>,
}

/// One listed import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImportsListItemShape {
    /// `ImportId`.
    pub import_id: String,
    /// `ImportStatus`.
    pub import_status: String,
    /// `Destinations`.
    pub destinations: Vec<String>,
    /// `CreatedTimestamp`.
    pub created_timestamp: f64,
    /// `UpdatedTimestamp`.
    pub updated_timestamp: f64,
}

/// The response body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListImportsResponse {
    /// `Imports`.
    pub imports: Vec<ImportsListItemShape>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Handles one `ListImports` call.
///
/// # Errors
///
/// `InvalidParameterException` for an unknown status, `EventDataStoreNotFoundException`
/// for an unknown destination, `InvalidNextTokenException`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: ListImportsRequest,
) -> Result<ListImportsResponse, ApiError> {
    let caller = lake_caller(scope);
    let import_status = match request.import_status.as_deref() {
        None => None,
        Some(text) => Some(ImportStatus::parse(text).ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidParameterException,
                format!("ImportStatus `{text}` is none of INITIALIZING, IN_PROGRESS, FAILED, STOPPED, COMPLETED"),
            )
        })?),
    };
    let destination = match &request.destination {
        None => None,
        Some(given) => Some(services.lake.get_event_data_store(&caller, given)?.arn),
    };
    let page = services.imports.list_imports(&ListInput {
        account: Some(caller.account_id.clone()),
        max_results: request.max_results,
        destination,
        import_status,
        next_token: request.next_token,
    })?;
    Ok(ListImportsResponse {
        imports: page
            .imports
            .into_iter()
            .map(|item| ImportsListItemShape {
                import_id: item.import_id,
                import_status: item.import_status.as_str().to_owned(),
                destinations: item.destinations,
                created_timestamp: item.created_timestamp.as_epoch_seconds_f64(),
                updated_timestamp: item.updated_timestamp.as_epoch_seconds_f64(),
            })
            .collect(),
        next_token: page.next_token,
    })
}
