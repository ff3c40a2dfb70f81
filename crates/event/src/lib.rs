//! The CloudTrail record model.
//!
//! [`Record`] gives typed access to every documented member of a CloudTrail record
//! (`spec/events-and-queries.md` §1) and keeps every member it does not know verbatim, so
//! parse → write → parse is lossless. Free-form members (`requestParameters`,
//! `responseElements`, ...) stay raw JSON text. [`Event`] is a record that passed the
//! checks of ingest: an `eventTime` that parses, the members its kind requires, sizes within
//! the limits of §1.8.
//!
//! ```
//! use opentrail_event::{Event, EventCategory, LookupFields, RecordLimits};
//!
//! let json = br#"{"eventVersion":"1.11","eventTime":"2026-03-04T17:05:21Z",
//!     "eventSource":"iam.amazonaws.com","eventName":"CreateUser",
//!     "userIdentity":{"type":"IAMUser","userName":"alice"},
//!     "requestParameters":{"userName":"build-bot"},"futureMember":[1]}"#;
//! let event = Event::parse(json, &RecordLimits::STANDARD)?;
//! assert_eq!(event.category(), EventCategory::Management);
//! assert_eq!(event.record().lookup_username(), Some("alice"));
//! assert!(String::from_utf8(event.to_json()).unwrap().ends_with(r#""futureMember":[1]}"#));
//! # Ok::<(), opentrail_event::ValidationError>(())
//! ```
#![warn(missing_docs)]

mod category;
mod lookup;
mod object;
mod record;
mod validate;

pub use category::EventCategory;
pub use lookup::{
    IdentityMember, IndexView, LookupFields, LookupKeys, LookupResource, derive_resources,
    derive_username,
};
pub use object::{Extra, MemberValue, RawJson};
pub use record::{
    Addendum, AttributionValue, InScopeOf, InsightAttribution, InsightAverage, InsightContext,
    InsightDetails, InsightStatistics, InvokedByDelegate, OnBehalfOf, Record, Resource,
    SessionAttributes, SessionContext, SessionIssuer, TlsDetails, UserIdentity,
    WebIdFederationData,
};
pub use validate::{
    Event, RecordLimits, ValidationError, ValidationErrorKind, parse_record, record_to_json,
};
