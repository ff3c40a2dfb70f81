//! Trail delivery (`spec/trails-and-integrity.md` §1–§2): for every trail, a journal
//! consumer that batches the events the trail selects into CloudTrail log files, writes
//! them to the trail's bucket, and keeps the trail's hourly signed digest chains.
//!
//! Guarantees:
//! - **At least once, never twice.** A flush spools its files and saves the journal
//!   position with them in one atomic state write before anything is uploaded (see
//!   [`state`]); after a crash the spooled files are uploaded again under the same keys,
//!   and events not yet flushed are read again.
//! - **Bounded memory.** Open batches close when the oldest event has waited the
//!   delivery interval or when they hold [`DeliveryConfig::max_batch_bytes`].
//! - **Chains never break silently.** Digest *n+1* is spooled after digest *n* and the
//!   outbox uploads in order, so it is never stored before *n*.
//!
//! Time comes from the injected clock; each trail has one thread, which blocks on the
//! journal's commit signal (waking at least every 100 ms) and on uploads (through the
//! server's async runtime).

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use opentrail_blob::BucketResolver;
use opentrail_digest::KeyRing;
use opentrail_journal::{Journal, Position};
use opentrail_trails::Trails;
use opentrail_types::{SharedClock, SharedIds, Timestamp};

pub mod batch;
mod chain;
pub mod error;
mod events;
pub mod route;
pub mod state;
mod worker;

pub use error::{Error, ErrorKind, Result};
pub use worker::trail_id;

/// Delivery settings.
#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    /// How long the oldest event of a batch may wait before its file is written
    /// (CloudTrail: about 5 minutes).
    pub delivery_interval: Duration,
    /// Digest period (CloudTrail: one hour).
    pub digest_period: Duration,
    /// Open batches close when they hold this many bytes of records (bounds memory and
    /// keeps compressed files well under CloudTrail's 50 MB).
    pub max_batch_bytes: usize,
}

impl Default for DeliveryConfig {
    fn default() -> DeliveryConfig {
        DeliveryConfig {
            delivery_interval: Duration::from_secs(300),
            digest_period: Duration::from_secs(3_600),
            max_batch_bytes: 64 << 20,
        }
    }
}

/// How often the manager looks for new trails and notes the journal position.
const MANAGER_TICK: Duration = Duration::from_millis(100);
/// How many (time, position) notes the manager keeps: an hour at one per second.
const CHECKPOINTS: usize = 3_600;

/// What every worker shares.
pub(crate) struct Context {
    pub(crate) journal: Journal,
    pub(crate) trails: Arc<Trails>,
    pub(crate) buckets: Arc<BucketResolver>,
    pub(crate) keys: Arc<KeyRing>,
    pub(crate) clock: SharedClock,
    pub(crate) ids: SharedIds,
    pub(crate) config: DeliveryConfig,
    pub(crate) runtime: tokio::runtime::Handle,
    pub(crate) root: PathBuf,
    pub(crate) stopping: AtomicBool,
    /// (time, committed position then), oldest first: where a new trail starts reading.
    checkpoints: Mutex<VecDeque<(Timestamp, Position)>>,
}

impl Context {
    /// The journal position to start a new trail's reading from: the last noted
    /// position at least a second older than `start` (events before `start` are skipped
    /// by their arrival time), or the journal's start when none is that old.
    pub(crate) fn position_before(&self, start: Timestamp) -> Position {
        let checkpoints = self
            .checkpoints
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let limit = start.as_millis() - 1_000;
        checkpoints
            .iter()
            .rev()
            .find(|(time, _)| time.as_millis() <= limit)
            .map_or_else(|| self.journal.start_position(), |(_, position)| *position)
    }

    /// Changes the trail's status board; a failure to save it is logged, not fatal (the
    /// status is advisory, delivery goes on).
    pub(crate) fn set_status(
        &self,
        arn: &str,
        change: impl FnOnce(&mut opentrail_trails::TrailStatus),
    ) {
        if let Err(error) = self.trails.update_status(arn, change) {
            tracing::warn!(trail = %arn, error = %error, "cannot save the trail status");
        }
    }

