//! CloudTrail Lake's registry (`spec/events-and-queries.md` §3.1, §3.2, §3.6.1): event
//! data stores and channels, every rule of their API operations, and their persistence.
//! Knows nothing of HTTP or AWS error shapes: refusals carry an [`ErrorKind`] named after
//! the AWS exception; `opentrail-api` turns them into wire errors. Event storage and SQL
//! live elsewhere: they read [`Lake::snapshot`] and follow [`Lake::subscribe`].
//!
//! - [`Lake`]: the registry (`stores.json` and `channels.json` in its folder), one method
//!   per operation taking a [`Caller`].
//! - [`EventDataStore`], [`Channel`]: checked values; [`StoreSnapshot`]: what the writer
//!   routes events with.
//! - Insights on event data stores: [`Lake::put_insight_selectors`] and
//!   [`Lake::get_insight_selectors`] keep a source store's [`InsightsConfiguration`];
//!   [`Lake::insights_configs`] lists, as [`StoreInsights`], the stores the Insights
//!   analyzer watches.
//! - KMS keys are accepted in every AWS form and echoed as ARNs, but OpenTrail does not
//!   encrypt with them (it has no KMS).
//!
//! ```
//! use std::sync::Arc;
//! use opentrail_lake::{Caller, CreateEventDataStoreInput, EventDataStoreStatus, Lake, LakeLimits};
//! use opentrail_types::{ManualClock, SeededIds, Timestamp};
//!
//! let dir = tempfile::tempdir()?;
//! let clock = Arc::new(ManualClock::new(Timestamp::from_secs(1_700_000_000)));
//! let lake = Lake::open(dir.path(), clock, Arc::new(SeededIds::new(1)), LakeLimits::default())?;
//! let caller = Caller { account_id: "111122223333".into(), region: "us-east-1".into() };
//! let input = CreateEventDataStoreInput { name: "audit".into(), ..Default::default() };
//! let store = lake.create_event_data_store(&caller, input)?;
//! assert_eq!(store.status, EventDataStoreStatus::Enabled);
//! assert_eq!(store.retention_period_days, 366);
//! lake.stop_event_data_store_ingestion(&caller, &store.id)?;
//! let again = lake.get_event_data_store(&caller, &store.arn)?;
//! assert_eq!(again.status, EventDataStoreStatus::StoppedIngestion);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod arns;
mod channels;
mod checks;
mod error;
mod insights;
mod lifecycle;
mod model;
mod persist;
mod registry;
mod resources;
mod stores;

pub use arns::{
    LakeResourceType, MAX_NAME_CHARS, MIN_NAME_CHARS, channel_arn, event_data_store_arn,
    lake_resource_type, validate_name,
};
pub use channels::{CreateChannelInput, MAX_DESTINATIONS, MAX_SOURCE_CHARS, UpdateChannelInput};
pub use checks::{
    MAX_CONTEXT_KEY_CHARS, MAX_CONTEXT_KEY_SELECTORS, MAX_CONTEXT_KEYS, MAX_RESOURCE_POLICY_CHARS,
    MAX_TAG_KEY_CHARS, MAX_TAG_VALUE_CHARS,
};
pub use error::{Error, ErrorKind, Result};
pub use insights::PutInsightSelectorsInput;
pub use model::{
    BillingMode, Caller, Channel, ChannelPage, ContextKeySelector, ContextKeySelectorInput,
    ContextKeyType, Destination, DestinationInput, DestinationType, EventConfiguration,
    EventDataStore, EventDataStoreInsightSelectors, EventDataStorePage, EventDataStoreStatus,
    IngestionAttempt, IngestionStatus, InsightsConfiguration, LakeLimits, MIN_RETENTION_DAYS,
    MaxEventSize, ResourceTags, StoreInsights, StoreKind, StoreSnapshot, Tag, TagInput,
};
pub use persist::{CHANNELS_FILE, STORES_FILE};
pub use registry::{ImportCheck, Lake};
pub use resources::PutEventConfigurationInput;
pub use stores::{
    CreateEventDataStoreInput, DEFAULT_SELECTOR_NAME, UpdateEventDataStoreInput, default_selectors,
};
