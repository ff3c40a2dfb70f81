//! `ListTags` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListTags.html>).
//!
//! Request: `ResourceIdList`* (1 to 20 trail ARNs of the caller's region), `NextToken`.
//! Response: `ResourceTagList` (each `ResourceId`, `TagsList`), all in one page: no
//! `NextToken` is ever issued, so one sent back is refused.

use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::trail_shapes::{TagShape, caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagsRequest {
    /// `ResourceIdList`.
    pub resource_id_list: Vec<String>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ResourceTag`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceTagShape {
    /// `ResourceId`.
    pub resource_id: String,
    /// `TagsList`.
    pub tags_list: Vec<TagShape>,
}

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagsResponse {
    /// `ResourceTagList`.
    pub resource_tag_list: Vec<ResourceTagShape>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Handles one `ListTags` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: ListTagsRequest,
) -> Result<ListTagsResponse, ApiError> {
    let listed = services.trails.list_tags(
        &caller(scope),
        &request.resource_id_list,
        request.next_token.as_deref(),
    )?;
    Ok(ListTagsResponse {
        resource_tag_list: listed
            .into_iter()
            .map(|resource| ResourceTagShape {
                resource_id: resource.resource_id,
                tags_list: resource.tags.into_iter().map(Into::into).collect(),
            })
            .collect(),
        next_token: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_tags_use_the_model_member_names() {
        let response = ListTagsResponse {
            resource_tag_list: vec![ResourceTagShape {
                resource_id: String::from("arn"),
                tags_list: vec![TagShape {
                    key: String::from("k"),
                    value: None,
                }],
            }],
            next_token: None,
        };
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"ResourceTagList":[{"ResourceId":"arn","TagsList":[{"Key":"k"}]}]}"#
        );
    }
}
