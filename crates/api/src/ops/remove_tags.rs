//! `RemoveTags` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_RemoveTags.html>).
//!
//! Request: `ResourceId`* (the ARN of a trail, event data store or channel), `TagsList`* (each `Key`, `Value`).
//! Response: `{}`. Removes the listed keys (values are not compared). Trails and event
//! data stores: home region only.

use serde::{Deserialize, Serialize};

use opentrail_lake::lake_resource_type;

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::lake_caller;
use crate::ops::trail_shapes::{EmptyResponse, TagShape, caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RemoveTagsRequest {
    /// `ResourceId`.
    pub resource_id: String,
    /// `TagsList`.
    pub tags_list: Vec<TagShape>,
}

/// Handles one `RemoveTags` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: RemoveTagsRequest,
) -> Result<EmptyResponse, ApiError> {
    if lake_resource_type(&request.resource_id).is_some() {
        let tags = request.tags_list.into_iter().map(Into::into).collect();
        services
            .lake
            .remove_tags(&lake_caller(scope), &request.resource_id, tags)?;
        return Ok(EmptyResponse {});
    }
    let tags = request.tags_list.into_iter().map(Into::into).collect();
    services
        .trails
        .remove_tags(&caller(scope), &request.resource_id, tags)?;
    Ok(EmptyResponse {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_may_leave_out_the_value() {
        let request: RemoveTagsRequest = serde_json::from_str(
            r#"{"ResourceId":"arn","TagsList":[{"Key":"k"},{"Key":"a","Value":"b"}]}"#,
        )
        .unwrap();
        assert_eq!(request.tags_list[0].value, None);
        assert_eq!(request.tags_list[1].value.as_deref(), Some("b"));
    }
}
