//! `ListRules` (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRules.html>).
//!
//! Request: `NamePrefix`, `EventBusName`, `NextToken`, `Limit` (1–100, default 100).
//! Response: `Rules` (each a [`RuleShape`]) ordered by name, and `NextToken` while more
//! remain.

use serde::{Deserialize, Serialize};

use opentrail_rules::input::ListRulesInput;

use crate::ApiError;
use crate::dispatch::Scope;
use crate::events::EventsServices;
use crate::events::rule_shapes::RuleShape;
use crate::events::shapes::caller;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRulesRequest {
    /// `NamePrefix`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_prefix: Option<String>,
    /// `EventBusName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// `Limit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRulesResponse {
    /// `Rules`.
    pub rules: Vec<RuleShape>,
    /// `NextToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Handles one `ListRules` call.
///
/// # Errors
///
/// The EventBridge exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: EventsServices<'_>,
    scope: &Scope,
    request: ListRulesRequest,
) -> Result<ListRulesResponse, ApiError> {
    let page = services.rules.list_rules(
        &caller(scope),
        ListRulesInput {
            name_prefix: request.name_prefix,
            event_bus_name: request.event_bus_name,
            next_token: request.next_token,
            limit: request.limit,
        },
    )?;
    Ok(ListRulesResponse {
        rules: page.rules.into_iter().map(Into::into).collect(),
        next_token: page.next_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_list_has_only_rules() {
        assert_eq!(
            serde_json::to_string(&ListRulesResponse::default()).unwrap(),
            r#"{"Rules":[]}"#
        );
        let request: ListRulesRequest =
            serde_json::from_str(r#"{"NamePrefix":"a","Limit":5}"#).unwrap();
        assert_eq!(request.limit, Some(5));
        assert!(serde_json::from_str::<ListRulesRequest>(r#"{"Limit":"5"}"#).is_err());
    }
}
