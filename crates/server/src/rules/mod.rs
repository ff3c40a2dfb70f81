//! EventBridge-style rules in the server: the rule store (`<data dir>/rules/rules.json`,
//! served by the `AWSEvents` API), and the router, a journal consumer that wraps each
//! event in the EventBridge envelope, matches it against every enabled rule at once and
//! hands it to the lanes of the matching rules' targets (`lanes.rs`).
//!
//! Delivery is at least once. Each lane's position (the first event it may not have
//! handled) is saved every `rules.save_interval_ms` and at shutdown
//! ([`positions`]); after a crash or restart a lane resumes there, so an event is never
//! skipped for a rule and only the events handled since the last save, and those in
//! flight, are sent again. The envelope's `id` is derived from the `eventID`, so a
//! receiver can drop such repeats.

mod lanes;
pub mod positions;
mod router;
mod select;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use opentrail_journal::Journal;
use opentrail_routing::{ApiDestination, Deliverer, Envelope, TargetsConfig};
use opentrail_rules::RuleStore;
use opentrail_trails::Trails;
use opentrail_types::SharedClock;

use crate::config::RulesSection;
use crate::error::{Error, Result};
use lanes::{LaneContext, Shared};
use router::Router;

/// Entries and bytes the router reads at once.
const READ_ENTRIES: usize = 4_096;
const READ_BYTES: usize = 16 << 20;
/// Events larger than this are not routed (EventBridge's event size limit).
pub const MAX_ROUTED_BYTES: usize = 256 * 1024;

/// The rule store and the router.
#[derive(Debug)]
pub struct RulesSystem {
    store: Arc<RuleStore>,
    journal: Journal,
    trails: Arc<Trails>,
    clock: SharedClock,
    settings: RulesSection,
    dir: PathBuf,
    targets: TargetsConfig,
    running: Mutex<Option<Running>>,
}

#[derive(Debug)]
struct Running {
    stop: Arc<AtomicBool>,
    router: JoinHandle<()>,
}

impl RulesSystem {
    /// Opens the rule store under `root/rules/`.
    ///
    /// # Errors
    ///
    /// The store cannot be read (a damaged `rules.json` is an error, never an empty
    /// store).
    pub fn open(
        root: &Path,
        settings: RulesSection,
        journal: Journal,
        trails: Arc<Trails>,
        clock: SharedClock,
    ) -> Result<RulesSystem> {
        let dir = root.join("rules");
        std::fs::create_dir_all(&dir).map_err(|error| Error::RulesState {
            path: dir.clone(),
            detail: error.to_string(),
        })?;
        let store = RuleStore::open(&dir).map_err(|error| Error::RulesState {
            path: dir.clone(),
            detail: error.to_string(),
        })?;
        let file_dir = if settings.file_dir.as_os_str().is_empty() {
            dir.join("files")
        } else {
            settings.file_dir.clone()
        };
        let dead_letter_file = if settings.dead_letter_file.as_os_str().is_empty() {
            dir.join("dead-letter.ndjson")
        } else {
            settings.dead_letter_file.clone()
        };
        let webhook_timeout = Duration::from_secs(settings.webhook_timeout_secs);
        let targets = TargetsConfig {
            file_dir,
            dead_letter_file,
            api_destinations: settings
                .api_destinations
                .iter()
                .map(|destination| ApiDestination {
                    name: destination.name.clone(),
                    url: destination.url.clone(),
                    secret: destination.secret.clone(),
                    timeout: destination
                        .timeout_secs
                        .map_or(webhook_timeout, Duration::from_secs),
                    headers: destination.headers.clone(),
                })
                .collect(),
            webhook_timeout,
            backoff_initial: Duration::from_millis(settings.backoff_initial_ms),
            backoff_max: Duration::from_secs(settings.backoff_max_secs),
        };
        Ok(RulesSystem {
            store: Arc::new(store),
            journal,
            trails,
            clock,
            settings,
            dir,
            targets,
            running: Mutex::new(None),
        })
    }

    /// The rule store.
    pub fn store(&self) -> &RuleStore {
        &self.store
    }

    /// The names of the configured API destinations.
    pub fn api_destination_names(&self) -> Vec<String> {
        self.targets
            .api_destinations
            .iter()
            .map(|destination| destination.name.clone())
            .collect()
    }