    fn note_checkpoint(&self) {
        let now = self.clock.now();
        let position = self.journal.committed().position();
        let mut checkpoints = self
            .checkpoints
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if checkpoints
            .back()
            .is_some_and(|(time, _)| now.as_millis() - time.as_millis() < 1_000)
        {
            return;
        }
        if checkpoints.len() == CHECKPOINTS {
            checkpoints.pop_front();
        }
        checkpoints.push_back((now, position));
    }
}

/// The parts delivery works with.
#[derive(Debug)]
pub struct Parts {
    /// The journal to read.
    pub journal: Journal,
    /// The trails.
    pub trails: Arc<Trails>,
    /// Destination buckets.
    pub buckets: Arc<BucketResolver>,
    /// Digest signing keys.
    pub keys: Arc<KeyRing>,
    /// Time.
    pub clock: SharedClock,
    /// IDs (the unique part of file names).
    pub ids: SharedIds,
    /// The async runtime uploads run on.
    pub runtime: tokio::runtime::Handle,
    /// `<data dir>/delivery`.
    pub root: PathBuf,
}

/// The running delivery engine: a manager thread that starts one worker per trail.
#[derive(Debug)]
pub struct Delivery {
    context: Arc<Context>,
    manager: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Context")
            .field("root", &self.root)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Delivery {
    /// Starts delivery for every trail, now and as they come.
    ///
    /// # Errors
    ///
    /// The delivery folder cannot be created.
    pub fn start(parts: Parts, config: DeliveryConfig) -> Result<Delivery> {
        std::fs::create_dir_all(&parts.root).map_err(|error| Error::io(&parts.root, error))?;
        let context = Arc::new(Context {
            journal: parts.journal,
            trails: parts.trails,
            buckets: parts.buckets,
            keys: parts.keys,
            clock: parts.clock,
            ids: parts.ids,
            config,
            runtime: parts.runtime,
            root: parts.root,
            stopping: AtomicBool::new(false),
            checkpoints: Mutex::new(VecDeque::new()),
        });
        context.note_checkpoint();
        let manager_context = Arc::clone(&context);
        let manager = std::thread::Builder::new()
            .name(String::from("delivery"))
            .spawn(move || manage(&manager_context))
            .map_err(|error| Error::io(&context.root, error))?;
        Ok(Delivery {
            context,
            manager: Some(manager),
        })
    }

    /// Stops every worker after its current step. Open batches are not written: their
    /// events are read again from the journal on the next start.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.context.stopping.store(true, Ordering::Release);
        if let Some(manager) = self.manager.take()
            && manager.join().is_err()
        {
            tracing::error!("the delivery manager thread panicked");
        }
    }
}

impl Drop for Delivery {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Starts a worker for each trail that logs or has delivery work left, and notes the
/// journal position every second for trails that start later.
fn manage(context: &Arc<Context>) {
    let mut workers: HashMap<(String, Timestamp), JoinHandle<()>> = HashMap::new();
    while !context.stopping.load(Ordering::Acquire) {
        context.note_checkpoint();
        workers.retain(|_, worker| !worker.is_finished());
        for trail in context.trails.snapshot() {
            let key = (trail.arn.clone(), trail.created);
            if workers.contains_key(&key) {
                continue;
            }
            // An unreadable folder counts as existing: the worker's open reports the error.
            let has_state = context
                .root
                .join(trail_id(&trail.arn, trail.created))
                .try_exists()
                .unwrap_or(true);
            if trail.logging_history.is_empty() && !has_state {
                continue;
            }
            match worker::Worker::open(Arc::clone(context), &trail) {
                Ok(worker) => {
                    let spawned = std::thread::Builder::new()
                        .name(format!("deliver-{}", trail.name))
                        .spawn(move || worker.run());
                    match spawned {
                        Ok(handle) => {
                            workers.insert(key, handle);
                        }
                        Err(error) => {
                            tracing::error!(trail = %trail.arn, error = %error, "cannot start a delivery thread");
                        }
                    }
                }
                Err(error) => {
                    tracing::error!(trail = %trail.arn, error = %error, "cannot open the trail's delivery state");
                }
            }
        }
        std::thread::sleep(MANAGER_TICK);
    }
    for (_, worker) in workers {
        if worker.join().is_err() {
            tracing::error!("a delivery thread panicked");
        }
    }
}
