//! [`Lake`]: the registry of every account's event data stores and channels, its
//! persistence, its change channel, and the lookups every operation shares.

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};

use tokio::sync::watch;

use opentrail_selectors::NetworkSources;
use opentrail_types::{SharedClock, SharedIds, Timestamp};

use crate::arns::{Reference, parse_channel_reference, parse_store_reference};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Caller, Channel, EventDataStore, LakeLimits, StoreSnapshot};
use crate::persist::{self, CHANNELS_FILE, ChannelsFile, STORES_FILE, StoresFile};

/// Tells whether an import into the store with the given ID is running. The import
/// machinery installs one with [`Lake::set_import_check`]; until then no import runs.
pub type ImportCheck = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// Everything the registry keeps, as one value: replaced whole on every change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct State {
    pub(crate) revision: u64,
    pub(crate) stores: Vec<EventDataStore>,
    pub(crate) channels: Vec<Channel>,
}

/// The event data stores and channels of every account, persisted in a folder, safe to
/// share between threads.
///
/// Operations (one method per CloudTrail operation) take a [`Caller`] and see only the
/// caller's account. The Lake writer reads [`Lake::snapshot`], waits on
/// [`Lake::subscribe`], and deletes the data of the stores [`Lake::purge_expired`]
/// returns; the PutAuditEvents path reports through [`Lake::record_ingestion`].
pub struct Lake {
    pub(crate) dir: PathBuf,
    pub(crate) clock: SharedClock,
    pub(crate) ids: SharedIds,
    pub(crate) limits: LakeLimits,
    pub(crate) network_sources: NetworkSources,
    state: RwLock<State>,
    import_check: RwLock<Option<ImportCheck>>,
    changes: watch::Sender<u64>,
}

