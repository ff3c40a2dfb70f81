//! `PutEventSelectors` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html>).
//!
//! Request: `TrailName`* (name or ARN) and exactly one of `EventSelectors` /
//! `AdvancedEventSelectors` (`opentrail-selectors` checks them). Response: `TrailARN` and
//! the list now in force, as stored (basic selectors with their defaults filled in).

use serde::{Deserialize, Serialize};

use opentrail_selectors::{AdvancedEventSelector, EventSelector, SelectorConfig};
use opentrail_trails::Trail;

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::trail_shapes::caller;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutEventSelectorsRequest {
    /// `TrailName`.
    pub trail_name: String,
    /// `EventSelectors`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_selectors: Option<Vec<EventSelector>>,
    /// `AdvancedEventSelectors`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
}

/// The response body of PutEventSelectors and GetEventSelectors: the trail's ARN and
/// whichever kind of selectors is in force (the other is omitted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSelectorsResponse {
    /// `TrailARN`.
    #[serde(rename = "TrailARN")]
    pub trail_arn: String,
    /// `EventSelectors`.
    #[serde(
        rename = "EventSelectors",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub event_selectors: Option<Vec<EventSelector>>,
    /// `AdvancedEventSelectors`.
    #[serde(
        rename = "AdvancedEventSelectors",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
}

impl From<Trail> for EventSelectorsResponse {
    fn from(trail: Trail) -> EventSelectorsResponse {
        let (event_selectors, advanced_event_selectors) = match trail.selectors {
            SelectorConfig::Basic(basic) => (Some(basic), None),
            SelectorConfig::Advanced(advanced) => (None, Some(advanced)),
        };
        EventSelectorsResponse {
            trail_arn: trail.arn,
            event_selectors,
            advanced_event_selectors,
        }
    }
}

/// The response body.
pub type PutEventSelectorsResponse = EventSelectorsResponse;

/// Handles one `PutEventSelectors` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: PutEventSelectorsRequest,
) -> Result<PutEventSelectorsResponse, ApiError> {
    let trail = services.trails.put_event_selectors(
        &caller(scope),
        &request.trail_name,
        request.event_selectors,
        request.advanced_event_selectors,
    )?;
    Ok(trail.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_carry_either_list() {
        let request: PutEventSelectorsRequest = serde_json::from_str(
            r#"{"TrailName":"t","AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]}"#,
        )
        .unwrap();
        assert!(request.event_selectors.is_none());
        assert_eq!(
            request.advanced_event_selectors.unwrap()[0].field_selectors[0].field,
            "eventCategory"
        );
        let response = EventSelectorsResponse {
            trail_arn: String::from("arn"),
            event_selectors: Some(Vec::new()),
            advanced_event_selectors: None,
        };
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"TrailARN":"arn","EventSelectors":[]}"#
        );
    }
}
