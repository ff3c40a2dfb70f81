//! `PutInsightSelectors` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutInsightSelectors.html>).
//!
//! Request: `TrailName` (name or ARN), or `EventDataStore` (the source store) and
//! `InsightsDestination` (the destination store of kind `Insight`), each an ARN or ID;
//! `InsightSelectors`* (each `InsightType` and `EventCategories`). The list replaces the
//! trail's or the source store's; an empty list turns Insights off. A request without
//! `TrailName` that names a store goes to the Lake registry; everything else (including
//! `TrailName` combined with a store: `InvalidParameterCombinationException`) to the
//! trail registry. Response: `TrailARN` and `InsightSelectors` for a trail;
//! `InsightSelectors`, `EventDataStoreArn` and `InsightsDestination` (the destination's
//! ARN) for a store.

use serde::{Deserialize, Serialize};

use opentrail_lake::EventDataStoreInsightSelectors;
use opentrail_trails::{PutInsightSelectorsInput, Trail};

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::lake_caller;
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

/// The response body of PutInsightSelectors and GetInsightSelectors: `TrailARN` for a
/// trail, `EventDataStoreArn` and `InsightsDestination` for an event data store (members
/// without a value are omitted), in botocore's member order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsightSelectorsResponse {
    /// `TrailARN` (trails only).
    #[serde(rename = "TrailARN", skip_serializing_if = "Option::is_none", default)]
    pub trail_arn: Option<String>,
    /// `InsightSelectors`.
    #[serde(rename = "InsightSelectors")]
    pub insight_selectors: Vec<InsightSelectorShape>,
    /// `EventDataStoreArn`: the source store (event data stores only).
    #[serde(
        rename = "EventDataStoreArn",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub event_data_store_arn: Option<String>,
    /// `InsightsDestination`: the destination store's ARN (event data stores only).
    #[serde(
        rename = "InsightsDestination",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub insights_destination: Option<String>,
}

impl From<Trail> for InsightSelectorsResponse {
    fn from(trail: Trail) -> InsightSelectorsResponse {
        InsightSelectorsResponse {
            trail_arn: Some(trail.arn),
            insight_selectors: trail
                .insight_selectors
                .into_iter()
                .map(Into::into)
                .collect(),
            event_data_store_arn: None,
            insights_destination: None,
        }
    }
}

impl From<EventDataStoreInsightSelectors> for InsightSelectorsResponse {
    fn from(answer: EventDataStoreInsightSelectors) -> InsightSelectorsResponse {
        InsightSelectorsResponse {
            trail_arn: None,
            insight_selectors: answer
                .insight_selectors
                .into_iter()
                .map(Into::into)
                .collect(),
            event_data_store_arn: Some(answer.event_data_store_arn),
            insights_destination: Some(answer.insights_destination),
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
    let insight_selectors = request
        .insight_selectors
        .into_iter()
        .map(Into::into)
        .collect();
    let names_a_store =
        request.event_data_store.is_some() || request.insights_destination.is_some();
    if request.trail_name.is_none() && names_a_store {
        let input = opentrail_lake::PutInsightSelectorsInput {
            event_data_store: request.event_data_store,
            insights_destination: request.insights_destination,
            insight_selectors,
        };
        let answer = services
            .lake
            .put_insight_selectors(&lake_caller(scope), input)?;
        return Ok(answer.into());
    }
    let input = PutInsightSelectorsInput {
        trail_name: request.trail_name,
        insight_selectors,
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
            trail_arn: Some(String::from("arn")),
            insight_selectors: request.insight_selectors,
            ..InsightSelectorsResponse::default()
        };
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"TrailARN":"arn","InsightSelectors":[{"InsightType":"ApiCallRateInsight"},{"InsightType":"ApiErrorRateInsight","EventCategories":["Data"]}]}"#
        );
    }

    #[test]
    fn store_responses_have_no_trail_arn() {
        let answer = EventDataStoreInsightSelectors {
            event_data_store_arn: String::from("arn:source"),
            insights_destination: String::from("arn:destination"),
            insight_selectors: vec![call_rate_selector()],
        };
        let response = InsightSelectorsResponse::from(answer);
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"InsightSelectors":[{"InsightType":"ApiCallRateInsight"}],"EventDataStoreArn":"arn:source","InsightsDestination":"arn:destination"}"#
        );
    }

    fn call_rate_selector() -> opentrail_trails::InsightSelector {
        opentrail_trails::InsightSelector {
            insight_type: opentrail_trails::InsightType::ApiCallRateInsight,
            event_categories: None,
        }
    }
}
