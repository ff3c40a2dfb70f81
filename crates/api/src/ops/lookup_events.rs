//! `LookupEvents` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html>).
//!
//! Request: `LookupAttributes` (list of `{AttributeKey, AttributeValue}`), `StartTime`,
//! `EndTime` (epoch seconds, may carry a fraction), `EventCategory`, `MaxResults`,
//! `NextToken`. Response: `Events` (each `EventId`, `EventName`, `ReadOnly`,
//! `AccessKeyId`, `EventTime`, `EventSource`, `Username`, `Resources`,
//! `CloudTrailEvent`), `NextToken`. Members without a value are omitted. Member order is
//! the service model's, which is also the order the `aws` CLI prints.

use serde::{Deserialize, Serialize};

use opentrail_store::{History, LookupEvent, LookupEventsInput, LookupPage, LookupQuery};
use opentrail_types::Timestamp;

use crate::ApiError;
use crate::dispatch::Scope;

/// One element of `LookupAttributes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LookupAttributeShape {
    /// `AttributeKey`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_key: Option<String>,
    /// `AttributeValue`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_value: Option<String>,
}

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LookupEventsRequest {
    /// `LookupAttributes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_attributes: Option<Vec<LookupAttributeShape>>,
    /// `StartTime`, epoch seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<f64>,
    /// `EndTime`, epoch seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<f64>,
    /// `EventCategory`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_category: Option<String>,
    /// `MaxResults`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl LookupEventsRequest {
    /// The request in domain terms (unchecked: [`LookupQuery::from_input`] checks it).
    pub fn into_input(self) -> LookupEventsInput {
        LookupEventsInput {
            lookup_attributes: self
                .lookup_attributes
                .unwrap_or_default()
                .into_iter()
                .map(|attribute| (attribute.attribute_key, attribute.attribute_value))
                .collect(),
            start_time: self.start_time.and_then(Timestamp::from_epoch_seconds_f64),
            end_time: self.end_time.and_then(Timestamp::from_epoch_seconds_f64),
            event_category: self.event_category,
            max_results: self.max_results,
            next_token: self.next_token,
        }
    }
}

/// One element of `Resources`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceShape {
    /// `ResourceType`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// `ResourceName`.
    pub resource_name: String,
}

/// One element of `Events`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventShape {
    /// `EventId`.
    pub event_id: String,
    /// `EventName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_name: Option<String>,
    /// `ReadOnly`: `"true"` / `"false"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<String>,
    /// `AccessKeyId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    /// `EventTime`, epoch seconds.
    pub event_time: f64,
    /// `EventSource`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// `Username`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `Resources`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub resources: Vec<ResourceShape>,
    /// `CloudTrailEvent`: the record as a JSON string.
    pub cloud_trail_event: String,
}

impl From<LookupEvent> for EventShape {
    fn from(event: LookupEvent) -> EventShape {
        EventShape {
            event_id: event.event_id,
            event_name: event.event_name,
            read_only: event.read_only,
            access_key_id: event.access_key_id,
            event_time: event.event_time.as_epoch_seconds_f64(),
            event_source: event.event_source,
            username: event.username,
            resources: event
                .resources
                .into_iter()
                .map(|resource| ResourceShape {
                    resource_type: resource.resource_type,
                    resource_name: resource.resource_name,
                })
                .collect(),
            cloud_trail_event: event.cloudtrail_event,
        }
    }
}

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LookupEventsResponse {
    /// `Events`, newest first.
    pub events: Vec<EventShape>,
    /// `NextToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl From<LookupPage> for LookupEventsResponse {
    fn from(page: LookupPage) -> LookupEventsResponse {
        LookupEventsResponse {
            events: page.events.into_iter().map(EventShape::from).collect(),
            next_token: page.next_token,
        }
    }
}

/// Handles one `LookupEvents` call.
///
/// # Errors
///
/// The AWS exception for a bad request, or `InternalFailure`.
pub fn handle(
    history: &History,
    request: LookupEventsRequest,
) -> Result<LookupEventsResponse, ApiError> {
    handle_scoped(history, request, None)
}

/// Handles one `LookupEvents` call limited to the events of `scope`'s account (`None`:
/// every account, for local commands that own the data directory).
///
/// # Errors
///
/// The AWS exception for a bad request, or `InternalFailure`.
pub fn handle_scoped(
    history: &History,
    request: LookupEventsRequest,
    scope: Option<&Scope>,
) -> Result<LookupEventsResponse, ApiError> {
    let mut query = LookupQuery::from_input(&request.into_input())?;
    query.account = scope.map(|scope| scope.account_id.clone());
    Ok(history.lookup_events(&query)?.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_use_the_model_member_names_and_omit_empty_members() {
        let response = LookupEventsResponse {
            events: vec![EventShape {
                event_id: String::from("e"),
                event_name: Some(String::from("GetUser")),
                read_only: Some(String::from("true")),
                access_key_id: None,
                event_time: 1_424_476_529.0,
                event_source: None,
                username: None,
                resources: Vec::new(),
                cloud_trail_event: String::from("{\"a\":1}"),
            }],
            next_token: None,
        };
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"Events":[{"EventId":"e","EventName":"GetUser","ReadOnly":"true","EventTime":1424476529.0,"CloudTrailEvent":"{\"a\":1}"}]}"#
        );
    }

    #[test]
    fn requests_convert_times_from_epoch_seconds() {
        let request: LookupEventsRequest =
            serde_json::from_str(r#"{"StartTime":1424476529.25,"EndTime":1424476530}"#).unwrap();
        let input = request.into_input();
        assert_eq!(input.start_time.unwrap().as_millis(), 1_424_476_529_250);
        assert_eq!(input.end_time.unwrap().as_secs(), 1_424_476_530);
    }
}
