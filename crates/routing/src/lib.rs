//! EventBridge-style routing of audit events to rule targets
//! (`spec/events-and-queries.md` §5): the envelope every routed record is wrapped in, the
//! input a target receives, and the delivery of one event to one target.
//!
//! - [`envelope()`] wraps one CloudTrail record into an [`Envelope`] (format, `id` and
//!   size limit documented in [`envelope`](mod@envelope)).
//! - [`render`] applies a target's `Input`, `InputPath` or `InputTransformer` (rules in
//!   [`input`]).
//! - [`Deliverer::deliver`] sends a [`Job`] to a webhook, an API destination, a file or
//!   standard output, retries with exponential backoff and full jitter within the target's
//!   retry policy, and writes what it gives up on to a dead-letter file before returning
//!   ([`Outcome`]).
//!
//! The router (a journal consumer in the server) matches each event against the rules,
//! then calls [`Deliverer::deliver`] once per matched target.
//!
//! ```
//! use opentrail_routing::{RuleRef, envelope, render};
//!
//! let record = br#"{"eventVersion":"1.11","eventTime":"2026-03-04T17:05:21Z",
//!     "eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1",
//!     "eventID":"9f3a7c1e-4b2d-4e8f-a6c5-1d0e2f3b4a59","readOnly":false,
//!     "eventType":"AwsApiCall","managementEvent":true,
//!     "recipientAccountId":"210987654321","eventCategory":"Management"}"#;
//! let wrapped = envelope(record).unwrap();
//! assert_eq!(wrapped.source(), "aws.iam");
//! assert_eq!(wrapped.detail_type(), "AWS API Call via CloudTrail");
//!
//! let target: opentrail_rules::Target = serde_json::from_str(
//!     r#"{"id":"t1","arn":"stdout:","input_path":"$.detail.eventName"}"#,
//! ).unwrap();
//! let rule = RuleRef {
//!     name: "iam-changes".into(),
//!     arn: "arn:aws:events:us-east-1:210987654321:rule/iam-changes".into(),
//! };
//! assert_eq!(render(&target, &wrapped, &rule).unwrap(), br#""CreateUser""#);
//! ```
#![warn(missing_docs)]

mod config;
mod deliver;
pub mod envelope;
mod error;
pub mod events;
mod files;
pub mod input;
mod job;
mod raw;
mod send;

pub use config::{ApiDestination, TargetsConfig};
pub use deliver::Deliverer;
pub use envelope::{Envelope, EnvelopeError, EnvelopeErrorKind, MAX_EVENT_BYTES, envelope};
pub use error::{Error, ErrorKind, Result};
pub use input::{InputError, RuleRef, render, render_at};
pub use job::{DeadLetterReason, Job, Outcome};
pub use send::{
    HEADER_EVENT_ID, HEADER_RULE, HEADER_SIGNATURE, HEADER_TIMESTAMP, WEBHOOK_USER_AGENT, sign,
};
