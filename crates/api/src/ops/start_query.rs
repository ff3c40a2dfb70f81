//! `StartQuery` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartQuery.html>).
//!
//! Request: `QueryStatement` (1–10,000 characters) or `QueryAlias` + `QueryParameters`,
//! `DeliveryS3Uri`, `EventDataStoreOwnerAccountId`. Response: `QueryId`,
//! `EventDataStoreOwnerAccountId`. The statement names its stores in `FROM` (ids or
//! ARNs); each must be a store of the caller, not pending deletion. Query aliases belong
//! to Lake dashboards, which OpenTrail does not have.

use serde::{Deserialize, Serialize};

use opentrail_queries::StartRequest;
use opentrail_trails::BucketProblem;

use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::lake_caller;
use crate::ops::query_shapes::resolve_tables;
use crate::{ApiError, ErrorCode};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartQueryRequest {
    /// `QueryStatement`.
    #[serde(default)]
    pub query_statement: Option<String>,
    /// `DeliveryS3Uri`.
    #[serde(default, rename = "DeliveryS3Uri")]
    pub delivery_s3_uri: Option<String>,
    /// `QueryAlias`.
    #[serde(default)]
    pub query_alias: Option<String>,
    /// `QueryParameters`.
    #[serde(default)]
    pub query_parameters: Option<Vec<String>>,
    /// `EventDataStoreOwnerAccountId`.
    #[serde(default)]
    pub event_data_store_owner_account_id: Option<String>,
}

/// The response body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartQueryResponse {
    /// `QueryId`.
    pub query_id: String,
    /// `EventDataStoreOwnerAccountId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_data_store_owner_account_id: Option<String>,
}

/// Handles one `StartQuery` call.
///
/// # Errors
///
/// `InvalidQueryStatementException`, `InactiveEventDataStoreException`,
/// `MaxConcurrentQueriesException`, the `DeliveryS3Uri` exceptions, or
/// `InvalidParameterException` for a malformed request.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: StartQueryRequest,
) -> Result<StartQueryResponse, ApiError> {
    if request.query_alias.is_some() {
        return Err(ApiError::new(
            ErrorCode::UnsupportedOperationException,
            "QueryAlias names the queries of CloudTrail Lake dashboards, which OpenTrail does not have; send a QueryStatement",
        ));
    }
    if request.query_parameters.is_some() {
        return Err(ApiError::new(
            ErrorCode::InvalidParameterException,
            "QueryParameters go with a QueryAlias only",
        ));
    }
    let Some(statement) = request.query_statement else {
        return Err(ApiError::new(
            ErrorCode::InvalidParameterException,
            "StartQuery needs a QueryStatement",
        ));
    };
    if let Some(owner) = &request.event_data_store_owner_account_id
        && owner != &scope.account_id
    {
        return Err(ApiError::new(
            ErrorCode::EventDataStoreNotFoundException,
            format!(
                "EventDataStoreOwnerAccountId `{owner}` is not the caller's account; OpenTrail does not query other accounts' event data stores"
            ),
        ));
    }
    let tables = services
        .statements
        .tables(&statement)
        .map_err(|message| ApiError::new(ErrorCode::InvalidQueryStatementException, message))?;
    let caller = lake_caller(scope);
    let store_ids = resolve_tables(services, &caller, &tables)?;
    if let Some(uri) = &request.delivery_s3_uri {
        check_delivery_bucket(services, uri)?;
    }
    let query_id = services.queries.start(StartRequest {
        account: scope.account_id.clone(),
        statement,
        store_ids,
        delivery_s3_uri: request.delivery_s3_uri,
        owner_account: request.event_data_store_owner_account_id.clone(),
    })?;
    Ok(StartQueryResponse {
        query_id,
        event_data_store_owner_account_id: request.event_data_store_owner_account_id,
    })
}

/// The results bucket must exist and take our writes, as for a trail's bucket.
fn check_delivery_bucket(services: Services<'_>, uri: &str) -> Result<(), ApiError> {
    let parsed = opentrail_queries::DeliveryUri::parse(uri)?;
    match services.buckets.check(&parsed.bucket) {
        Ok(()) => Ok(()),
        Err(BucketProblem::DoesNotExist) => Err(ApiError::new(
            ErrorCode::S3BucketDoesNotExistException,
            format!(
                "the bucket `{}` of DeliveryS3Uri does not exist",
                parsed.bucket
            ),
        )),
        Err(BucketProblem::InvalidName(why)) => Err(ApiError::new(
            ErrorCode::InvalidS3BucketNameException,
            format!("DeliveryS3Uri: {why}"),
        )),
        Err(BucketProblem::AccessDenied(why)) => Err(ApiError::new(
            ErrorCode::InsufficientS3BucketPolicyException,
            format!("DeliveryS3Uri: {why}"),
        )),
        Err(BucketProblem::Unavailable(why)) => Err(ApiError::new(
            ErrorCode::ServiceUnavailableException,
            format!("the bucket of DeliveryS3Uri cannot be checked now: {why}"),
        )),
    }
}
