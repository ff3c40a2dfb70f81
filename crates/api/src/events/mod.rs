//! EventBridge's wire API (AWS JSON 1.1, target prefix `AWSEvents`): the rule and target
//! operations of the default event bus, on which OpenTrail routes its audit events.
//!
//! [`EventsOperation`] names every operation of the model; [`call_events`] runs one with
//! its JSON body. Each served operation lives in its own module, with its request and
//! response shapes as botocore names them (`events/2015-10-07`) and its handler; the
//! semantics (limits, checks, EventBridge's refusals) live in `opentrail-rules`. Errors
//! become AWS error codes in [`crate::error`], as for CloudTrail.
//!
//! ```
//! use opentrail_api::events::{EventsOperation, EventsServices, call_events};
//! use opentrail_api::Scope;
//! use opentrail_rules::RuleStore;
//! use opentrail_types::Timestamp;
//!
//! let dir = tempfile::tempdir()?;
//! let rules = RuleStore::open(dir.path())?;
//! let services = EventsServices { rules: &rules, api_destinations: &[], now: Timestamp::EPOCH };
//! let scope = Scope { account_id: "111122223333".into(), region: "us-east-1".into() };
//! let operation = EventsOperation::from_target(Some("AWSEvents.PutRule"))?;
//! let body = call_events(services, &scope, operation, br#"{"Name":"r","EventPattern":"{\"source\":[\"aws.iam\"]}"}"#)?;
//! assert_eq!(body, br#"{"RuleArn":"arn:aws:events:us-east-1:111122223333:rule/r"}"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod dispatch;
pub mod operation;
pub mod rule_shapes;
pub mod shapes;

pub mod delete_rule;
pub mod describe_rule;
pub mod disable_rule;
pub mod enable_rule;
pub mod list_rule_names_by_target;
pub mod list_rules;
pub mod list_tags_for_resource;
pub mod list_targets_by_rule;
pub mod put_rule;
pub mod put_targets;
pub mod remove_targets;
pub mod tag_resource;
pub mod test_event_pattern;
pub mod untag_resource;

pub use dispatch::{EventsServices, call_events};
pub use operation::{EventsOperation, EventsStatus, TARGET_PREFIX};
