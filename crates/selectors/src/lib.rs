//! Event selectors (`spec/trails-and-integrity.md` §5): the basic and advanced selectors
//! of trails, their validation, and the evaluation that decides what a trail receives.
//!
//! - [`model`]: the wire shapes (`EventSelectors`, `AdvancedEventSelectors`) and
//!   [`SelectorConfig`], what a trail has in force.
//! - [`from_put_request`] and [`validate_for_trail`]: turn a `PutEventSelectors` /
//!   `CreateTrail` request into the stored, normalised configuration, or an
//!   [`Error`] of kind [`ErrorKind::InvalidEventSelectors`] whose text is the AWS-style
//!   message for `InvalidEventSelectorsException`.
//! - [`validate_for_event_data_store`]: the same for an event data store's advanced
//!   selectors (`spec/events-and-queries.md` §3.2), returning the
//!   [`EventDataStoreKind`] they describe.
//! - [`NetworkSources`]: the event sources network activity selectors may name.
//! - [`EventView`]: the few record fields selectors read, parsed without copying.
//! - [`CompiledSelectors`]: a configuration prepared for per-event evaluation.
//! - [`insights`]: Insights selectors ([`InsightType`], [`InsightSelector`],
//!   [`parse_insight_selectors`]), shared by trails and event data stores.
//!
//! ```
//! use opentrail_selectors::{
//!     AdvancedEventSelector, AdvancedFieldSelector, CompiledSelectors, EventView,
//!     NetworkSources, from_put_request, validate_for_trail,
//! };
//!
//! let condition = |field: &str, equals: &str| AdvancedFieldSelector {
//!     field: field.to_owned(),
//!     equals: Some(vec![equals.to_owned()]),
//!     ..AdvancedFieldSelector::default()
//! };
//! let selectors = vec![AdvancedEventSelector {
//!     name: Some("S3 access denied at endpoints".to_owned()),
//!     field_selectors: vec![
//!         condition("eventCategory", "NetworkActivity"),
//!         condition("eventSource", "s3.amazonaws.com"),
//!         condition("errorCode", "VpceAccessDenied"),
//!     ],
//! }];
//! let request = from_put_request(None, Some(selectors))?;
//! let config = validate_for_trail(request, &NetworkSources::default())?;
//! let compiled = CompiledSelectors::new(&config);
//!
//! let record = br#"{"eventCategory":"NetworkActivity","eventType":"AwsVpceEvent",
//!     "eventSource":"s3.amazonaws.com","eventName":"GetObject","errorCode":"VpceAccessDenied"}"#;
//! assert!(compiled.matches(&EventView::parse(record)?));
//! # Ok::<(), opentrail_selectors::Error>(())
//! ```
#![warn(missing_docs)]

mod advanced;
mod arn;
mod basic;
mod compiled;
mod eds;
mod error;
mod field;
pub mod insights;
pub mod model;
mod sources;
mod view;

pub use compiled::CompiledSelectors;
pub use eds::{EventDataStoreKind, MAX_EVENT_DATA_STORE_SELECTORS, validate_for_event_data_store};
pub use error::{Error, ErrorKind, Result};
pub use insights::{
    InsightSelector, InsightSelectorInput, InsightType, SourceEventCategory,
    advanced_selectors_log_data_events, advanced_selectors_log_management_events,
    parse_insight_selectors,
};
pub use model::{
    AdvancedEventSelector, AdvancedFieldSelector, DataResource, EventSelector, ReadWriteType,
    SelectorConfig,
};
pub use sources::{DEFAULT_NETWORK_ACTIVITY_SERVICES, NetworkSources};
pub use view::{EventResource, EventView};

/// Builds the configuration a `PutEventSelectors` (or `CreateTrail`) request asks for.
///
/// Exactly one of the two lists must be given (§5.3); the result still needs
/// [`validate_for_trail`].
///
/// # Errors
///
/// [`ErrorKind::InvalidEventSelectors`] when both lists or neither are given.
pub fn from_put_request(
    event_selectors: Option<Vec<EventSelector>>,
    advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
) -> Result<SelectorConfig> {
    match (event_selectors, advanced_event_selectors) {
        (Some(basic), None) => Ok(SelectorConfig::Basic(basic)),
        (None, Some(advanced)) => Ok(SelectorConfig::Advanced(advanced)),
        (Some(_), Some(_)) => Err(Error::invalid(
            "You can't specify both EventSelectors and AdvancedEventSelectors in the same request. Specify one or the other.",
        )),
        (None, None) => Err(Error::invalid(
            "You must specify either EventSelectors or AdvancedEventSelectors.",
        )),
    }
}

/// Checks `config` against every rule of §5 and the selector limits of §4.2 for a trail, and
/// returns the form to store and to echo in GetEventSelectors.
///
/// Basic selectors get their defaults filled in (`ReadWriteType` `All`,
/// `IncludeManagementEvents` true, `DataResources` and `ExcludeManagementEventSources`
/// empty); advanced selectors are kept as given. Normalising twice gives the same result.
/// Network activity selectors may name only an event source of `sources`.
///
/// # Errors
///
/// [`ErrorKind::InvalidEventSelectors`], with a message naming the first rule broken.
pub fn validate_for_trail(
    config: SelectorConfig,
    sources: &NetworkSources,
) -> Result<SelectorConfig> {
    match config {
        SelectorConfig::Basic(selectors) => {
            basic::validate_basic_selectors(selectors).map(SelectorConfig::Basic)
        }
        SelectorConfig::Advanced(selectors) => {
            advanced::validate_advanced_selectors(&selectors, sources)?;
            Ok(SelectorConfig::Advanced(selectors))
        }
    }
}
