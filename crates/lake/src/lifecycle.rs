//! DeleteEventDataStore, RestoreEventDataStore, Start/StopEventDataStoreIngestion, and
//! the purge of stores whose deletion wait is over (`spec/events-and-queries.md` §3.2.4).

use opentrail_types::Timestamp;

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Caller, EventDataStore, EventDataStoreStatus, StoreKind};
use crate::registry::{Lake, check_active, find_store_for_write};
use crate::stores::ongoing_import;

const MILLIS_PER_DAY: i64 = 86_400_000;

fn days_to_millis(days: i64) -> i64 {
    days.saturating_mul(MILLIS_PER_DAY)
}

impl Lake {
    /// DeleteEventDataStore: the store goes `PENDING_DELETION` (it stops ingesting and
    /// still counts against the quota) and is purged after the wait
    /// ([`crate::LakeLimits::deletion_wait_days`]) unless restored.
    ///
    /// # Errors
    ///
    /// `EventDataStoreArnInvalid`, `EventDataStoreNotFound`, `InvalidHomeRegion`,
    /// `InactiveEventDataStore` (already pending deletion),
    /// `EventDataStoreTerminationProtected`, `ChannelExistsForEds`,
    /// `EventDataStoreHasOngoingImport`, storage errors.
    pub fn delete_event_data_store(&self, caller: &Caller, given: &str) -> Result<()> {
        let store_id = {
            let state = self.read();
            let index = find_store_for_write(&state.stores, caller, given)?;
            state.stores[index].id.clone()
        };
        // Asked outside the lock: the check belongs to another component.
        let importing = self.has_ongoing_import(&store_id);
        let now = self.now();
        self.mutate(true, |state| {
            let index = find_store_for_write(&state.stores, caller, given)?;
            let store = &state.stores[index];
            check_active(store)?;
            if store.termination_protection_enabled {
                return Err(Error::rejected(
                    ErrorKind::EventDataStoreTerminationProtected,
                    format!(
                        "event data store `{}` has termination protection enabled; turn it \
                         off with UpdateEventDataStore first",
                        store.arn
                    ),
                ));
            }
            let channel = state.channels.iter().find(|channel| {
                channel
                    .destinations
                    .iter()
                    .any(|destination| destination.location == store.arn)
            });
            if let Some(channel) = channel {
                return Err(Error::rejected(
                    ErrorKind::ChannelExistsForEds,
                    format!(
                        "event data store `{}` is a destination of channel `{}`; remove it \
                         from the channel or delete the channel first",
                        store.arn, channel.arn
                    ),
                ));
            }
            if importing {
                return Err(ongoing_import(store));
            }
            let store = &mut state.stores[index];
            store.status_before_deletion = Some(store.status);
            store.status = EventDataStoreStatus::PendingDeletion;
            store.deleted_at = Some(now);
            store.updated = now;
            Ok(())
        })
    }

    /// RestoreEventDataStore: a store pending deletion, within the wait, goes back to the
    /// status it had.
    ///
    /// # Errors
    ///
    /// `EventDataStoreArnInvalid`, `EventDataStoreNotFound`, `InvalidHomeRegion`,
    /// `InvalidEventDataStoreStatus` (not pending deletion, or the wait is over),
    /// `EventDataStoreMaxLimitExceeded` (the limit was lowered meanwhile), storage errors.
    pub fn restore_event_data_store(&self, caller: &Caller, given: &str) -> Result<EventDataStore> {
        let now = self.now();
        let wait = days_to_millis(self.limits.deletion_wait_days);
        let limit = self.limits.event_data_stores_per_region;
        self.mutate(true, |state| {
            let index = find_store_for_write(&state.stores, caller, given)?;
            let store = &state.stores[index];
            let within_wait = store
                .deleted_at
                .is_some_and(|deleted| deleted.saturating_add_millis(wait) > now);
            if !store.is_pending_deletion() || !within_wait {
                return Err(Error::rejected(
                    ErrorKind::InvalidEventDataStoreStatus,
                    format!(
                        "event data store `{}` is {}; only a store pending deletion, within \
                         {} days of its deletion, can be restored",
                        store.arn,
                        store.status.as_str(),
                        self.limits.deletion_wait_days
                    ),
                ));
            }
            let in_region = state
                .stores
                .iter()
                .filter(|other| {
                    other.account_id == caller.account_id && other.home_region == caller.region
                })
                .count();
            if in_region > limit {
                return Err(Error::rejected(
                    ErrorKind::EventDataStoreMaxLimitExceeded,
                    format!(
                        "account {} has {in_region} event data stores in {}; the limit is {limit}",
                        caller.account_id, caller.region
                    ),
                ));
            }
            let store = &mut state.stores[index];
            store.status = store
                .status_before_deletion
                .take()
                .unwrap_or(EventDataStoreStatus::Enabled);
            store.deleted_at = None;
            store.updated = now;
            Ok(store.clone())
        })
    }

