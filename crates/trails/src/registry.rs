//! [`Trails`]: the registry of every account's trails, its persistence, its change
//! channel, and the lookups every operation shares.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard};

use tokio::sync::watch;

use opentrail_selectors::NetworkSources;
use opentrail_types::{SharedClock, Timestamp};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Caller, Trail, TrailLimits, TrailStatus};
use crate::names::{TrailRef, trail_arn};
use crate::store::{self, STATUS_FILE, StatusEntry, StatusFile, TRAILS_FILE, TrailsFile};

/// The trails of every account, persisted in a folder, safe to share between threads.
///
/// Operations (one method per CloudTrail operation) take a [`Caller`]; they see only the
/// caller's account. The delivery engine reads [`Trails::snapshot`], waits on
/// [`Trails::subscribe`], reports through [`Trails::update_status`] and removes the
/// tombstones of deleted trails with [`Trails::purge`].
pub struct Trails {
    pub(crate) dir: PathBuf,
    pub(crate) clock: SharedClock,
    pub(crate) limits: TrailLimits,
    pub(crate) network_sources: NetworkSources,
    state: RwLock<TrailsFile>,
    statuses: Mutex<Vec<StatusEntry>>,
    changes: watch::Sender<u64>,
}

impl std::fmt::Debug for Trails {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Trails")
            .field("dir", &self.dir)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// How a "trail not found" message names the trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotFoundText {
    /// As the caller wrote it.
    AsGiven,
    /// As an ARN, built from a name in the caller's region and account (GetTrailStatus and
    /// GetEventSelectors do this on AWS).
    AsArn,
}

impl Trails {
    /// Opens the registry kept in `dir` (created if missing), reading `trails.json` and
    /// `status.json` when they exist.
    ///
    /// # Errors
    ///
    /// `Io` when the folder or a file cannot be read, `Corrupt` when a file is damaged or
    /// of an unknown version (it is left as it is).
    pub fn open(dir: &Path, clock: SharedClock, limits: TrailLimits) -> Result<Trails> {
        std::fs::create_dir_all(dir).map_err(|error| Error::io(dir, error))?;
        let state = store::read_trails(dir)?.unwrap_or(TrailsFile {
            version: store::VERSION,
            revision: 0,
            trails: Vec::new(),
        });
        let statuses = store::read_statuses(dir)?.map_or_else(Vec::new, |file| file.statuses);
        let (changes, _) = watch::channel(state.revision);
        Ok(Trails {
            dir: dir.to_path_buf(),
            clock,
            limits,
            network_sources: NetworkSources::default(),
            state: RwLock::new(state),
            statuses: Mutex::new(statuses),
            changes,
        })
    }

    /// Replaces the event sources network activity selectors may name (default: AWS's
    /// list).
    #[must_use]
    pub fn with_network_sources(mut self, sources: NetworkSources) -> Trails {
        self.network_sources = sources;
        self
    }

    /// The limits in force.
    pub fn limits(&self) -> &TrailLimits {
        &self.limits
    }

    /// A channel whose value is bumped on every change of any trail (including DeleteTrail
    /// and [`Trails::purge`]; not on status updates).
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// Every trail of every account, tombstones of deleted trails included.
    pub fn snapshot(&self) -> Vec<Trail> {
        self.read().trails.clone()
    }

    /// Removes the tombstones of deleted trails with `arn` (after the delivery engine
    /// wrote their final digest), with their status. Live trails are not touched; an ARN
    /// without tombstones is not an error.
    ///
    /// # Errors
    ///
    /// The state could not be written.
    pub fn purge(&self, arn: &str) -> Result<()> {
        let purged: Vec<Timestamp> = self
            .read()
            .trails
            .iter()
            .filter(|trail| trail.is_deleted() && trail.arn == arn)
            .map(|trail| trail.created)
            .collect();
        if purged.is_empty() {
            return Ok(());
        }
        self.mutate(|state| {
            state
                .trails
                .retain(|trail| !(trail.is_deleted() && trail.arn == arn));
            Ok(())
        })?;
        let mut statuses = self.lock_statuses();
        let mut next = statuses.clone();
        next.retain(|entry| !(entry.arn == arn && purged.contains(&entry.created)));
        self.write_statuses(&mut statuses, next)
    }

