//! Shapes shared by the event data store, channel, event configuration and resource
//! policy operations, and the conversions from `opentrail-lake`.
//!
//! Member names are botocore's (`cloudtrail/2013-11-01/service-2.json`); members without
//! a value are omitted. Timestamps are epoch seconds as JSON numbers.

use serde::{Deserialize, Serialize};

use opentrail_lake::{
    Caller, ContextKeySelector, ContextKeySelectorInput, Destination, DestinationInput,
    EventDataStore,
};
use opentrail_selectors::AdvancedEventSelector;

use crate::dispatch::Scope;
use crate::ops::trail_shapes::TagShape;

/// The caller of a Lake operation, from the request's scope.
pub(crate) fn lake_caller(scope: &Scope) -> Caller {
    Caller {
        account_id: scope.account_id.clone(),
        region: scope.region.clone(),
    }
}

/// `FederationStatus`: always `DISABLED` (OpenTrail has no Lake Formation federation).
pub const FEDERATION_DISABLED: &str = "DISABLED";

/// The event data store as the store operations return it. Which optional members are
/// present depends on the operation (see the `for_*` constructors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventDataStoreShape {
    /// `EventDataStoreArn`.
    pub event_data_store_arn: String,
    /// `Name`.
    pub name: String,
    /// `Status`.
    pub status: String,
    /// `AdvancedEventSelectors`.
    pub advanced_event_selectors: Vec<AdvancedEventSelector>,
    /// `MultiRegionEnabled`.
    pub multi_region_enabled: bool,
    /// `OrganizationEnabled`.
    pub organization_enabled: bool,
    /// `RetentionPeriod` (days).
    pub retention_period: u32,
    /// `TerminationProtectionEnabled`.
    pub termination_protection_enabled: bool,
    /// `TagsList` (CreateEventDataStore only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags_list: Option<Vec<TagShape>>,
    /// `CreatedTimestamp`.
    pub created_timestamp: f64,
    /// `UpdatedTimestamp`.
    pub updated_timestamp: f64,
    /// `KmsKeyId` (not in ListEventDataStores).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// `BillingMode` (not in ListEventDataStores).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_mode: Option<String>,
    /// `FederationStatus` (GetEventDataStore, UpdateEventDataStore).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub federation_status: Option<String>,
}

impl EventDataStoreShape {
    fn base(store: EventDataStore) -> EventDataStoreShape {
        EventDataStoreShape {
            event_data_store_arn: store.arn,
            name: store.name,
            status: store.status.as_str().to_owned(),
            advanced_event_selectors: store.advanced_event_selectors,
            multi_region_enabled: store.multi_region_enabled,
            organization_enabled: store.organization_enabled,
            retention_period: store.retention_period_days,
            termination_protection_enabled: store.termination_protection_enabled,
            tags_list: None,
            created_timestamp: store.created.as_epoch_seconds_f64(),
            updated_timestamp: store.updated.as_epoch_seconds_f64(),
            kms_key_id: store.kms_key_id,
            billing_mode: Some(store.billing_mode.as_str().to_owned()),
            federation_status: None,
        }
    }

    /// CreateEventDataStore's response: with `TagsList`.
    pub fn for_create(store: EventDataStore) -> EventDataStoreShape {
        let tags = store.tags.clone();
        EventDataStoreShape {
            tags_list: Some(tags.into_iter().map(Into::into).collect()),
            ..EventDataStoreShape::base(store)
        }
    }

    /// GetEventDataStore's and UpdateEventDataStore's response: with `FederationStatus`.
    pub fn for_get(store: EventDataStore) -> EventDataStoreShape {
        EventDataStoreShape {
            federation_status: Some(FEDERATION_DISABLED.to_owned()),
            ..EventDataStoreShape::base(store)
        }
    }

    /// RestoreEventDataStore's response.
    pub fn for_restore(store: EventDataStore) -> EventDataStoreShape {
        EventDataStoreShape::base(store)
    }

    /// One ListEventDataStores entry: without `KmsKeyId` and `BillingMode`.
    pub fn for_list(store: EventDataStore) -> EventDataStoreShape {
        EventDataStoreShape {
            kms_key_id: None,
            billing_mode: None,
            ..EventDataStoreShape::base(store)
        }
    }
}

/// The request of operations that take only an `EventDataStore` (ARN or ID).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventDataStoreRequest {
    /// `EventDataStore`.
    pub event_data_store: String,
}

/// The request of operations that take only a `Channel` (ARN or ID).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChannelRequest {
    /// `Channel`.
    pub channel: String,
}

/// The request of operations that take only a `ResourceArn`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceArnRequest {
    /// `ResourceArn`.
    pub resource_arn: String,
}

/// `Destination`: `Type` and `Location`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DestinationShape {
    /// `Type`: `EVENT_DATA_STORE` or `AWS_SERVICE`.
    #[serde(rename = "Type")]
    pub destination_type: String,
    /// `Location`.
    pub location: String,
}

impl From<DestinationShape> for DestinationInput {
    fn from(shape: DestinationShape) -> DestinationInput {
        DestinationInput {
            destination_type: shape.destination_type,
            location: shape.location,
        }
    }
}

impl From<Destination> for DestinationShape {
    fn from(destination: Destination) -> DestinationShape {
        DestinationShape {
            destination_type: destination.destination_type.as_str().to_owned(),
            location: destination.location,
        }
    }
}

/// `ContextKeySelector`: `Type` and `Equals`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContextKeySelectorShape {
    /// `Type`: `TagContext` or `RequestContext`.
    #[serde(rename = "Type")]
    pub selector_type: String,
    /// `Equals`.
    pub equals: Vec<String>,
}

impl From<ContextKeySelectorShape> for ContextKeySelectorInput {
    fn from(shape: ContextKeySelectorShape) -> ContextKeySelectorInput {
        ContextKeySelectorInput {
            selector_type: shape.selector_type,
            equals: shape.equals,
        }
    }
}

impl From<ContextKeySelector> for ContextKeySelectorShape {
    fn from(selector: ContextKeySelector) -> ContextKeySelectorShape {
        ContextKeySelectorShape {
            selector_type: selector.selector_type.as_str().to_owned(),
            equals: selector.equals,
        }
    }
}

/// The response of Put/GetEventConfiguration for a store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventConfigurationResponse {
    /// `EventDataStoreArn`.
    pub event_data_store_arn: String,
    /// `MaxEventSize`.
    pub max_event_size: String,
    /// `ContextKeySelectors`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context_key_selectors: Vec<ContextKeySelectorShape>,
}

impl From<EventDataStore> for EventConfigurationResponse {
    fn from(store: EventDataStore) -> EventConfigurationResponse {
        EventConfigurationResponse {
            event_data_store_arn: store.arn,
            max_event_size: store.event_configuration.max_event_size.as_str().to_owned(),
            context_key_selectors: store
                .event_configuration
                .context_key_selectors
                .into_iter()
                .map(Into::into)
                .collect(),
        }
    }
}

/// The response of Put/GetResourcePolicy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourcePolicyResponse {
    /// `ResourceArn`.
    pub resource_arn: String,
    /// `ResourcePolicy`.
    pub resource_policy: String,
}

impl From<opentrail_lake::Tag> for TagShape {
    fn from(tag: opentrail_lake::Tag) -> TagShape {
        TagShape {
            key: tag.key,
            value: tag.value,
        }
    }
}

impl From<TagShape> for opentrail_lake::TagInput {
    fn from(tag: TagShape) -> opentrail_lake::TagInput {
        opentrail_lake::TagInput {
            key: tag.key,
            value: tag.value,
        }
    }
}
