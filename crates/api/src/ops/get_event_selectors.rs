//! `GetEventSelectors` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html>).
//!
//! Request: `TrailName`* (name or ARN; works from any region by ARN). Response:
//! `TrailARN` and whichever of `EventSelectors` / `AdvancedEventSelectors` is in force.

use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::put_event_selectors::EventSelectorsResponse;
use crate::ops::trail_shapes::caller;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetEventSelectorsRequest {
    /// `TrailName`.
    pub trail_name: String,
}

/// The response body.
pub type GetEventSelectorsResponse = EventSelectorsResponse;

/// Handles one `GetEventSelectors` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: GetEventSelectorsRequest,
) -> Result<GetEventSelectorsResponse, ApiError> {
    let trail = services
        .trails
        .get_event_selectors(&caller(scope), &request.trail_name)?;
    Ok(trail.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_names_the_trail() {
        let request: GetEventSelectorsRequest =
            serde_json::from_str(r#"{"TrailName":"t"}"#).unwrap();
        assert_eq!(request.trail_name, "t");
    }
}
