//! `UntagResource` (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_UntagResource.html>).
//!
//! Request: `ResourceARN`* (a rule's ARN), `TagKeys`*. Response: `{}`. A key the rule does
//! not carry is no error.

use serde::{Deserialize, Serialize};

use opentrail_rules::input::UntagResourceInput;

use crate::ApiError;
use crate::dispatch::Scope;
use crate::events::EventsServices;
use crate::events::shapes::caller;
use crate::ops::trail_shapes::EmptyResponse;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UntagResourceRequest {
    /// `ResourceARN`.
    #[serde(
        rename = "ResourceARN",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_arn: Option<String>,
    /// `TagKeys`.
    #[serde(rename = "TagKeys", default, skip_serializing_if = "Option::is_none")]
    pub tag_keys: Option<Vec<String>>,
}

/// Handles one `UntagResource` call.
///
/// # Errors
///
/// The EventBridge exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: EventsServices<'_>,
    scope: &Scope,
    request: UntagResourceRequest,
) -> Result<EmptyResponse, ApiError> {
    services.rules.untag_resource(
        &caller(scope),
        UntagResourceInput {
            resource_arn: request.resource_arn,
            tag_keys: request.tag_keys,
        },
    )?;
    Ok(EmptyResponse {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_keys_are_a_list_of_strings() {
        let request: UntagResourceRequest =
            serde_json::from_str(r#"{"ResourceARN":"arn","TagKeys":["a"]}"#).unwrap();
        assert_eq!(request.tag_keys.unwrap(), ["a"]);
    }
}
