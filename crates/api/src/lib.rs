//! CloudTrail's wire API (AWS JSON 1.1, target prefix `CloudTrail_20131101`), and the
//! EventBridge rule API OpenTrail routes its events with ([`events`], target prefix
//! `AWSEvents`).
//!
//! Each operation lives in its own module under [`ops`], with its request and response
//! shapes exactly as the botocore service model names them (`rename_all = "PascalCase"`)
//! and its handler, which works without a socket. [`error`] is the one place where errors
//! become AWS error codes and HTTP statuses.
//!
//! ```
//! use opentrail_api::ops::lookup_events::LookupEventsRequest;
//!
//! let request: LookupEventsRequest = serde_json::from_str(
//!     r#"{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"ConsoleLogin"}],"MaxResults":10}"#,
//! )?;
//! let input = request.into_input();
//! assert_eq!(input.max_results, Some(10));
//! # Ok::<(), serde_json::Error>(())
//! ```
#![warn(missing_docs)]

pub mod dispatch;
pub mod error;
pub mod events;
pub mod operation;
pub mod ops;

pub use dispatch::{Scope, Services, call};
pub use error::{ApiError, ErrorCode};
pub use events::{
    EventsOperation, EventsServices, TARGET_PREFIX as EVENTS_TARGET_PREFIX, call_events,
};
pub use operation::{Operation, Status};
pub use ops::list_insights_metric_data::InsightMetrics;

/// The `X-Amz-Target` prefix of CloudTrail's control-plane operations.
pub const TARGET_PREFIX: &str = "CloudTrail_20131101";
/// The long form of the prefix that the AWS SDKs send.
pub const LONG_TARGET_PREFIX: &str = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101";
