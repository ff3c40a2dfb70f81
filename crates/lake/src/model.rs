//! The checked values the registry stores and hands out: [`EventDataStore`], [`Channel`],
//! their enums, tags, event configuration, Insights configuration and ingestion status.

use serde::{Deserialize, Serialize};

use opentrail_selectors::{AdvancedEventSelector, InsightSelector, InsightType};
use opentrail_types::Timestamp;

/// Who is calling: the account whose stores and channels are visible, and the region
/// the call is made in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The caller's 12-digit account.
    pub account_id: String,
    /// The region the call is made in (`us-east-1`).
    pub region: String,
}

/// Limits of the registry. `Default` gives AWS's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LakeLimits {
    /// Event data stores per account and region (the store's home region), every
    /// lifecycle state counted. Default 10.
    pub event_data_stores_per_region: usize,
    /// Channels per account and region. Default 25.
    pub channels_per_region: usize,
    /// Tags per event data store or channel. Default 50.
    pub tags_per_resource: usize,
    /// Page size of ListEventDataStores and ListChannels when `MaxResults` is absent.
    /// Default 1000 (the largest `MaxResults`; AWS does not document its default).
    pub default_page_size: usize,
    /// Resource ARNs per `ListTags` call. Default 20.
    pub list_tags_resources: usize,
    /// Days a deleted store stays `PENDING_DELETION` (restorable) before it is purged.
    /// Default 7.
    pub deletion_wait_days: i64,
}

impl Default for LakeLimits {
    fn default() -> LakeLimits {
        LakeLimits {
            event_data_stores_per_region: 10,
            channels_per_region: 25,
            tags_per_resource: 50,
            default_page_size: 1000,
            list_tags_resources: 20,
            deletion_wait_days: 7,
        }
    }
}

/// `EventDataStoreStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventDataStoreStatus {
    /// Just created (OpenTrail moves on to `ENABLED` at once and never reports it).
    Created,
    /// Ingesting.
    Enabled,
    /// Deleted, restorable until purged.
    PendingDeletion,
    /// On its way to `ENABLED` (never reported: transitions are instant here).
    StartingIngestion,
    /// On its way to `STOPPED_INGESTION` (never reported: transitions are instant here).
    StoppingIngestion,
    /// Not ingesting; still queryable.
    StoppedIngestion,
}

impl EventDataStoreStatus {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            EventDataStoreStatus::Created => "CREATED",
            EventDataStoreStatus::Enabled => "ENABLED",
            EventDataStoreStatus::PendingDeletion => "PENDING_DELETION",
            EventDataStoreStatus::StartingIngestion => "STARTING_INGESTION",
            EventDataStoreStatus::StoppingIngestion => "STOPPING_INGESTION",
            EventDataStoreStatus::StoppedIngestion => "STOPPED_INGESTION",
        }
    }
}

/// `BillingMode`: decides the retention range and default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BillingMode {
    /// Retention 7–3653 days, default 366.
    ExtendableRetentionPricing,
    /// Retention 7–2557 days, default 2557.
    FixedRetentionPricing,
}

impl BillingMode {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            BillingMode::ExtendableRetentionPricing => "EXTENDABLE_RETENTION_PRICING",
            BillingMode::FixedRetentionPricing => "FIXED_RETENTION_PRICING",
        }
    }

    /// Parses the wire name.
    pub fn from_wire(text: &str) -> Option<BillingMode> {
        [
            BillingMode::ExtendableRetentionPricing,
            BillingMode::FixedRetentionPricing,
        ]
        .into_iter()
        .find(|mode| mode.as_str() == text)
    }

    /// The longest retention the mode allows, in days.
    pub const fn max_retention_days(self) -> u32 {
        match self {
            BillingMode::ExtendableRetentionPricing => 3653,
            BillingMode::FixedRetentionPricing => 2557,
        }
    }

    /// The retention a new store of this mode gets, in days.
    pub const fn default_retention_days(self) -> u32 {
        match self {
            BillingMode::ExtendableRetentionPricing => 366,
            BillingMode::FixedRetentionPricing => 2557,
        }
    }
}

