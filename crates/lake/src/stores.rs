//! CreateEventDataStore, GetEventDataStore, UpdateEventDataStore, ListEventDataStores
//! (`spec/events-and-queries.md` §3.2); the lifecycle operations are in `lifecycle.rs`.

use opentrail_selectors::{
    AdvancedEventSelector, AdvancedFieldSelector, EventDataStoreKind, validate_for_event_data_store,
};

use crate::arns::{event_data_store_arn, validate_name};
use crate::checks::{
    check_retention, check_tags, decode_token, encode_token, merge_tags, normalize_kms_key_id,
    page_size, parse_billing_mode,
};
use crate::error::{Error, ErrorKind, Result};
use crate::insights::check_store_prerequisites;
use crate::model::{
    BillingMode, Caller, EventConfiguration, EventDataStore, EventDataStorePage,
    EventDataStoreStatus, StoreKind, TagInput,
};
use crate::registry::{Lake, State, check_active, find_store, find_store_for_write};

/// The name of the selector a store gets when `AdvancedEventSelectors` is left out.
pub const DEFAULT_SELECTOR_NAME: &str = "Default management events";

/// CreateEventDataStore's members, as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateEventDataStoreInput {
    /// `Name`.
    pub name: String,
    /// `AdvancedEventSelectors` (default: all management events).
    pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
    /// `MultiRegionEnabled` (default true).
    pub multi_region_enabled: Option<bool>,
    /// `OrganizationEnabled` (default false; true is refused).
    pub organization_enabled: Option<bool>,
    /// `RetentionPeriod` in days (default by billing mode).
    pub retention_period: Option<i64>,
    /// `TerminationProtectionEnabled` (default true).
    pub termination_protection_enabled: Option<bool>,
    /// `TagsList`.
    pub tags: Vec<TagInput>,
    /// `KmsKeyId`.
    pub kms_key_id: Option<String>,
    /// `StartIngestion` (default true).
    pub start_ingestion: Option<bool>,
    /// `BillingMode` (default `EXTENDABLE_RETENTION_PRICING`).
    pub billing_mode: Option<String>,
}

/// UpdateEventDataStore's members, as received: only the members given change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateEventDataStoreInput {
    /// `EventDataStore`: ARN or ID.
    pub event_data_store: String,
    /// `Name`.
    pub name: Option<String>,
    /// `AdvancedEventSelectors` (the store kind cannot change).
    pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
    /// `MultiRegionEnabled`.
    pub multi_region_enabled: Option<bool>,
    /// `OrganizationEnabled` (true is refused).
    pub organization_enabled: Option<bool>,
    /// `RetentionPeriod` in days.
    pub retention_period: Option<i64>,
    /// `TerminationProtectionEnabled`.
    pub termination_protection_enabled: Option<bool>,
    /// `KmsKeyId` (can be set once, never changed or removed).
    pub kms_key_id: Option<String>,
    /// `BillingMode` (fixed → extendable only).
    pub billing_mode: Option<String>,
}

/// The selectors a store gets when none are given.
pub fn default_selectors() -> Vec<AdvancedEventSelector> {
    vec![AdvancedEventSelector {
        name: Some(DEFAULT_SELECTOR_NAME.to_owned()),
        field_selectors: vec![AdvancedFieldSelector {
            field: String::from("eventCategory"),
            equals: Some(vec![String::from("Management")]),
            ..AdvancedFieldSelector::default()
        }],
    }]
}

fn check_not_organization(caller: &Caller, organization_enabled: Option<bool>) -> Result<()> {
    if organization_enabled == Some(true) {
        return Err(Error::rejected(
            ErrorKind::OrganizationsNotInUse,
            format!(
                "account `{}` is not a member of an organization: OpenTrail does not use AWS \
                 Organizations, so OrganizationEnabled must be false",
                caller.account_id
            ),
        ));
    }
    Ok(())
}

