//! `ListTags` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListTags.html>).
//!
//! Request: `ResourceIdList`* (1 to 20 ARNs of trails of the caller's region, event data
//! stores and channels, mixed), `NextToken`.
//! Response: `ResourceTagList` (each `ResourceId`, `TagsList`), all in one page: no
//! `NextToken` is ever issued, so one sent back is refused.

use serde::{Deserialize, Serialize};

use opentrail_lake::lake_resource_type;

use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::lake_caller;
use crate::ops::trail_shapes::{TagShape, caller};
use crate::{ApiError, ErrorCode};

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
    let has_lake_arn = request
        .resource_id_list
        .iter()
        .any(|resource_id| lake_resource_type(resource_id).is_some());
    if !has_lake_arn {
        let listed = services.trails.list_tags(
            &caller(scope),
            &request.resource_id_list,
            request.next_token.as_deref(),
        )?;
        return Ok(response(listed.into_iter().map(|resource| {
            let tags = resource.tags.into_iter().map(Into::into).collect();
            (resource.resource_id, tags)
        })));
    }
    let limit = services.trails.limits().list_tags_resources;
    let count = request.resource_id_list.len();
    if count > limit {
        return Err(ApiError::new(
            ErrorCode::InvalidParameterException,
            format!("ResourceIdList has {count} ARNs; give 1 to {limit}"),
        ));
    }
    if let Some(token) = &request.next_token {
        return Err(ApiError::new(
            ErrorCode::InvalidTokenException,
            format!("NextToken `{token}` was not issued by this server"),
        ));
    }
    // A mixed list: each ARN goes to its registry, and the answer keeps the order asked.
    let mut listed: Vec<(String, Vec<TagShape>)> = Vec::with_capacity(count);
    for resource_id in &request.resource_id_list {
        if lake_resource_type(resource_id).is_some() {
            let resource = services
                .lake
                .list_tags_of(&lake_caller(scope), resource_id)?;
            let tags = resource.tags.into_iter().map(Into::into).collect();
            listed.push((resource.resource_id, tags));
        } else {
            let trails = services.trails.list_tags(
                &caller(scope),
                std::slice::from_ref(resource_id),
                None,
            )?;
            for resource in trails {
                let tags = resource.tags.into_iter().map(Into::into).collect();
                listed.push((resource.resource_id, tags));
            }
        }
    }
    Ok(response(listed))
}

fn response(listed: impl IntoIterator<Item = (String, Vec<TagShape>)>) -> ListTagsResponse {
    ListTagsResponse {
        resource_tag_list: listed
            .into_iter()
            .map(|(resource_id, tags_list)| ResourceTagShape {
                resource_id,
                tags_list,
            })
            .collect(),
        next_token: None,
    }
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