/// The shortest retention, in days, whatever the billing mode.
pub const MIN_RETENTION_DAYS: u32 = 7;

/// The kind of event a store holds, from the `eventCategory` of its selectors; it decides
/// the store's SQL schema and never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StoreKind {
    /// Management, data and network activity events.
    CloudTrailEvents,
    /// Insights events.
    Insight,
    /// Events from outside AWS, through channels.
    ActivityAuditLog,
}

/// A tag of a store or channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// 1–128 characters, unique on the resource.
    pub key: String,
    /// 1–256 characters, or none.
    pub value: Option<String>,
}

/// One `TagsList[]` element as received, unchecked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagInput {
    /// `Key`.
    pub key: String,
    /// `Value`.
    pub value: Option<String>,
}

/// `MaxEventSize` of the event configuration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MaxEventSize {
    /// Up to 256 KB (the default).
    #[default]
    Standard,
    /// Up to 1 MB; required for context key selectors.
    Large,
}

impl MaxEventSize {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            MaxEventSize::Standard => "Standard",
            MaxEventSize::Large => "Large",
        }
    }
}

/// `Type` of a context key selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ContextKeyType {
    /// Resource tags.
    TagContext,
    /// IAM request context keys.
    RequestContext,
}

impl ContextKeyType {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ContextKeyType::TagContext => "TagContext",
            ContextKeyType::RequestContext => "RequestContext",
        }
    }
}

/// A checked context key selector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextKeySelector {
    /// `Type`.
    pub selector_type: ContextKeyType,
    /// `Equals`: 1–50 keys of 1–128 characters.
    pub equals: Vec<String>,
}

/// One `ContextKeySelectors[]` element as received, unchecked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContextKeySelectorInput {
    /// `Type`.
    pub selector_type: String,
    /// `Equals`.
    pub equals: Vec<String>,
}

/// A store's event configuration (PutEventConfiguration). Stored and echoed; the Lake
/// writer reads it to size and enrich events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventConfiguration {
    /// `MaxEventSize`.
    pub max_event_size: MaxEventSize,
    /// `ContextKeySelectors` (at most 2, one per type).
    pub context_key_selectors: Vec<ContextKeySelector>,
}

/// An event data store as CloudTrail's API shows it, plus its lifecycle. Always valid:
/// only the registry makes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EventDataStore {
    /// The lower-case UUID: the last part of the ARN and the SQL table name.
    pub id: String,
    /// `arn:aws:cloudtrail:<home region>:<account>:eventdatastore/<id>`.
    pub arn: String,
    /// 3–128 characters, unique per account and home region.
    pub name: String,
    /// The owning account.
    pub account_id: String,
    /// The region it was created in.
    pub home_region: String,
    /// The kind of event it holds.
    pub kind: StoreKind,
    /// The selectors in force, as given (or the default management selector).
    pub advanced_event_selectors: Vec<AdvancedEventSelector>,
    /// Whether it collects events of every region (and is visible from every region).
    pub multi_region_enabled: bool,
    /// Always `false`: OpenTrail has no AWS Organizations.
    pub organization_enabled: bool,
    /// Retention in days, measured on `eventTime`.
    pub retention_period_days: u32,
    /// Whether DeleteEventDataStore is refused.
    pub termination_protection_enabled: bool,
    /// The KMS key, as a key or alias ARN. OpenTrail does not encrypt with it: it is kept
    /// and echoed, and can be set once but never changed or removed, as on AWS.
    pub kms_key_id: Option<String>,
    /// The billing mode (decides the retention range).
    pub billing_mode: BillingMode,
    /// The lifecycle status.
    pub status: EventDataStoreStatus,
    /// While `PENDING_DELETION`: the status RestoreEventDataStore goes back to.
    pub status_before_deletion: Option<EventDataStoreStatus>,
    /// When DeleteEventDataStore ran (while `PENDING_DELETION`).
    #[serde(with = "opentrail_types::serde_millis::option")]
    pub deleted_at: Option<Timestamp>,
    /// Tags, in the order they were first added.
    pub tags: Vec<Tag>,
    /// The event configuration.
    pub event_configuration: EventConfiguration,
    /// The resource policy (a JSON object as text), if one is set.
    pub resource_policy: Option<String>,
    /// Insights on this store's management events (PutInsightSelectors with this store as
    /// `EventDataStore`); `None` while Insights is off. Not shown by GetEventDataStore or
    /// ListEventDataStores, as on AWS. Absent in files written before Insights existed.
    #[serde(default)]
    pub insights: Option<InsightsConfiguration>,
    /// When it was created.
    #[serde(with = "opentrail_types::serde_millis")]
    pub created: Timestamp,
    /// When it last changed.
    #[serde(with = "opentrail_types::serde_millis")]
    pub updated: Timestamp,
}

