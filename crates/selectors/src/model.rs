//! The wire shapes of selectors, as `PutEventSelectors` takes them and
//! `GetEventSelectors` returns them (botocore member names and order).

use serde::{Deserialize, Serialize};

/// `ReadWriteType` of a basic selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ReadWriteType {
    /// Read-only events only.
    ReadOnly,
    /// Write events only.
    WriteOnly,
    /// Both.
    #[default]
    All,
}

/// One basic event selector (`EventSelectors[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct EventSelector {
    /// Which of read and write events.
    #[serde(rename = "ReadWriteType", skip_serializing_if = "Option::is_none")]
    pub read_write_type: Option<ReadWriteType>,
    /// Whether management events are selected.
    #[serde(
        rename = "IncludeManagementEvents",
        skip_serializing_if = "Option::is_none"
    )]
    pub include_management_events: Option<bool>,
    /// Data event resources.
    #[serde(rename = "DataResources", skip_serializing_if = "Option::is_none")]
    pub data_resources: Option<Vec<DataResource>>,
    /// Management event sources left out (`kms.amazonaws.com`, `rdsdata.amazonaws.com`).
    #[serde(
        rename = "ExcludeManagementEventSources",
        skip_serializing_if = "Option::is_none"
    )]
    pub exclude_management_event_sources: Option<Vec<String>>,
}

/// `DataResources[]` of a basic selector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DataResource {
    /// `AWS::S3::Object`, `AWS::Lambda::Function` or `AWS::DynamoDB::Table`.
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// ARNs or ARN prefixes.
    #[serde(rename = "Values", skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

/// One advanced event selector (`AdvancedEventSelectors[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AdvancedEventSelector {
    /// Optional descriptive name.
    #[serde(rename = "Name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Conditions, all of which must hold.
    #[serde(rename = "FieldSelectors", default)]
    pub field_selectors: Vec<AdvancedFieldSelector>,
}

/// One condition of an advanced selector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AdvancedFieldSelector {
    /// The record field (`eventCategory`, `resources.type`, ...).
    #[serde(rename = "Field", default)]
    pub field: String,
    /// The field equals one of these.
    #[serde(rename = "Equals", skip_serializing_if = "Option::is_none")]
    pub equals: Option<Vec<String>>,
    /// The field starts with one of these.
    #[serde(rename = "StartsWith", skip_serializing_if = "Option::is_none")]
    pub starts_with: Option<Vec<String>>,
    /// The field ends with one of these.
    #[serde(rename = "EndsWith", skip_serializing_if = "Option::is_none")]
    pub ends_with: Option<Vec<String>>,
    /// The field equals none of these.
    #[serde(rename = "NotEquals", skip_serializing_if = "Option::is_none")]
    pub not_equals: Option<Vec<String>>,
    /// The field starts with none of these.
    #[serde(rename = "NotStartsWith", skip_serializing_if = "Option::is_none")]
    pub not_starts_with: Option<Vec<String>>,
    /// The field ends with none of these.
    #[serde(rename = "NotEndsWith", skip_serializing_if = "Option::is_none")]
    pub not_ends_with: Option<Vec<String>>,
}

/// What a trail (or data store) has in force: basic or advanced selectors, never both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SelectorConfig {
    /// `EventSelectors`.
    Basic(Vec<EventSelector>),
    /// `AdvancedEventSelectors`.
    Advanced(Vec<AdvancedEventSelector>),
}

impl SelectorConfig {
    /// A new trail's selectors: one basic selector, all management events, no data events.
    pub fn trail_default() -> SelectorConfig {
        SelectorConfig::Basic(vec![EventSelector {
            read_write_type: Some(ReadWriteType::All),
            include_management_events: Some(true),
            data_resources: Some(Vec::new()),
            exclude_management_event_sources: Some(Vec::new()),
        }])
    }
}
