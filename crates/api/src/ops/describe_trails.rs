//! `DescribeTrails` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html>).
//!
//! Request: `trailNameList` (names and/or ARNs), `includeShadowTrails` (default true) —
//! lowercase member names, as the model spells them. Response: `{"trailList": [Trail]}`.
//! Without names: the region's trails plus, with shadows, other regions' multi-region
//! trails. Unknown names are skipped.

use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::trail_shapes::{TrailShape, caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeTrailsRequest {
    /// `trailNameList`.
    #[serde(
        rename = "trailNameList",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub trail_name_list: Option<Vec<String>>,
    /// `includeShadowTrails` (default true).
    #[serde(
        rename = "includeShadowTrails",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub include_shadow_trails: Option<bool>,
}

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeTrailsResponse {
    /// `trailList`.
    #[serde(rename = "trailList")]
    pub trail_list: Vec<TrailShape>,
}

/// Handles one `DescribeTrails` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: DescribeTrailsRequest,
) -> Result<DescribeTrailsResponse, ApiError> {
    let trails = services.trails.describe_trails(
        &caller(scope),
        request.trail_name_list,
        request.include_shadow_trails.unwrap_or(true),
    )?;
    Ok(DescribeTrailsResponse {
        trail_list: trails.into_iter().map(Into::into).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names_are_lowercase() {
        let request: DescribeTrailsRequest =
            serde_json::from_str(r#"{"trailNameList":["a"],"includeShadowTrails":false}"#).unwrap();
        assert_eq!(request.trail_name_list, Some(vec![String::from("a")]));
        assert_eq!(request.include_shadow_trails, Some(false));
        assert_eq!(
            serde_json::to_string(&DescribeTrailsResponse::default()).unwrap(),
            r#"{"trailList":[]}"#
        );
    }
}
