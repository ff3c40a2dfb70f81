//! Every operation of EventBridge's API (`AWSEvents`), how a request names it
//! (`X-Amz-Target: AWSEvents.<Operation>`), whether it only reads, and whether OpenTrail
//! serves it.
//!
//! OpenTrail serves the rule and target operations of the default event bus. Every other
//! operation of the model is known and answered with `UnsupportedOperationException`
//! saying why; EventBridge has no exception for "not offered here" (its
//! `OperationDisabledException` means "not available in this Region" and is modeled only
//! on a few operations), so OpenTrail uses the code its CloudTrail side already uses for
//! the same situation.

use crate::operation::{operation_from_target, operation_table};
use crate::{ApiError, ErrorCode};

/// The `X-Amz-Target` prefix of EventBridge's operations (botocore model
/// `events/2015-10-07`, `targetPrefix`).
pub const TARGET_PREFIX: &str = "AWSEvents";

/// Where OpenTrail stands on an EventBridge operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventsStatus {
    /// Served for real.
    Implemented,
    /// Answered with `UnsupportedOperationException`; the text says why OpenTrail does
    /// not offer it.
    Unsupported(&'static str),
}

const IMPLEMENTED: EventsStatus = EventsStatus::Implemented;

const EVENTS: EventsStatus = EventsStatus::Unsupported(
    "routes CloudTrail's own audit events to rules; it accepts no events from clients",
);
const BUSES: EventsStatus = EventsStatus::Unsupported(
    "has only each account's default event bus, which receives the CloudTrail events",
);
const DESTINATIONS: EventsStatus = EventsStatus::Unsupported(
    "defines API destinations in the server's configuration (`[[rules.api_destinations]]`), not through the API",
);
const CONNECTIONS: EventsStatus = EventsStatus::Unsupported(
    "has no connections: the authorization of an API destination is part of the server's configuration",
);
const ARCHIVES: EventsStatus = EventsStatus::Unsupported(
    "keeps no event archive and replays nothing; past events are in CloudTrail event history and Lake",
);
const ENDPOINTS: EventsStatus =
    EventsStatus::Unsupported("has no global endpoints: it runs in one place");
const PARTNERS: EventsStatus = EventsStatus::Unsupported("has no partner event sources");
const PERMISSIONS: EventsStatus = EventsStatus::Unsupported(
    "delivers no events between accounts, so its event bus takes no permissions",
);

operation_table! {
    /// An EventBridge operation (botocore model `events/2015-10-07`).
    pub enum EventsOperation, status EventsStatus;

    ActivateEventSource: Write, PARTNERS;
    CancelReplay: Write, ARCHIVES;
    CreateApiDestination: Write, DESTINATIONS;
    CreateArchive: Write, ARCHIVES;
    CreateConnection: Write, CONNECTIONS;
    CreateEndpoint: Write, ENDPOINTS;
    CreateEventBus: Write, BUSES;
    CreatePartnerEventSource: Write, PARTNERS;
    DeactivateEventSource: Write, PARTNERS;
    DeauthorizeConnection: Write, CONNECTIONS;
    DeleteApiDestination: Write, DESTINATIONS;
    DeleteArchive: Write, ARCHIVES;
    DeleteConnection: Write, CONNECTIONS;
    DeleteEndpoint: Write, ENDPOINTS;
    DeleteEventBus: Write, BUSES;
    DeletePartnerEventSource: Write, PARTNERS;
    DeleteRule: Write, IMPLEMENTED;
    DescribeApiDestination: Read, DESTINATIONS;
    DescribeArchive: Read, ARCHIVES;
    DescribeConnection: Read, CONNECTIONS;
    DescribeEndpoint: Read, ENDPOINTS;
    DescribeEventBus: Read, BUSES;
    DescribeEventSource: Read, PARTNERS;
    DescribePartnerEventSource: Read, PARTNERS;
    DescribeReplay: Read, ARCHIVES;
    DescribeRule: Read, IMPLEMENTED;
    DisableRule: Write, IMPLEMENTED;
    EnableRule: Write, IMPLEMENTED;
    ListApiDestinations: Read, DESTINATIONS;
    ListArchives: Read, ARCHIVES;
    ListConnections: Read, CONNECTIONS;
    ListEndpoints: Read, ENDPOINTS;
    ListEventBuses: Read, BUSES;
    ListEventSources: Read, PARTNERS;
    ListPartnerEventSourceAccounts: Read, PARTNERS;
    ListPartnerEventSources: Read, PARTNERS;
    ListReplays: Read, ARCHIVES;
    ListRuleNamesByTarget: Read, IMPLEMENTED;
    ListRules: Read, IMPLEMENTED;
    ListTagsForResource: Read, IMPLEMENTED;
    ListTargetsByRule: Read, IMPLEMENTED;
    PutEvents: Write, EVENTS;
    PutPartnerEvents: Write, PARTNERS;
    PutPermission: Write, PERMISSIONS;
    PutRule: Write, IMPLEMENTED;
    PutTargets: Write, IMPLEMENTED;
    RemovePermission: Write, PERMISSIONS;
    RemoveTargets: Write, IMPLEMENTED;
    StartReplay: Write, ARCHIVES;
    TagResource: Write, IMPLEMENTED;
    TestEventPattern: Read, IMPLEMENTED;
    UntagResource: Write, IMPLEMENTED;
    UpdateApiDestination: Write, DESTINATIONS;
    UpdateArchive: Write, ARCHIVES;
    UpdateConnection: Write, CONNECTIONS;
    UpdateEndpoint: Write, ENDPOINTS;
    UpdateEventBus: Write, BUSES;
}