    /// Changes the status board of the trail with `arn` (the live one, or else the
    /// newest tombstone). An ARN no trail has is ignored: the trail was purged meanwhile.
    ///
    /// # Errors
    ///
    /// `status.json` could not be written.
    pub fn update_status(&self, arn: &str, change: impl FnOnce(&mut TrailStatus)) -> Result<()> {
        let created = {
            let state = self.read();
            let live = state
                .trails
                .iter()
                .find(|trail| trail.arn == arn && !trail.is_deleted());
            let newest_tombstone = state
                .trails
                .iter()
                .filter(|trail| trail.arn == arn)
                .max_by_key(|trail| trail.created);
            match live.or(newest_tombstone) {
                Some(trail) => trail.created,
                None => return Ok(()),
            }
        };
        let mut statuses = self.lock_statuses();
        let mut next = statuses.clone();
        let position = next
            .iter()
            .position(|entry| entry.arn == arn && entry.created == created);
        let index = match position {
            Some(index) => index,
            None => {
                next.push(StatusEntry {
                    arn: arn.to_owned(),
                    created,
                    status: TrailStatus::default(),
                });
                next.len() - 1
            }
        };
        change(&mut next[index].status);
        if position.is_some() && next == *statuses {
            return Ok(());
        }
        self.write_statuses(&mut statuses, next)
    }

    /// The status board of `trail`.
    pub(crate) fn status_of(&self, trail: &Trail) -> TrailStatus {
        self.lock_statuses()
            .iter()
            .find(|entry| entry.arn == trail.arn && entry.created == trail.created)
            .map(|entry| entry.status.clone())
            .unwrap_or_default()
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub(crate) fn read(&self) -> RwLockReadGuard<'_, TrailsFile> {
        // The state is replaced only after it is written: a panic elsewhere cannot leave
        // it half changed, so a poisoned lock still guards a consistent value.
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_statuses(&self) -> MutexGuard<'_, Vec<StatusEntry>> {
        self.statuses.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn write_statuses(
        &self,
        statuses: &mut MutexGuard<'_, Vec<StatusEntry>>,
        next: Vec<StatusEntry>,
    ) -> Result<()> {
        let file = StatusFile {
            version: store::VERSION,
            statuses: next,
        };
        store::write_json(&self.dir, STATUS_FILE, &file).inspect_err(log_write_failure)?;
        **statuses = file.statuses;
        Ok(())
    }

    /// Applies `change` to a copy of the state; when the trails differ afterwards, writes
    /// the copy, swaps it in and bumps the change channel. Writers are serialized by the
    /// lock, so the file always holds the latest state.
    pub(crate) fn mutate<T>(&self, change: impl FnOnce(&mut TrailsFile) -> Result<T>) -> Result<T> {
        let mut guard = self.state.write().unwrap_or_else(PoisonError::into_inner);
        let mut next = guard.clone();
        let output = change(&mut next)?;
        if next.trails == guard.trails {
            return Ok(output);
        }
        next.revision += 1;
        store::write_json(&self.dir, TRAILS_FILE, &next).inspect_err(log_write_failure)?;
        let revision = next.revision;
        *guard = next;
        drop(guard);
        self.changes.send_replace(revision);
        Ok(output)
    }
}

/// The API answers a storage failure with a generic `InternalFailure`: the details go to
/// the log here, where they are known.
fn log_write_failure(error: &Error) {
    tracing::error!(error = %error, "cannot write the trail state; the change is not applied");
}

/// The "trail not found" refusal.
pub(crate) fn trail_not_found(caller: &Caller, given: &str, text: NotFoundText) -> Error {
    let shown = match text {
        NotFoundText::AsArn if !given.starts_with("arn:") => {
            trail_arn(&caller.region, &caller.account_id, given)
        }
        _ => given.to_owned(),
    };
    Error::rejected(
        ErrorKind::TrailNotFound,
        format!("Unknown trail: {shown} for the user: {}", caller.account_id),
    )
}

/// Finds the live trail `reference` names for `caller`: a name among the trails whose home
/// is the caller's region, an ARN among all the caller's trails. Returns its index.
pub(crate) fn find(
    trails: &[Trail],
    caller: &Caller,
    reference: &TrailRef,
    given: &str,
    text: NotFoundText,
) -> Result<usize> {
    let position = trails.iter().position(|trail| {
        !trail.is_deleted()
            && trail.account_id == caller.account_id
            && match reference {
                TrailRef::Name(name) => trail.home_region == caller.region && &trail.name == name,
                TrailRef::Arn(arn) => trail.arn == arn.to_arn_string(),
            }
    });
    position.ok_or_else(|| trail_not_found(caller, given, text))
}

/// As [`find`], for writes: the trail must have its home in the caller's region.
pub(crate) fn find_for_write(trails: &[Trail], caller: &Caller, given: &str) -> Result<usize> {
    let reference = TrailRef::parse(given)?;
    let index = find(trails, caller, &reference, given, NotFoundText::AsGiven)?;
    check_home_region(&trails[index], caller)?;
    Ok(index)
}

/// Refuses a write on a trail from outside its home region.
pub(crate) fn check_home_region(trail: &Trail, caller: &Caller) -> Result<()> {
    if trail.home_region != caller.region {
        return Err(Error::rejected(
            ErrorKind::InvalidHomeRegion,
            format!(
                "trail `{}` can only be changed in its home region `{}`, not in `{}`",
                trail.arn, trail.home_region, caller.region
            ),
        ));
    }
    Ok(())
}
