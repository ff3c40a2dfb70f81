//! [`RuleStore`]: every account's rules, their persistence, their change channel, and the
//! lookups the operations share.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::watch;

use crate::error::{Error, ErrorKind, Result};
use crate::limits::RuleLimits;
use crate::model::{DEFAULT_BUS, Rule};
use crate::store::{self, RulesFile};

/// Who calls: the account and Region a request is made in. Rules are scoped to both, as
/// an event bus is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Caller {
    /// The caller's account.
    pub account_id: String,
    /// The Region of the call.
    pub region: String,
}

impl Caller {
    /// A caller in `account_id` and `region`.
    pub fn new(account_id: impl Into<String>, region: impl Into<String>) -> Caller {
        Caller {
            account_id: account_id.into(),
            region: region.into(),
        }
    }

    /// Whether `rule` sits on this caller's default bus.
    pub(crate) fn owns(&self, rule: &Rule) -> bool {
        rule.account_id == self.account_id && rule.region == self.region
    }
}

/// The rules of every account, persisted in `<dir>/rules.json`, safe to share between
/// threads.
///
/// Operations (one method per EventBridge operation) take a [`Caller`] and see only the
/// rules of the caller's account and Region. Every change is written durably before the
/// method returns, then announced on [`RuleStore::subscribe`]; the router reads
/// [`RuleStore::snapshot`].
pub struct RuleStore {
    dir: PathBuf,
    limits: RuleLimits,
    state: Mutex<State>,
    changes: watch::Sender<u64>,
}

/// What the lock guards. `rules` is replaced, never changed in place, so a snapshot taken
/// earlier stays as it was.
#[derive(Debug)]
struct State {
    revision: u64,
    rules: Arc<Vec<Rule>>,
}

impl std::fmt::Debug for RuleStore {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("RuleStore")
            .field("dir", &self.dir)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl RuleStore {
    /// Opens the store kept in `dir` (created if missing), reading `rules.json` when it
    /// exists; the limits are EventBridge's defaults ([`RuleStore::with_limits`] changes
    /// them).
    ///
    /// # Errors
    ///
    /// `Io` when the folder or the file cannot be read, `Corrupt` when the file is damaged
    /// or of an unknown version (it is left as it is).
    pub fn open(dir: &Path) -> Result<RuleStore> {
        std::fs::create_dir_all(dir).map_err(|error| Error::io(dir, error))?;
        let file = store::read_rules(dir)?.unwrap_or(RulesFile {
            version: store::VERSION,
            revision: 0,
            rules: Vec::new(),
        });
        let (changes, _) = watch::channel(file.revision);
        Ok(RuleStore {
            dir: dir.to_path_buf(),
            limits: RuleLimits::default(),
            state: Mutex::new(State {
                revision: file.revision,
                rules: Arc::new(file.rules),
            }),
            changes,
        })
    }

    /// Replaces the limits in force. Rules already stored beyond new, lower limits are
    /// kept; only new ones are refused.
    #[must_use]
    pub fn with_limits(mut self, limits: RuleLimits) -> RuleStore {
        self.limits = limits;
        self
    }

    /// The limits in force.
    pub fn limits(&self) -> &RuleLimits {
        &self.limits
    }

    /// Every rule of every account, as of now; cheap to take (the list is shared, and
    /// later changes build a new one).
    pub fn snapshot(&self) -> Arc<Vec<Rule>> {
        Arc::clone(&self.lock().rules)
    }

    /// The current revision: bumped by every change.
    pub fn revision(&self) -> u64 {
        self.lock().revision
    }

    /// A channel carrying the revision, bumped after every change has been written.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is replaced only after it is written: a panic elsewhere cannot leave
        // it half changed, so a poisoned lock still guards a consistent value.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `read` on the current rules.
    pub(crate) fn read<T>(&self, read: impl FnOnce(&[Rule]) -> T) -> T {
        let rules = self.snapshot();
        read(&rules)
    }

    /// Applies `change` to a copy of the rules; when they differ afterwards, writes the
    /// copy, swaps it in and bumps the change channel. Writers are serialized by the lock,
    /// so the file always holds the latest state, and a failed write changes nothing.
    pub(crate) fn mutate<T>(&self, change: impl FnOnce(&mut Vec<Rule>) -> Result<T>) -> Result<T> {
        let mut guard = self.lock();
        let mut next = guard.rules.as_ref().clone();
        let output = change(&mut next)?;
        if next == *guard.rules {
            return Ok(output);
        }
        let file = RulesFile {
            version: store::VERSION,
            revision: guard.revision + 1,
            rules: next,
        };
        store::write_rules(&self.dir, &file).inspect_err(log_write_failure)?;
        guard.revision = file.revision;
        guard.rules = Arc::new(file.rules);
        drop(guard);
        self.changes.send_replace(file.revision);
        Ok(output)
    }
}

/// The API answers a storage failure with a generic `InternalFailure`: the details go to
/// the log here, where they are known.
fn log_write_failure(error: &Error) {
    tracing::error!(error = %error, "cannot write the rule state; the change is not applied");
}

/// EventBridge's "no such rule" refusal.
pub(crate) fn rule_not_found(name: &str) -> Error {
    Error::rejected(
        ErrorKind::ResourceNotFound,
        format!("Rule {name} does not exist on EventBus {DEFAULT_BUS}."),
    )
}

/// The index of the caller's rule `name`.
pub(crate) fn position(rules: &[Rule], caller: &Caller, name: &str) -> Option<usize> {
    rules
        .iter()
        .position(|rule| caller.owns(rule) && rule.name == name)
}

/// The index of the caller's rule `name`, or EventBridge's refusal.
pub(crate) fn find(rules: &[Rule], caller: &Caller, name: &str) -> Result<usize> {
    position(rules, caller, name).ok_or_else(|| rule_not_found(name))
}