impl EventsOperation {
    /// Reads the operation from an `X-Amz-Target` value: `AWSEvents.<Operation>`.
    ///
    /// # Errors
    ///
    /// `UnknownOperationException` for a missing target, another service's prefix or an
    /// operation EventBridge does not have.
    pub fn from_target(target: Option<&str>) -> Result<EventsOperation, ApiError> {
        operation_from_target(target, &[TARGET_PREFIX], EventsOperation::from_name)
    }

    /// The error an operation OpenTrail does not serve answers with.
    pub fn unsupported_error(self) -> Option<ApiError> {
        match self.status() {
            EventsStatus::Implemented => None,
            EventsStatus::Unsupported(reason) => Some(ApiError::new(
                ErrorCode::UnsupportedOperationException,
                format!(
                    "{} is not supported by OpenTrail: OpenTrail {reason}. It serves the \
                     EventBridge rule and target operations of the default event bus \
                     (see docs/compatibility.md).",
                    self.name()
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_name_the_operation() {
        assert_eq!(
            EventsOperation::from_target(Some("AWSEvents.PutRule")).unwrap(),
            EventsOperation::PutRule
        );
        assert_eq!(
            EventsOperation::from_target(Some("AWSEvents.PutEvents")).unwrap(),
            EventsOperation::PutEvents
        );
        for target in [
            None,
            Some("AWSEvents.Frobnicate"),
            Some("AWSEvents"),
            Some("AWSEventsPutRule"),
            Some("CloudTrail_20131101.LookupEvents"),
            Some("awsevents.PutRule"),
            Some(""),
        ] {
            let error = EventsOperation::from_target(target).unwrap_err();
            assert_eq!(
                error.code,
                ErrorCode::UnknownOperationException,
                "{target:?}"
            );
        }
    }

    #[test]
    fn the_table_has_every_model_operation_once() {
        assert_eq!(EventsOperation::ALL.len(), 57);
        let implemented: Vec<&str> = EventsOperation::ALL
            .iter()
            .filter(|operation| operation.status() == EventsStatus::Implemented)
            .map(|operation| operation.name())
            .collect();
        assert_eq!(
            implemented,
            [
                "DeleteRule",
                "DescribeRule",
                "DisableRule",
                "EnableRule",
                "ListRuleNamesByTarget",
                "ListRules",
                "ListTagsForResource",
                "ListTargetsByRule",
                "PutRule",
                "PutTargets",
                "RemoveTargets",
                "TagResource",
                "TestEventPattern",
                "UntagResource",
            ]
        );
        for operation in EventsOperation::ALL {
            assert_eq!(
                EventsOperation::from_name(operation.name()),
                Some(*operation)
            );
            let reads = operation.name().starts_with("Describe")
                || operation.name().starts_with("List")
                || *operation == EventsOperation::TestEventPattern;
            assert_eq!(operation.is_read_only(), reads, "{operation}");
        }
        let error = EventsOperation::PutEvents.unsupported_error().unwrap();
        assert_eq!(error.code, ErrorCode::UnsupportedOperationException);
        assert!(
            error
                .message
                .starts_with("PutEvents is not supported by OpenTrail")
        );
        assert!(EventsOperation::PutRule.unsupported_error().is_none());
    }
}