    /// StartEventDataStoreIngestion: `STOPPED_INGESTION → STARTING_INGESTION → ENABLED`
    /// (instant here: the final status is recorded).
    ///
    /// # Errors
    ///
    /// `EventDataStoreArnInvalid`, `EventDataStoreNotFound`, `InvalidHomeRegion`,
    /// `InvalidEventDataStoreStatus`, `InvalidEventDataStoreCategory`, storage errors.
    pub fn start_event_data_store_ingestion(&self, caller: &Caller, given: &str) -> Result<()> {
        self.change_ingestion(
            caller,
            given,
            EventDataStoreStatus::StoppedIngestion,
            EventDataStoreStatus::Enabled,
        )
    }

    /// StopEventDataStoreIngestion: `ENABLED → STOPPING_INGESTION → STOPPED_INGESTION`
    /// (instant here: the final status is recorded).
    ///
    /// # Errors
    ///
    /// As [`Lake::start_event_data_store_ingestion`].
    pub fn stop_event_data_store_ingestion(&self, caller: &Caller, given: &str) -> Result<()> {
        self.change_ingestion(
            caller,
            given,
            EventDataStoreStatus::Enabled,
            EventDataStoreStatus::StoppedIngestion,
        )
    }

    fn change_ingestion(
        &self,
        caller: &Caller,
        given: &str,
        required: EventDataStoreStatus,
        target: EventDataStoreStatus,
    ) -> Result<()> {
        let now = self.now();
        self.mutate(true, |state| {
            let index = find_store_for_write(&state.stores, caller, given)?;
            let store = &mut state.stores[index];
            if store.status != required {
                return Err(Error::rejected(
                    ErrorKind::InvalidEventDataStoreStatus,
                    format!(
                        "event data store `{}` is {}; the operation needs {}",
                        store.arn,
                        store.status.as_str(),
                        required.as_str()
                    ),
                ));
            }
            if store.kind != StoreKind::CloudTrailEvents {
                return Err(Error::rejected(
                    ErrorKind::InvalidEventDataStoreCategory,
                    format!(
                        "ingestion of event data store `{}` cannot be started or stopped: only \
                         stores of Management, Data, NetworkActivity or ConfigurationItem \
                         events can",
                        store.arn
                    ),
                ));
            }
            store.status = target;
            store.updated = now;
            Ok(())
        })
    }

    /// Removes the stores whose deletion wait is over at `now`, and returns their IDs so
    /// that the caller deletes their data.
    ///
    /// # Errors
    ///
    /// The state could not be written.
    pub fn purge_expired(&self, now: Timestamp) -> Result<Vec<String>> {
        let wait = days_to_millis(self.limits.deletion_wait_days);
        self.mutate(true, |state| {
            let mut purged = Vec::new();
            state.stores.retain(|store| {
                let expired = store.is_pending_deletion()
                    && store
                        .deleted_at
                        .is_none_or(|deleted| deleted.saturating_add_millis(wait) <= now);
                if expired {
                    purged.push(store.id.clone());
                }
                !expired
            });
            Ok(purged)
        })
    }
}
