//! `PutInsightSelectors` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutInsightSelectors.html>).
//!
//! Request: `TrailName` (name or ARN), `InsightSelectors`* (each `InsightType` and
//! `EventCategories`), `EventDataStore`, `InsightsDestination` (event data stores: not
//! available yet). The list replaces the trail's; an empty list turns Insights off.
//! Response: `TrailARN`, `InsightSelectors`.

use serde::{Deserialize, Serialize};

use opentrail_trails::{PutInsightSelectorsInput, Trail};

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::trail_shapes::{InsightSelectorShape, caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutInsightSelectorsRequest {
    /// `TrailName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trail_name: Option<String>,
    /// `InsightSelectors`.
    pub insight_selectors: Vec<InsightSelectorShape>,
    /// `EventDataStore`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_data_store: Option<String>,
    /// `InsightsDestination`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insights_destination: Option<String>,
}

/// The response body of PutInsightSelectors and GetInsightSelectors for a trail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsightSelectorsResponse {
    /// `TrailARN`.
    #[serde(rename = "TrailARN")]
    pub trail_arn: String,
    /// `InsightSelectors`.
    #[serde(rename = "InsightSelectors")]
    pub insight_selectors: Vec<InsightSelectorShape>,
}

impl From<Trail> for InsightSelectorsResponse {
    fn from(trail: Trail) -> InsightSelectorsResponse {
        InsightSelectorsResponse {
            trail_arn: trail.arn,
            insight_selectors: trail
                .insight_selectors
                .into_iter()
                .map(Into::into)
                .collect(),
        }
    }
}

/// The response body.
pub type PutInsightSelectorsResponse = InsightSelectorsResponse;

/// Handles one `PutInsightSelectors` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: PutInsightSelectorsRequest,
) -> Result<PutInsightSelectorsResponse, ApiError> {
    let input = PutInsightSelectorsInput {
        trail_name: request.trail_name,
        insight_selectors: request
            .insight_selectors
            .into_iter()
            .map(Into::into)
            .collect(),
        event_data_store: request.event_data_store,
        insights_destination: request.insights_destination,
    };
    let trail = services
        .trails
        .put_insight_selectors(&caller(scope), input)?;
    Ok(trail.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_echo_categories_only_when_given() {
        let request: PutInsightSelectorsRequest = serde_json::from_str(
            r#"{"TrailName":"t","InsightSelectors":[{"InsightType":"ApiCallRateInsight"},{"InsightType":"ApiErrorRateInsight","EventCategories":["Data"]}]}"#,
        )
        .unwrap();
        let response = InsightSelectorsResponse {
            trail_arn: String::from("arn"),
            insight_selectors: request.insight_selectors,
        };
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"TrailARN":"arn","InsightSelectors":[{"InsightType":"ApiCallRateInsight"},{"InsightType":"ApiErrorRateInsight","EventCategories":["Data"]}]}"#
        );
    }
}
