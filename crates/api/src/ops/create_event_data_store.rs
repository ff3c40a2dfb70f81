//! `CreateEventDataStore` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateEventDataStore.html>).
//!
//! Request: `Name`*, `AdvancedEventSelectors`, `MultiRegionEnabled`, `OrganizationEnabled`,
//! `RetentionPeriod`, `TerminationProtectionEnabled`, `TagsList`, `KmsKeyId`,
//! `StartIngestion`, `BillingMode`. Response: the store with its tags
//! ([`EventDataStoreShape::for_create`]). `KmsKeyId` is kept and echoed as an ARN; events
//! are not encrypted with it.

use serde::{Deserialize, Serialize};

use opentrail_lake::CreateEventDataStoreInput;
use opentrail_selectors::AdvancedEventSelector;

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{EventDataStoreShape, lake_caller};
use crate::ops::trail_shapes::TagShape;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateEventDataStoreRequest {
    /// `Name`.
    pub name: String,
    /// `AdvancedEventSelectors`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
    /// `MultiRegionEnabled` (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_region_enabled: Option<bool>,
    /// `OrganizationEnabled` (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_enabled: Option<bool>,
    /// `RetentionPeriod` (days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_period: Option<i64>,
    /// `TerminationProtectionEnabled` (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_protection_enabled: Option<bool>,
    /// `TagsList`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags_list: Option<Vec<TagShape>>,
    /// `KmsKeyId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// `StartIngestion` (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_ingestion: Option<bool>,
    /// `BillingMode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_mode: Option<String>,
}

impl CreateEventDataStoreRequest {
    /// The request in domain terms (unchecked).
    pub fn into_input(self) -> CreateEventDataStoreInput {
        CreateEventDataStoreInput {
            name: self.name,
            advanced_event_selectors: self.advanced_event_selectors,
            multi_region_enabled: self.multi_region_enabled,
            organization_enabled: self.organization_enabled,
            retention_period: self.retention_period,
            termination_protection_enabled: self.termination_protection_enabled,
            tags: self
                .tags_list
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            kms_key_id: self.kms_key_id,
            start_ingestion: self.start_ingestion,
            billing_mode: self.billing_mode,
        }
    }
}

/// Handles one `CreateEventDataStore` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: CreateEventDataStoreRequest,
) -> Result<EventDataStoreShape, ApiError> {
    let store = services
        .lake
        .create_event_data_store(&lake_caller(scope), request.into_input())?;
    Ok(EventDataStoreShape::for_create(store))
}
