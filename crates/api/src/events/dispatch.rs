//! One entry point for every EventBridge operation: the body in, the response body out.
//! Works without a socket; the server adds transport, SigV4 (signing name `events`) and
//! self-audit.

use opentrail_rules::RuleStore;
use opentrail_types::Timestamp;

use crate::dispatch::{Scope, empty_as_object, run};
use crate::events::operation::EventsOperation;
use crate::events::{
    delete_rule, describe_rule, disable_rule, enable_rule, list_rule_names_by_target, list_rules,
    list_tags_for_resource, list_targets_by_rule, put_rule, put_targets, remove_targets,
    tag_resource, test_event_pattern, untag_resource,
};
use crate::{ApiError, ErrorCode};

/// The parts of OpenTrail the EventBridge operations work on.
#[derive(Debug, Clone, Copy)]
pub struct EventsServices<'a> {
    /// The rule store.
    pub rules: &'a RuleStore,
    /// The names of the API destinations the server configures
    /// (`[[rules.api_destinations]]`): the only `api-destination` ARNs a target may name.
    pub api_destinations: &'a [String],
    /// The time of the call.
    pub now: Timestamp,
}

/// Runs the EventBridge `operation` with the JSON `body` for a caller limited to `scope`;
/// returns the response body (a JSON object).
///
/// An empty body counts as `{}`. Members a request shape does not know are ignored, as
/// AWS does; a member of the wrong JSON type is a `SerializationException`; a missing
/// required member is a `ValidationException` naming it, as EventBridge answers.
///
/// # Errors
///
/// `SerializationException` for a body that is not the operation's JSON shape,
/// `UnsupportedOperationException` for the EventBridge operations OpenTrail does not
/// serve, and the operation's own exceptions.
pub fn call_events(
    services: EventsServices<'_>,
    scope: &Scope,
    operation: EventsOperation,
    body: &[u8],
) -> Result<Vec<u8>, ApiError> {
    if let Some(error) = operation.unsupported_error() {
        return Err(error);
    }
    let body = empty_as_object(body);
    match operation {
        EventsOperation::PutRule => run(body, |request| put_rule::handle(services, scope, request)),
        EventsOperation::DescribeRule => run(body, |request| {
            describe_rule::handle(services, scope, request)
        }),
        EventsOperation::ListRules => {
            run(body, |request| list_rules::handle(services, scope, request))
        }
        EventsOperation::DeleteRule => run(body, |request| {
            delete_rule::handle(services, scope, request)
        }),
        EventsOperation::EnableRule => run(body, |request| {
            enable_rule::handle(services, scope, request)
        }),
        EventsOperation::DisableRule => run(body, |request| {
            disable_rule::handle(services, scope, request)
        }),
        EventsOperation::PutTargets => run(body, |request| {
            put_targets::handle(services, scope, request)
        }),
        EventsOperation::RemoveTargets => run(body, |request| {
            remove_targets::handle(services, scope, request)
        }),
        EventsOperation::ListTargetsByRule => run(body, |request| {
            list_targets_by_rule::handle(services, scope, request)
        }),
        EventsOperation::ListRuleNamesByTarget => run(body, |request| {
            list_rule_names_by_target::handle(services, scope, request)
        }),
        EventsOperation::TestEventPattern => run(body, test_event_pattern::handle),
        EventsOperation::TagResource => run(body, |request| {
            tag_resource::handle(services, scope, request)
        }),
        EventsOperation::UntagResource => run(body, |request| {
            untag_resource::handle(services, scope, request)
        }),
        EventsOperation::ListTagsForResource => run(body, |request| {
            list_tags_for_resource::handle(services, scope, request)
        }),
        other => Err(ApiError::new(
            ErrorCode::InternalFailure,
            format!("{other} is marked implemented but has no handler"),
        )),
    }
}
