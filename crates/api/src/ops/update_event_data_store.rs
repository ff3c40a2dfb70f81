//! `UpdateEventDataStore` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_UpdateEventDataStore.html>).
//!
//! Request: `EventDataStore`* and at least one of `Name`, `AdvancedEventSelectors`,
//! `MultiRegionEnabled`, `OrganizationEnabled`, `RetentionPeriod`,
//! `TerminationProtectionEnabled`, `KmsKeyId`, `BillingMode`. Response: as
//! GetEventDataStore. The store kind (the `eventCategory` family) cannot change.

use serde::{Deserialize, Serialize};

use opentrail_lake::UpdateEventDataStoreInput;
use opentrail_selectors::AdvancedEventSelector;

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::lake_shapes::{EventDataStoreShape, lake_caller};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateEventDataStoreRequest {
    /// `EventDataStore`.
    pub event_data_store: String,
    /// `Name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `AdvancedEventSelectors`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
    /// `MultiRegionEnabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_region_enabled: Option<bool>,
    /// `OrganizationEnabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_enabled: Option<bool>,
    /// `RetentionPeriod` (days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_period: Option<i64>,
    /// `TerminationProtectionEnabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_protection_enabled: Option<bool>,
    /// `KmsKeyId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// `BillingMode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_mode: Option<String>,
}

impl UpdateEventDataStoreRequest {
    /// The request in domain terms (unchecked).
    pub fn into_input(self) -> UpdateEventDataStoreInput {
        UpdateEventDataStoreInput {
            event_data_store: self.event_data_store,
            name: self.name,
            advanced_event_selectors: self.advanced_event_selectors,
            multi_region_enabled: self.multi_region_enabled,
            organization_enabled: self.organization_enabled,
            retention_period: self.retention_period,
            termination_protection_enabled: self.termination_protection_enabled,
            kms_key_id: self.kms_key_id,
            billing_mode: self.billing_mode,
        }
    }
}

/// Handles one `UpdateEventDataStore` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: UpdateEventDataStoreRequest,
) -> Result<EventDataStoreShape, ApiError> {
    let store = services
        .lake
        .update_event_data_store(&lake_caller(scope), request.into_input())?;
    Ok(EventDataStoreShape::for_get(store))
}