impl Lake {
    /// Checks selectors and returns the store kind they describe.
    fn classify_selectors(&self, selectors: &[AdvancedEventSelector]) -> Result<StoreKind> {
        let kind = validate_for_event_data_store(selectors, &self.network_sources)
            .map_err(Error::Selectors)?;
        match kind {
            EventDataStoreKind::CloudTrailEvents => Ok(StoreKind::CloudTrailEvents),
            EventDataStoreKind::Insight => Ok(StoreKind::Insight),
            EventDataStoreKind::ActivityAuditLog => Ok(StoreKind::ActivityAuditLog),
            other => Err(Error::rejected(
                ErrorKind::Unsupported,
                format!(
                    "OpenTrail does not offer {} event data stores",
                    other.describe()
                ),
            )),
        }
    }

    /// Refuses a name taken in the caller's account and region (stores pending deletion
    /// keep their name), and an 11th store in the region (every state counts).
    fn check_can_create(&self, state: &State, caller: &Caller, name: &str) -> Result<()> {
        let mut count = 0;
        for store in &state.stores {
            if store.account_id != caller.account_id || store.home_region != caller.region {
                continue;
            }
            if store.name == name {
                return Err(Error::rejected(
                    ErrorKind::EventDataStoreAlreadyExists,
                    format!("An event data store with the name `{name}` already exists"),
                ));
            }
            count += 1;
        }
        let limit = self.limits.event_data_stores_per_region;
        if count >= limit {
            return Err(Error::rejected(
                ErrorKind::EventDataStoreMaxLimitExceeded,
                format!(
                    "account {} already has {limit} event data stores in {}",
                    caller.account_id, caller.region
                ),
            ));
        }
        Ok(())
    }

    /// CreateEventDataStore: a new store, `ENABLED` (or `STOPPED_INGESTION` when
    /// `StartIngestion` is false).
    ///
    /// # Errors
    ///
    /// In this order: `InvalidParameter` (name), `EventDataStoreAlreadyExists`,
    /// `EventDataStoreMaxLimitExceeded`, `OrganizationsNotInUse`, `InvalidParameter`
    /// (billing mode, retention), `InvalidKmsKeyId`, `InvalidEventSelectors`,
    /// `Unsupported` (configuration-item and evidence stores), `InvalidTagParameter`
    /// (including more than [`crate::LakeLimits::tags_per_resource`] tags), storage
    /// errors.
    pub fn create_event_data_store(
        &self,
        caller: &Caller,
        input: CreateEventDataStoreInput,
    ) -> Result<EventDataStore> {
        validate_name("event data store", &input.name)?;
        self.check_can_create(&self.read(), caller, &input.name)?;
        check_not_organization(caller, input.organization_enabled)?;
        let billing_mode = match &input.billing_mode {
            Some(text) => parse_billing_mode(text)?,
            None => BillingMode::ExtendableRetentionPricing,
        };
        let retention_period_days = match input.retention_period {
            Some(days) => check_retention(days, billing_mode)?,
            None => billing_mode.default_retention_days(),
        };
        let kms_key_id = match &input.kms_key_id {
            Some(key) => Some(normalize_kms_key_id(
                key,
                &caller.region,
                &caller.account_id,
            )?),
            None => None,
        };
        let advanced_event_selectors = input
            .advanced_event_selectors
            .unwrap_or_else(default_selectors);
        let kind = self.classify_selectors(&advanced_event_selectors)?;
        let tags = merge_tags(
            &[],
            check_tags(input.tags)?,
            self.limits.tags_per_resource,
            ErrorKind::InvalidTagParameter,
        )?;
        let id = self.ids.uuid();
        let now = self.now();
        let status = if input.start_ingestion.unwrap_or(true) {
            EventDataStoreStatus::Enabled
        } else {
            EventDataStoreStatus::StoppedIngestion
        };
        let store = EventDataStore {
            arn: event_data_store_arn(&caller.region, &caller.account_id, &id),
            id,
            name: input.name,
            account_id: caller.account_id.clone(),
            home_region: caller.region.clone(),
            kind,
            advanced_event_selectors,
            multi_region_enabled: input.multi_region_enabled.unwrap_or(true),
            organization_enabled: false,
            retention_period_days,
            termination_protection_enabled: input.termination_protection_enabled.unwrap_or(true),
            kms_key_id,
            billing_mode,
            status,
            status_before_deletion: None,
            deleted_at: None,
            tags,
            event_configuration: EventConfiguration::default(),
            resource_policy: None,
            insights: None,
            created: now,
            updated: now,
        };
        self.mutate(true, |state| {
            // Checked again under the write lock: another call may have won the race.
            self.check_can_create(state, caller, &store.name)?;
            state.stores.push(store.clone());
            Ok(store)
        })
    }

