//! `TagResource` (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TagResource.html>).
//!
//! Request: `ResourceARN`* (a rule's ARN), `Tags`* (each `Key`, `Value`). Response: `{}`. A
//! known key gets the new value; at most 50 tags per rule. OpenTrail does not tag its
//! event bus: the default bus's ARN is refused with `ValidationException`.

use serde::{Deserialize, Serialize};

use opentrail_rules::input::TagResourceInput;

use crate::ApiError;
use crate::dispatch::Scope;
use crate::events::EventsServices;
use crate::events::shapes::{TagShape, caller, tags_input};
use crate::ops::trail_shapes::EmptyResponse;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagResourceRequest {
    /// `ResourceARN`.
    #[serde(
        rename = "ResourceARN",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_arn: Option<String>,
    /// `Tags`.
    #[serde(rename = "Tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<TagShape>>,
}

/// Handles one `TagResource` call.
///
/// # Errors
///
/// The EventBridge exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: EventsServices<'_>,
    scope: &Scope,
    request: TagResourceRequest,
) -> Result<EmptyResponse, ApiError> {
    services.rules.tag_resource(
        &caller(scope),
        TagResourceInput {
            resource_arn: request.resource_arn,
            tags: tags_input(request.tags),
        },
    )?;
    Ok(EmptyResponse {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arn_member_is_spelled_resource_arn_in_capitals() {
        let request: TagResourceRequest =
            serde_json::from_str(r#"{"ResourceARN":"arn","Tags":[{"Key":"k","Value":""}]}"#)
                .unwrap();
        assert_eq!(request.resource_arn.as_deref(), Some("arn"));
        assert_eq!(request.tags.unwrap()[0].value.as_deref(), Some(""));
    }
}