/// The Insights configuration of a source event data store, as `stores.json` keeps it:
/// `{"insight_selectors": [InsightSelector...], "insights_destination": "<ARN>",
/// "enabled_at": <epoch ms>}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsightsConfiguration {
    /// The Insights selectors in force: never empty (an empty list turns Insights off,
    /// and the configuration is removed). Only `Management` categories.
    pub insight_selectors: Vec<InsightSelector>,
    /// The ARN of the destination store (of kind [`StoreKind::Insight`], same account).
    /// Kept as it was when the destination is deleted: GetInsightSelectors still shows
    /// it, and [`crate::Lake::insights_configs`] leaves the source out until a new
    /// destination is set.
    pub insights_destination: String,
    /// When Insights was last turned on (from off) for this store.
    #[serde(with = "opentrail_types::serde_millis")]
    pub enabled_at: Timestamp,
}

/// What PutInsightSelectors and GetInsightSelectors answer for an event data store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDataStoreInsightSelectors {
    /// `EventDataStoreArn`: the source store's ARN.
    pub event_data_store_arn: String,
    /// `InsightsDestination`: the destination store's ARN.
    pub insights_destination: String,
    /// `InsightSelectors` (empty after PutInsightSelectors turned Insights off).
    pub insight_selectors: Vec<InsightSelector>,
}

/// One source event data store with Insights on, for the Insights analyzer
/// ([`crate::Lake::insights_configs`]): which store's management events to analyze, for
/// which Insights types, and which store receives the Insights events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreInsights {
    /// The source store's ARN (the `insightSource` of the Insights records in Lake,
    /// `spec/events-and-queries.md` §4.5).
    pub source_store_arn: String,
    /// The source store's ID (its SQL table name).
    pub source_store_id: String,
    /// The account owning both stores.
    pub account_id: String,
    /// The source store's home region.
    pub home_region: String,
    /// Whether the source store collects events of every region (else only its home
    /// region's). Analysis is per region (§4.1).
    pub multi_region: bool,
    /// The destination store's ID (its SQL table name).
    pub destination_store_id: String,
    /// The destination store's ARN.
    pub destination_store_arn: String,
    /// The Insights types to detect, each on management events; never empty, no repeats.
    pub insight_types: Vec<InsightType>,
    /// When Insights was last turned on for the source store: the baseline is built
    /// from the 28 days before (§4.2).
    pub enabled_at: Timestamp,
}

impl EventDataStore {
    /// Whether a caller in `region` sees it (at home, or everywhere when multi-region).
    pub fn is_visible_in(&self, region: &str) -> bool {
        self.home_region == region || self.multi_region_enabled
    }

    /// Whether it is pending deletion.
    pub fn is_pending_deletion(&self) -> bool {
        self.status == EventDataStoreStatus::PendingDeletion
    }
}

/// What the Lake writer needs to know of one store to route events into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreSnapshot {
    /// The store's ID (the SQL table name).
    pub id: String,
    /// Its ARN.
    pub arn: String,
    /// The owning account: only its events enter.
    pub account_id: String,
    /// Its home region.
    pub home_region: String,
    /// Whether events of every region enter (else only those of the home region).
    pub multi_region_enabled: bool,
    /// The kind of event it holds.
    pub kind: StoreKind,
    /// The selectors deciding which events enter.
    pub advanced_event_selectors: Vec<AdvancedEventSelector>,
    /// The status: only `ENABLED` stores ingest live events.
    pub status: EventDataStoreStatus,
    /// Retention in days, on `eventTime`.
    pub retention_period_days: u32,
    /// When it was created.
    pub created: Timestamp,
}

