//! `GetInsightSelectors` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetInsightSelectors.html>).
//!
//! Request: `TrailName` (name or ARN) or `EventDataStore` (ARN or ID), not both
//! (`InvalidParameterCombinationException`). Response: `TrailARN` and `InsightSelectors`
//! for a trail; `InsightSelectors`, `EventDataStoreArn` and `InsightsDestination` for a
//! store. `InsightNotEnabledException` when the trail or store has none.

use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::lake_caller;
use crate::ops::put_insight_selectors::InsightSelectorsResponse;
use crate::ops::trail_shapes::caller;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetInsightSelectorsRequest {
    /// `TrailName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trail_name: Option<String>,
    /// `EventDataStore`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_data_store: Option<String>,
}

/// The response body.
pub type GetInsightSelectorsResponse = InsightSelectorsResponse;

/// Handles one `GetInsightSelectors` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: GetInsightSelectorsRequest,
) -> Result<GetInsightSelectorsResponse, ApiError> {
    if let (None, Some(event_data_store)) = (&request.trail_name, &request.event_data_store) {
        let answer = services
            .lake
            .get_insight_selectors(&lake_caller(scope), event_data_store)?;
        return Ok(answer.into());
    }
    let trail = services.trails.get_insight_selectors(
        &caller(scope),
        request.trail_name,
        request.event_data_store.as_deref(),
    )?;
    Ok(trail.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_members_are_optional() {
        let request: GetInsightSelectorsRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(request, GetInsightSelectorsRequest::default());
    }
}
