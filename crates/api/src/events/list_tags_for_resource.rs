//! `ListTagsForResource` (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTagsForResource.html>).
//!
//! Request: `ResourceARN`* (a rule's ARN, or the default bus's, which has no tags).
//! Response: `Tags` (each `Key`, `Value`) in the order they were added.

use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::dispatch::Scope;
use crate::events::EventsServices;
use crate::events::shapes::{TagShape, caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListTagsForResourceRequest {
    /// `ResourceARN`.
    #[serde(
        rename = "ResourceARN",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_arn: Option<String>,
}

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagsForResourceResponse {
    /// `Tags`.
    pub tags: Vec<TagShape>,
}

/// Handles one `ListTagsForResource` call.
///
/// # Errors
///
/// The EventBridge exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: EventsServices<'_>,
    scope: &Scope,
    request: ListTagsForResourceRequest,
) -> Result<ListTagsForResourceResponse, ApiError> {
    let tags = services
        .rules
        .list_tags_for_resource(&caller(scope), request.resource_arn)?;
    Ok(ListTagsForResourceResponse {
        tags: tags.into_iter().map(TagShape::from_pair).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_written_with_key_and_value() {
        let response = ListTagsForResourceResponse {
            tags: vec![TagShape::from_pair((String::from("k"), String::new()))],
        };
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"Tags":[{"Key":"k","Value":""}]}"#
        );
    }
}