impl StoreSnapshot {
    /// Whether live events enter it now.
    pub fn is_ingesting(&self) -> bool {
        self.status == EventDataStoreStatus::Enabled
    }
}

/// One page of `ListEventDataStores`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDataStorePage {
    /// The stores of the page, ordered by ARN.
    pub event_data_stores: Vec<EventDataStore>,
    /// The token of the next page, if there is one.
    pub next_token: Option<String>,
}

/// `DestinationType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DestinationType {
    /// An event data store.
    EventDataStore,
    /// A service-linked channel's AWS service (never made by users).
    AwsService,
}

impl DestinationType {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            DestinationType::EventDataStore => "EVENT_DATA_STORE",
            DestinationType::AwsService => "AWS_SERVICE",
        }
    }
}

/// A checked channel destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destination {
    /// `Type`: always `EVENT_DATA_STORE` for channels made through the API.
    pub destination_type: DestinationType,
    /// `Location`: the destination store's ARN (an ID given on the wire is stored as
    /// the ARN).
    pub location: String,
}

/// One `Destinations[]` element as received, unchecked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DestinationInput {
    /// `Type`.
    pub destination_type: String,
    /// `Location`: a store ARN or ID.
    pub location: String,
}

/// `IngestionStatus` of a channel, updated by every PutAuditEvents call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestionStatus {
    /// Last attempt that succeeded.
    #[serde(default, with = "opentrail_types::serde_millis::option")]
    pub latest_ingestion_success_time: Option<Timestamp>,
    /// Event ID of the last success.
    #[serde(default)]
    pub latest_ingestion_success_event_id: Option<String>,
    /// Error code of the last failed attempt; cleared by a success.
    #[serde(default)]
    pub latest_ingestion_error_code: Option<String>,
    /// Last attempt, successful or not.
    #[serde(default, with = "opentrail_types::serde_millis::option")]
    pub latest_ingestion_attempt_time: Option<Timestamp>,
    /// Event ID of the last attempt.
    #[serde(default)]
    pub latest_ingestion_attempt_event_id: Option<String>,
}

/// One ingestion attempt, as the PutAuditEvents path reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestionAttempt {
    /// When it happened.
    pub time: Timestamp,
    /// The event ID the store assigned (or would have); `None` when the whole call
    /// failed before any event got one.
    pub event_id: Option<String>,
    /// `None` for a success, else the error code (`InvalidChecksum`, ...).
    pub error_code: Option<String>,
}

/// A channel: a source of events from outside AWS and the stores its events go to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Channel {
    /// The lower-case UUID, last part of the ARN.
    pub id: String,
    /// `arn:aws:cloudtrail:<region>:<account>:channel/<id>`.
    pub arn: String,
    /// 3–128 characters, unique per account and region.
    pub name: String,
    /// The owning account.
    pub account_id: String,
    /// The region it lives in (channels are regional).
    pub region: String,
    /// `Custom` or a partner source name; one channel per source; never changes.
    pub source: String,
    /// Where its events go.
    pub destinations: Vec<Destination>,
    /// Tags, in the order they were first added.
    pub tags: Vec<Tag>,
    /// The resource policy (a JSON object as text), if one is set.
    pub resource_policy: Option<String>,
    /// What PutAuditEvents last reported.
    #[serde(default)]
    pub ingestion_status: IngestionStatus,
    /// When it was created.
    #[serde(with = "opentrail_types::serde_millis")]
    pub created: Timestamp,
}

/// One page of `ListChannels`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelPage {
    /// The channels of the page, ordered by ARN.
    pub channels: Vec<Channel>,
    /// The token of the next page, if there is one.
    pub next_token: Option<String>,
}

/// The tags of one resource, as ListTags returns them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceTags {
    /// The resource's ARN as given.
    pub resource_id: String,
    /// Its tags.
    pub tags: Vec<Tag>,
}