    /// GetEventDataStore: any status, from the home region or (multi-region stores) any.
    ///
    /// # Errors
    ///
    /// `EventDataStoreArnInvalid`, `EventDataStoreNotFound`.
    pub fn get_event_data_store(&self, caller: &Caller, given: &str) -> Result<EventDataStore> {
        let state = self.read();
        let index = find_store(&state.stores, caller, given)?;
        Ok(state.stores[index].clone())
    }

    /// UpdateEventDataStore: changes the members given, in the store's home region.
    ///
    /// # Errors
    ///
    /// `EventDataStoreArnInvalid`, `EventDataStoreNotFound`, `InvalidHomeRegion`,
    /// `InactiveEventDataStore`, `InvalidParameter` (no member given, name, billing mode
    /// from extendable to fixed, retention out of range, a KMS key changed or removed),
    /// `EventDataStoreAlreadyExists`, `OrganizationsNotInUse`, `InvalidKmsKeyId`,
    /// `InvalidEventSelectors` (also for a change of store kind), `Unsupported`,
    /// `EventDataStoreHasOngoingImport`, `InvalidInsightSelectors` (the store has Insights
    /// on and the new selectors no longer log the management events its types need),
    /// storage errors.
    pub fn update_event_data_store(
        &self,
        caller: &Caller,
        input: UpdateEventDataStoreInput,
    ) -> Result<EventDataStore> {
        let current = {
            let state = self.read();
            let index = find_store_for_write(&state.stores, caller, &input.event_data_store)?;
            state.stores[index].clone()
        };
        check_active(&current)?;
        let nothing_given = input.name.is_none()
            && input.advanced_event_selectors.is_none()
            && input.multi_region_enabled.is_none()
            && input.organization_enabled.is_none()
            && input.retention_period.is_none()
            && input.termination_protection_enabled.is_none()
            && input.kms_key_id.is_none()
            && input.billing_mode.is_none();
        if nothing_given {
            return Err(Error::rejected(
                ErrorKind::InvalidParameter,
                "give at least one member to change besides EventDataStore",
            ));
        }
        if let Some(name) = &input.name {
            validate_name("event data store", name)?;
        }
        check_not_organization(caller, input.organization_enabled)?;
        let billing_mode = match &input.billing_mode {
            Some(text) => parse_billing_mode(text)?,
            None => current.billing_mode,
        };
        if current.billing_mode == BillingMode::ExtendableRetentionPricing
            && billing_mode == BillingMode::FixedRetentionPricing
        {
            return Err(Error::rejected(
                ErrorKind::InvalidParameter,
                "the billing mode cannot change from EXTENDABLE_RETENTION_PRICING to \
                 FIXED_RETENTION_PRICING; create a new event data store instead",
            ));
        }
        let retention_period_days = check_retention(
            input
                .retention_period
                .unwrap_or(i64::from(current.retention_period_days)),
            billing_mode,
        )?;
        let kms_key_id = match &input.kms_key_id {
            Some(key) => {
                let normalized =
                    normalize_kms_key_id(key, &current.home_region, &current.account_id);
                match (&current.kms_key_id, normalized) {
                    (Some(existing), Ok(normalized)) if *existing == normalized => Some(normalized),
                    (Some(existing), _) => {
                        return Err(Error::rejected(
                            ErrorKind::InvalidParameter,
                            format!(
                                "the KMS key of event data store `{}` is `{existing}`; once \
                                 set it cannot be changed or removed",
                                current.arn
                            ),
                        ));
                    }
                    (None, normalized) => Some(normalized?),
                }
            }
            None => current.kms_key_id.clone(),
        };
        if let Some(selectors) = &input.advanced_event_selectors {
            let kind = self.classify_selectors(selectors)?;
            if kind != current.kind {
                return Err(Error::rejected(
                    ErrorKind::InvalidEventSelectors,
                    format!(
                        "the advanced event selectors describe an event data store of kind \
                         {kind:?}, but `{}` is of kind {:?}; the kind of events a store \
                         holds cannot change",
                        current.arn, current.kind
                    ),
                ));
            }
        }
        if self.has_ongoing_import(&current.id) {
            return Err(ongoing_import(&current));
        }
        let now = self.now();
        self.mutate(true, |state| {
            let index = find_store_for_write(&state.stores, caller, &input.event_data_store)?;
            check_active(&state.stores[index])?;
            // New selectors must still log the management events the store's Insights
            // types need (AWS: InvalidInsightSelectorsException on UpdateEventDataStore).
            if let (Some(selectors), Some(insights)) = (
                &input.advanced_event_selectors,
                &state.stores[index].insights,
            ) {
                check_store_prerequisites(&insights.insight_selectors, selectors, &current.arn)
                    .map_err(|error| {
                        Error::rejected(
                            ErrorKind::InvalidInsightSelectors,
                            format!(
                                "{}; turn Insights off with PutInsightSelectors first, or keep \
                                 selecting those events",
                                error.message()
                            ),
                        )
                    })?;
            }
            if let Some(name) = &input.name {
                let taken = state.stores.iter().enumerate().any(|(other, store)| {
                    other != index
                        && store.account_id == caller.account_id
                        && store.home_region == caller.region
                        && store.name == *name
                });
                if taken {
                    return Err(Error::rejected(
                        ErrorKind::EventDataStoreAlreadyExists,
                        format!("An event data store with the name `{name}` already exists"),
                    ));
                }
            }
            let store = &mut state.stores[index];
            let before = store.clone();
            if let Some(name) = input.name {
                store.name = name;
            }
            if let Some(selectors) = input.advanced_event_selectors {
                store.advanced_event_selectors = selectors;
            }
            if let Some(multi_region) = input.multi_region_enabled {
                store.multi_region_enabled = multi_region;
            }
            if let Some(protection) = input.termination_protection_enabled {
                store.termination_protection_enabled = protection;
            }
            store.retention_period_days = retention_period_days;
            store.billing_mode = billing_mode;
            store.kms_key_id = kms_key_id;
            if *store != before {
                store.updated = now;
            }
            Ok(store.clone())
        })
    }

