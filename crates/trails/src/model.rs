//! The checked values the registry stores and hands out: [`Trail`], its tags, logging
//! history and delivery status. Insights selectors are `opentrail-selectors`' (shared with
//! event data stores).

use serde::{Deserialize, Serialize};

use opentrail_selectors::{InsightSelector, SelectorConfig};
use opentrail_types::Timestamp;

/// Who is calling: the account whose trails are visible, and the region the call was
/// made in (names resolve among that region's trails; writes need the home region).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The caller's 12-digit account.
    pub account_id: String,
    /// The region the call is made in (`us-east-1`).
    pub region: String,
}

/// Limits of the registry. `Default` gives AWS's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailLimits {
    /// Trails per account and region; a multi-region trail counts in every region.
    /// Default 5.
    pub trails_per_region: usize,
    /// Tags per trail. Default 50.
    pub tags_per_trail: usize,
    /// Trails per `ListTrails` page. Default 50 (AWS does not document its page size).
    pub list_trails_page_size: usize,
    /// Resource ARNs per `ListTags` call. Default 20.
    pub list_tags_resources: usize,
    /// Logging intervals kept per trail (the oldest go first). Default 100.
    pub logging_history: usize,
}

impl Default for TrailLimits {
    fn default() -> TrailLimits {
        TrailLimits {
            trails_per_region: 5,
            tags_per_trail: 50,
            list_trails_page_size: 50,
            list_tags_resources: 20,
            logging_history: 100,
        }
    }
}

/// A trail: its configuration as CloudTrail's API shows it, plus the lifecycle state the
/// delivery engine follows. Always valid: only the registry makes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Trail {
    /// The name (unique per account and home region among live trails).
    pub name: String,
    /// The owning account.
    pub account_id: String,
    /// The region it was created in.
    pub home_region: String,
    /// `arn:aws:cloudtrail:<home region>:<account>:trail/<name>`.
    pub arn: String,
    /// Where log files go.
    pub s3_bucket_name: String,
    /// Key prefix inside the bucket (≤ 200 characters), if any.
    pub s3_key_prefix: Option<String>,
    /// The SNS topic's name (the deprecated `SnsTopicName` member), if notifications are on.
    pub sns_topic_name: Option<String>,
    /// The SNS topic's ARN, if notifications are on.
    pub sns_topic_arn: Option<String>,
    /// Whether events of global services are carried.
    pub include_global_service_events: bool,
    /// Whether the trail covers every region.
    pub is_multi_region_trail: bool,
    /// Whether digest files are written.
    pub log_file_validation_enabled: bool,
    /// Always `None`: OpenTrail does not deliver to CloudWatch Logs.
    pub cloud_watch_logs_log_group_arn: Option<String>,
    /// Always `None`: OpenTrail does not deliver to CloudWatch Logs.
    pub cloud_watch_logs_role_arn: Option<String>,
    /// The KMS key as a full key ARN or alias ARN, if encryption is asked for.
    pub kms_key_id: Option<String>,
    /// Always `false`: OpenTrail has no AWS Organizations.
    pub is_organization_trail: bool,
    /// Tags, in the order they were first added (at most [`TrailLimits::tags_per_trail`]).
    pub tags: Vec<Tag>,
    /// The event selectors in force (normalized by `opentrail-selectors`).
    pub selectors: SelectorConfig,
    /// Whether the selectors differ from a new trail's default.
    pub has_custom_event_selectors: bool,
    /// Insights selectors; empty when Insights is off.
    pub insight_selectors: Vec<InsightSelector>,
    /// Whether the trail is logging (between StartLogging and StopLogging).
    pub logging: bool,
    /// The latest logging intervals, oldest first; the last one is open while logging.
    pub logging_history: Vec<LoggingInterval>,
    /// When validation was last turned on while logging (StartLogging with validation
    /// on, or validation turned on while logging): the start of the digest chain.
    #[serde(with = "opentrail_types::serde_millis::option")]
    pub validation_since: Option<Timestamp>,
    /// When the trail was created.
    #[serde(with = "opentrail_types::serde_millis")]
    pub created: Timestamp,
    /// Bumped on every change of this trail.
    pub generation: u64,
    /// When DeleteTrail removed it; the API no longer sees it, the delivery engine does
    /// (to write the final digest) until [`crate::Trails::purge`].
    #[serde(with = "opentrail_types::serde_millis::option")]
    pub deleted_at: Option<Timestamp>,
}