    /// Starts the router (when `rules.enabled`) on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// The saved positions cannot be read, the targets cannot be set up, or the thread
    /// cannot start.
    pub fn start(&self) -> Result<()> {
        if !self.settings.enabled {
            return Ok(());
        }
        let deliverer =
            Deliverer::new(self.targets.clone(), self.clock.clone()).map_err(|error| {
                Error::RulesState {
                    path: self.targets.file_dir.clone(),
                    detail: error.to_string(),
                }
            })?;
        let saved = positions::read(&self.dir)?;
        let start = match &saved {
            Some(saved) => saved.router,
            // First start: rules see events from now on.
            None => self.journal.committed().position(),
        };
        let stop = Arc::new(AtomicBool::new(false));
        let context = LaneContext {
            shared: Arc::new(Shared::new(start)),
            deliverer: Arc::new(deliverer),
            runtime: tokio::runtime::Handle::current(),
            journal: self.journal.clone(),
            stop: Arc::clone(&stop),
            queue_capacity: self.settings.queue_capacity,
            in_flight: self.settings.in_flight,
            require_trail: self.settings.require_trail,
        };
        let router = Router {
            context,
            store: Arc::clone(&self.store),
            trails: Arc::clone(&self.trails),
            dir: self.dir.clone(),
            save_interval: Duration::from_millis(self.settings.save_interval_ms),
            saved: saved.map(|saved| saved.lanes).unwrap_or_default(),
        };
        let handle = std::thread::Builder::new()
            .name(String::from("rules"))
            .spawn(move || router.run(start))
            .map_err(|error| Error::RulesState {
                path: self.dir.clone(),
                detail: format!("cannot start the router thread: {error}"),
            })?;
        *self.running.lock().unwrap_or_else(PoisonError::into_inner) = Some(Running {
            stop,
            router: handle,
        });
        Ok(())
    }

    /// Stops the router and saves every lane's position; deliveries in flight are
    /// abandoned (and sent again on the next start).
    pub fn stop(&self) {
        let running = self
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(running) = running {
            running.stop.store(true, Ordering::Relaxed);
            if running.router.join().is_err() {
                tracing::error!("the rule router panicked");
            }
        }
    }
}

/// Wraps a record in the envelope; `None` (with a log line) for records that are not
/// routed: larger than 256 KB or not a readable record.
pub(crate) fn build_envelope(payload: &[u8]) -> Option<Envelope> {
    if payload.len() > MAX_ROUTED_BYTES {
        return None;
    }
    match opentrail_routing::envelope(payload) {
        Ok(envelope) => Some(envelope),
        Err(error) => {
            tracing::debug!(error = %error, "a journal record is not routed");
            None
        }
    }
}

/// What the router reports (log line and metric together).
#[derive(Debug)]
pub(crate) enum RouterEvent<'a> {
    /// A batch was handed out.
    Routed {
        /// Events that matched at least one rule.
        events: usize,
        /// Lanes catching up.
        lagging: usize,
    },
    /// A target's queue was full: it catches up from the journal on its own.
    FellBehind {
        /// The rule's ARN.
        rule: &'a str,
        /// The target's id.
        target: &'a str,
    },
    /// A lane caught up and is fed by the router again.
    CaughtUp {
        /// The rule's ARN.
        rule: &'a str,
        /// The target's id.
        target: &'a str,
    },
}

impl RouterEvent<'_> {
    pub(crate) fn emit(self) {
        match self {
            RouterEvent::Routed { events, lagging } => {
                metrics::counter!(crate::metrics::RULES_MATCHED).increment(events as u64);
                metrics::gauge!(crate::metrics::RULES_LAGGING_TARGETS).set(lagging as f64);
            }
            RouterEvent::FellBehind { rule, target } => {
                tracing::warn!(rule = %rule, target = %target, "a rule target fell behind; it catches up from the journal on its own");
                metrics::counter!(crate::metrics::RULES_FELL_BEHIND).increment(1);
            }
            RouterEvent::CaughtUp { rule, target } => {
                tracing::info!(rule = %rule, target = %target, "a rule target caught up");
            }
        }
    }
}
