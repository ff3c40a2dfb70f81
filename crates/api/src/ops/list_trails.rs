//! `ListTrails` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListTrails.html>).
//!
//! Request: `NextToken`. Response: `Trails` (each `TrailARN`, `Name`, `HomeRegion`) and
//! `NextToken`: every trail visible in the caller's region, shadows included, ordered by
//! ARN, 50 a page. The token is the ARN the previous page ended with.

use serde::{Deserialize, Serialize};

use opentrail_trails::TrailInfo;

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::trail_shapes::caller;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTrailsRequest {
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `TrailInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailInfoShape {
    /// `TrailARN`.
    #[serde(rename = "TrailARN")]
    pub trail_arn: String,
    /// `Name`.
    #[serde(rename = "Name")]
    pub name: String,
    /// `HomeRegion`.
    #[serde(rename = "HomeRegion")]
    pub home_region: String,
}

impl From<TrailInfo> for TrailInfoShape {
    fn from(info: TrailInfo) -> TrailInfoShape {
        TrailInfoShape {
            trail_arn: info.trail_arn,
            name: info.name,
            home_region: info.home_region,
        }
    }
}

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTrailsResponse {
    /// `Trails`.
    pub trails: Vec<TrailInfoShape>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Handles one `ListTrails` call.
///
/// # Errors
///
/// None today; the signature matches the other handlers.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: ListTrailsRequest,
) -> Result<ListTrailsResponse, ApiError> {
    let page = services
        .trails
        .list_trails(&caller(scope), request.next_token.as_deref());
    Ok(ListTrailsResponse {
        trails: page.trails.into_iter().map(Into::into).collect(),
        next_token: page.next_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trail_infos_use_the_model_member_names() {
        let response = ListTrailsResponse {
            trails: vec![TrailInfoShape {
                trail_arn: String::from("arn"),
                name: String::from("n"),
                home_region: String::from("us-east-1"),
            }],
            next_token: None,
        };
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"Trails":[{"TrailARN":"arn","Name":"n","HomeRegion":"us-east-1"}]}"#
        );
    }
}