impl Trail {
    /// Whether DeleteTrail removed it.
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }

    /// Whether a caller in `region` sees it (at home, or as a shadow of a multi-region
    /// trail).
    pub fn is_visible_in(&self, region: &str) -> bool {
        self.home_region == region || self.is_multi_region_trail
    }

    /// Whether the trail logs write management events (the prerequisite of
    /// `ApiCallRateInsight` on management events).
    pub fn logs_write_management_events(&self) -> bool {
        crate::insights::logs_management_events(&self.selectors, true)
    }

    /// Whether the trail logs read or write management events.
    pub fn logs_management_events(&self) -> bool {
        crate::insights::logs_management_events(&self.selectors, false)
    }

    /// Whether the trail logs data events.
    pub fn logs_data_events(&self) -> bool {
        crate::insights::logs_data_events(&self.selectors)
    }
}

/// A tag of a trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// 1–128 characters, unique on the trail.
    pub key: String,
    /// 1–256 characters, or none.
    pub value: Option<String>,
}

/// One interval between a StartLogging and the StopLogging (or DeleteTrail) after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggingInterval {
    /// When logging started.
    #[serde(with = "opentrail_types::serde_millis")]
    pub start: Timestamp,
    /// When it stopped; `None` while logging.
    #[serde(with = "opentrail_types::serde_millis::option")]
    pub stop: Option<Timestamp>,
}

/// One `TagsList[]` element as received, unchecked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagInput {
    /// `Key`.
    pub key: String,
    /// `Value`.
    pub value: Option<String>,
}

/// What the delivery engine reports, shown by GetTrailStatus. Errors are S3/SNS error
/// codes (`NoSuchBucket`, `AccessDenied`); `None` clears them. The start and stop times
/// of logging come from the trail's logging history (see [`TrailStatusReport`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailStatus {
    /// Last successful log file delivery.
    #[serde(default, with = "opentrail_types::serde_millis::option")]
    pub latest_delivery_time: Option<Timestamp>,
    /// Last delivery attempt, successful or not.
    #[serde(default, with = "opentrail_types::serde_millis::option")]
    pub latest_delivery_attempt_time: Option<Timestamp>,
    /// Error of the last failed delivery, cleared by a success.
    #[serde(default)]
    pub latest_delivery_error: Option<String>,
    /// Last successful digest delivery.
    #[serde(default, with = "opentrail_types::serde_millis::option")]
    pub latest_digest_delivery_time: Option<Timestamp>,
    /// Error of the last failed digest delivery.
    #[serde(default)]
    pub latest_digest_delivery_error: Option<String>,
    /// Last successful notification.
    #[serde(default, with = "opentrail_types::serde_millis::option")]
    pub latest_notification_time: Option<Timestamp>,
    /// Last notification attempt, successful or not.
    #[serde(default, with = "opentrail_types::serde_millis::option")]
    pub latest_notification_attempt_time: Option<Timestamp>,
    /// Error of the last failed notification.
    #[serde(default)]
    pub latest_notification_error: Option<String>,
}

/// GetTrailStatus's answer: whether the trail logs, and its status board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailStatusReport {
    /// Whether the trail is logging.
    pub is_logging: bool,
    /// The last StartLogging that turned logging on (from the logging history).
    pub start_logging_time: Option<Timestamp>,
    /// The last StopLogging (or DeleteTrail) that turned logging off.
    pub stop_logging_time: Option<Timestamp>,
    /// The status board.
    pub status: TrailStatus,
}

/// One `ListTrails` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailInfo {
    /// The trail's ARN.
    pub trail_arn: String,
    /// Its name.
    pub name: String,
    /// Its home region.
    pub home_region: String,
}

/// One page of `ListTrails`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailPage {
    /// The trails of the page, ordered by ARN.
    pub trails: Vec<TrailInfo>,
    /// The token of the next page, if there is one.
    pub next_token: Option<String>,
}