    /// ListEventDataStores: the caller's stores visible in the caller's region (any
    /// status), ordered by ARN, `max_results` a page (default
    /// [`crate::LakeLimits::default_page_size`]).
    ///
    /// # Errors
    ///
    /// `InvalidMaxResults`, `InvalidNextToken`.
    pub fn list_event_data_stores(
        &self,
        caller: &Caller,
        max_results: Option<i64>,
        next_token: Option<&str>,
    ) -> Result<EventDataStorePage> {
        let size = page_size(max_results, self.limits.default_page_size)?;
        let after = next_token.map(decode_token).transpose()?;
        let state = self.read();
        let mut visible: Vec<&EventDataStore> = state
            .stores
            .iter()
            .filter(|store| {
                store.account_id == caller.account_id
                    && store.is_visible_in(&caller.region)
                    && after
                        .as_deref()
                        .is_none_or(|last| store.arn.as_str() > last)
            })
            .collect();
        visible.sort_by(|left, right| left.arn.cmp(&right.arn));
        let next_token = (visible.len() > size).then(|| encode_token(&visible[size - 1].arn));
        Ok(EventDataStorePage {
            event_data_stores: visible.into_iter().take(size).cloned().collect(),
            next_token,
        })
    }
}

pub(crate) fn ongoing_import(store: &EventDataStore) -> Error {
    Error::rejected(
        ErrorKind::EventDataStoreHasOngoingImport,
        format!(
            "an import into event data store `{}` is in progress; wait for it to finish or \
             stop it",
            store.arn
        ),
    )
}