impl std::fmt::Debug for Lake {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Lake")
            .field("dir", &self.dir)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Lake {
    /// Opens the registry kept in `dir` (created if missing), reading `stores.json` and
    /// `channels.json` when they exist.
    ///
    /// # Errors
    ///
    /// `Io` when the folder or a file cannot be read, `Corrupt` when a file is damaged or
    /// of an unknown version (it is left as it is).
    pub fn open(
        dir: &Path,
        clock: SharedClock,
        ids: SharedIds,
        limits: LakeLimits,
    ) -> Result<Lake> {
        std::fs::create_dir_all(dir).map_err(|error| Error::io(dir, error))?;
        let stores = persist::read_stores(dir)?;
        let channels = persist::read_channels(dir)?;
        let state = State {
            revision: stores.as_ref().map_or(0, |file| file.revision),
            stores: stores.map_or_else(Vec::new, |file| file.event_data_stores),
            channels: channels.map_or_else(Vec::new, |file| file.channels),
        };
        let (changes, _) = watch::channel(state.revision);
        Ok(Lake {
            dir: dir.to_path_buf(),
            clock,
            ids,
            limits,
            network_sources: NetworkSources::default(),
            state: RwLock::new(state),
            import_check: RwLock::new(None),
            changes,
        })
    }

    /// Replaces the event sources network activity selectors may name (default: AWS's
    /// list).
    #[must_use]
    pub fn with_network_sources(mut self, sources: NetworkSources) -> Lake {
        self.network_sources = sources;
        self
    }

    /// Installs the check DeleteEventDataStore and UpdateEventDataStore make for a
    /// running import (`EventDataStoreHasOngoingImportException`).
    pub fn set_import_check(&self, check: ImportCheck) {
        *self
            .import_check
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(check);
    }

    /// The limits in force.
    pub fn limits(&self) -> &LakeLimits {
        &self.limits
    }

    /// A channel whose value is bumped on every change of a store or channel (not on
    /// ingestion status reports).
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// Every store of every account, pending-deletion ones included, for the Lake writer.
    pub fn snapshot(&self) -> Vec<StoreSnapshot> {
        self.read()
            .stores
            .iter()
            .map(|store| StoreSnapshot {
                id: store.id.clone(),
                arn: store.arn.clone(),
                account_id: store.account_id.clone(),
                home_region: store.home_region.clone(),
                multi_region_enabled: store.multi_region_enabled,
                kind: store.kind,
                advanced_event_selectors: store.advanced_event_selectors.clone(),
                status: store.status,
                retention_period_days: store.retention_period_days,
                created: store.created,
            })
            .collect()
    }

    /// Every channel of every account, for the Lake writer (which store takes which
    /// channel's events) and the Data API (which channel an ARN names).
    pub fn channels_snapshot(&self) -> Vec<Channel> {
        self.read().channels.clone()
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub(crate) fn has_ongoing_import(&self, store_id: &str) -> bool {
        let check = self
            .import_check
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        check.is_some_and(|check| check(store_id))
    }

    pub(crate) fn read(&self) -> RwLockReadGuard<'_, State> {
        // The state is replaced only after it is written: a panic elsewhere cannot leave
        // it half changed, so a poisoned lock still guards a consistent value.
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies `change` to a copy of the state; writes the files that differ afterwards
    /// and swaps the copy in. When `notify`, a change bumps the revision and the change
    /// channel. Writers are serialized by the lock, so the files hold the latest state.
    pub(crate) fn mutate<T>(
        &self,
        notify: bool,
        change: impl FnOnce(&mut State) -> Result<T>,
    ) -> Result<T> {
        let mut guard = self.state.write().unwrap_or_else(PoisonError::into_inner);
        let mut next = guard.clone();
        let output = change(&mut next)?;
        let stores_changed = next.stores != guard.stores;
        let channels_changed = next.channels != guard.channels;
        if !stores_changed && !channels_changed {
            return Ok(output);
        }
        if notify {
            next.revision += 1;
        }
        if stores_changed || next.revision != guard.revision {
            let file = StoresFile {
                version: persist::STORES_VERSION,
                revision: next.revision,
                event_data_stores: next.stores.clone(),
            };
            persist::write_json(&self.dir, STORES_FILE, &file).inspect_err(log_write_failure)?;
        }
        if channels_changed {
            let file = ChannelsFile {
                version: persist::CHANNELS_VERSION,
                channels: next.channels.clone(),
            };
            persist::write_json(&self.dir, CHANNELS_FILE, &file).inspect_err(log_write_failure)?;
        }
        let revision = next.revision;
        let bumped = revision != guard.revision;
        *guard = next;
        drop(guard);
        if bumped {
            self.changes.send_replace(revision);
        }
        Ok(output)
    }
}

/// The API answers a storage failure with a generic `InternalFailure`: the details go to
/// the log here, where they are known.
fn log_write_failure(error: &Error) {
    tracing::error!(error = %error, "cannot write the lake state; the change is not applied");
}

/// The "store not found" refusal.
pub(crate) fn store_not_found(given: &str) -> Error {
    Error::rejected(
        ErrorKind::EventDataStoreNotFound,
        format!("Event data store `{given}` not found"),
    )
}

/// Finds the store `given` (ARN or ID) names among the caller's stores visible in the
/// caller's region, whatever its status. Returns its index.
pub(crate) fn find_store(stores: &[EventDataStore], caller: &Caller, given: &str) -> Result<usize> {
    let reference = parse_store_reference(given)?;
    if let Reference::Arn { account, .. } = &reference
        && *account != caller.account_id
    {
        return Err(Error::rejected(
            ErrorKind::EventDataStoreArnInvalid,
            format!(
                "`{given}` does not map to an event data store of account {}",
                caller.account_id
            ),
        ));
    }
    let position = stores.iter().position(|store| {
        store.account_id == caller.account_id
            && store.id == reference.id()
            && store.is_visible_in(&caller.region)
            && match &reference {
                Reference::Arn { region, .. } => store.home_region == *region,
                Reference::Id(_) => true,
            }
    });
    position.ok_or_else(|| store_not_found(given))
}

/// As [`find_store`], for writes: the store must have its home in the caller's region.
pub(crate) fn find_store_for_write(
    stores: &[EventDataStore],
    caller: &Caller,
    given: &str,
) -> Result<usize> {
    let index = find_store(stores, caller, given)?;
    let store = &stores[index];
    if store.home_region != caller.region {
        return Err(Error::rejected(
            ErrorKind::InvalidHomeRegion,
            format!(
                "event data store `{}` can only be changed in its home region `{}`, not in `{}`",
                store.arn, store.home_region, caller.region
            ),
        ));
    }
    Ok(index)
}

/// Refuses an operation that needs an active store on a store pending deletion.
pub(crate) fn check_active(store: &EventDataStore) -> Result<()> {
    if store.is_pending_deletion() {
        return Err(Error::rejected(
            ErrorKind::InactiveEventDataStore,
            format!(
                "event data store `{}` is pending deletion; restore it first",
                store.arn
            ),
        ));
    }
    Ok(())
}

/// Finds the channel `given` (ARN or ID) names among the caller's channels of the
/// caller's region. Returns its index.
pub(crate) fn find_channel(channels: &[Channel], caller: &Caller, given: &str) -> Result<usize> {
    let reference = parse_channel_reference(given)?;
    let position = channels.iter().position(|channel| {
        channel.account_id == caller.account_id
            && channel.region == caller.region
            && channel.id == reference.id()
            && match &reference {
                Reference::Arn {
                    region, account, ..
                } => channel.region == *region && channel.account_id == *account,
                Reference::Id(_) => true,
            }
    });
    position.ok_or_else(|| {
        Error::rejected(
            ErrorKind::ChannelNotFound,
            format!("Channel `{given}` not found"),
        )
    })
}
