//! Lanes: one per target of a rule. A lane has a bounded queue, a worker task that
//! delivers with up to `rules.in_flight` deliveries at once, and the set of queued jobs
//! not yet handled, from which its durable position follows.
//!
//! A live lane is fed by the router. When its queue is full the router does not wait
//! (a slow or dead target must not hold up other rules): the lane *falls behind* and a
//! catch-up thread of its own reads the journal from the first event it missed,
//! matching only its rule and waiting on the full queue, until it reaches the router's
//! position; the lane then turns live again. Both hand-overs happen under the state lock,
//! so no event is offered twice or skipped.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use opentrail_journal::{Batch, Journal, Position};
use opentrail_patterns::Pattern;
use opentrail_routing::{Deliverer, Job, RuleRef};
use opentrail_rules::{Rule, Target};
use tokio::sync::{Semaphore, mpsc};

use super::positions::{LaneKey, SavedLane};
use super::select::{TrailSet, rule_takes};
use super::{RouterEvent, build_envelope};

/// A job in a lane's queue, with the journal place of its event.
#[derive(Debug)]
pub struct Queued {
    /// The event's place in the journal.
    pub position: Position,
    /// What to deliver.
    pub job: Job,
}

/// How a lane is fed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// By the router.
    Live,
    /// By its catch-up thread, which has offered every event before `position`.
    CatchingUp {
        /// The next event the catch-up thread looks at.
        position: Position,
    },
}

/// One lane.
#[derive(Debug)]
pub struct Lane {
    /// How it is fed.
    pub mode: Mode,
    /// Its queue.
    pub sender: mpsc::Sender<Queued>,
    /// Jobs queued or in flight, by sequence number.
    pub unfinished: BTreeMap<u64, Position>,
}

/// What the router and the lanes share, under one lock.
#[derive(Debug)]
pub struct RouterState {
    /// The router has offered every event before this position.
    pub done: Position,
    /// The lanes.
    pub lanes: HashMap<LaneKey, Lane>,
}

impl RouterState {
    /// Where each lane stands: the first event it may not have handled.
    pub fn floors(&self) -> Vec<SavedLane> {
        let mut saved = Vec::with_capacity(self.lanes.len());
        for (key, lane) in &self.lanes {
            let base = match lane.mode {
                Mode::Live => self.done,
                Mode::CatchingUp { position } => position,
            };
            let position = match lane.unfinished.first_key_value() {
                Some((seq, position)) if *seq < base.next_seq => *position,
                _ => base,
            };
            saved.push(SavedLane {
                key: key.clone(),
                position,
            });
        }
        saved
    }

    /// Lanes catching up.
    pub fn lagging(&self) -> usize {
        self.lanes
            .values()
            .filter(|lane| matches!(lane.mode, Mode::CatchingUp { .. }))
            .count()
    }
}

/// The shared state.
#[derive(Debug)]
pub struct Shared {
    state: Mutex<RouterState>,
}

impl Shared {
    /// Starts at `done`, with no lane.
    pub fn new(done: Position) -> Shared {
        Shared {
            state: Mutex::new(RouterState {
                done,
                lanes: HashMap::new(),
            }),
        }
    }

    /// Locks the state (a panic elsewhere does not make it unusable: every change to it
    /// is a single assignment or insertion).
    pub fn lock(&self) -> MutexGuard<'_, RouterState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What lanes need to run.
#[derive(Debug, Clone)]
pub struct LaneContext {
    /// The shared state.
    pub shared: Arc<Shared>,
    /// Sends the events.
    pub deliverer: Arc<Deliverer>,
    /// Runs the workers.
    pub runtime: tokio::runtime::Handle,
    /// Read by catch-up threads.
    pub journal: Journal,
    /// Set when the system stops.
    pub stop: Arc<AtomicBool>,
    /// Queue length per lane.
    pub queue_capacity: usize,
    /// Deliveries in flight per lane.
    pub in_flight: usize,
    /// Whether only events some trail records are routed.
    pub require_trail: bool,
}

impl LaneContext {
    /// Makes a lane's queue and starts its worker; the caller inserts the lane.
    pub fn open_lane(&self, key: &LaneKey, mode: Mode) -> Lane {
        let (sender, receiver) = mpsc::channel(self.queue_capacity);
        let worker = Worker {
            key: key.clone(),
            shared: Arc::clone(&self.shared),
            deliverer: Arc::clone(&self.deliverer),
            slots: Arc::new(Semaphore::new(self.in_flight)),
        };
        self.runtime.spawn(worker.run(receiver));
        Lane {
            mode,
            sender,
            unfinished: BTreeMap::new(),
        }
    }

    /// Starts the catch-up thread of a lane that fell behind (or starts behind).
    pub fn start_catch_up(
        &self,
        key: LaneKey,
        rule: Rule,
        target: Arc<Target>,
        trails: Arc<TrailSet>,
    ) {
        let Ok(pattern) = Pattern::parse(&rule.event_pattern) else {
            tracing::error!(rule = %key.rule_arn, "a stored rule's pattern does not parse; its lane cannot catch up");
            return;
        };
        let context = self.clone();
        let name = format!("rules-catch-up-{}", key.target_id);
        let spawned = std::thread::Builder::new().name(name).spawn(move || {
            CatchUp {
                context,
                key,
                rule,
                pattern,
                target,
                trails,
            }
            .run();
        });
        if let Err(error) = spawned {
            tracing::error!(error = %error, "cannot start a rule lane's catch-up thread");
        }
    }
}

/// A lane's delivery worker.
struct Worker {
    key: LaneKey,
    shared: Arc<Shared>,
    deliverer: Arc<Deliverer>,
    slots: Arc<Semaphore>,
}

impl Worker {
    async fn run(self, mut receiver: mpsc::Receiver<Queued>) {
        while let Some(queued) = receiver.recv().await {
            // The semaphore is never closed, so acquiring only waits.
            let Ok(permit) = Arc::clone(&self.slots).acquire_owned().await else {
                break;
            };
            let shared = Arc::clone(&self.shared);
            let deliverer = Arc::clone(&self.deliverer);
            let key = self.key.clone();
            tokio::spawn(async move {
                let _outcome = deliverer.deliver(&queued.job).await;
                let mut state = shared.lock();
                if let Some(lane) = state.lanes.get_mut(&key) {
                    lane.unfinished.remove(&queued.position.next_seq);
                }
                drop(state);
                drop(permit);
            });
        }
    }
}

/// Entries and bytes a catch-up read takes at once.
const CATCH_UP_ENTRIES: usize = 1_024;
const CATCH_UP_BYTES: usize = 8 << 20;

/// A lane's catch-up thread.
struct CatchUp {
    context: LaneContext,
    key: LaneKey,
    rule: Rule,
    pattern: Pattern,
    target: Arc<Target>,
    trails: Arc<TrailSet>,
}

impl CatchUp {
    fn run(self) {
        let Some(start) = self.position() else {
            return;
        };
        let journal = &self.context.journal;
        let mut reader = match journal.reader(start) {
            Ok(reader) => reader,
            Err(error) => {
                // The journal no longer holds the events this target missed.
                tracing::error!(rule = %self.key.rule_arn, target = %self.key.target_id, error = %error, "a rule target's missed events are gone from the journal; it resumes at the journal's start");
                match journal.reader(journal.start_position()) {
                    Ok(reader) => reader,
                    Err(error) => {
                        tracing::error!(error = %error, "cannot read the journal for a rule target");
                        return;
                    }
                }
            }
        };
        let rule_ref = RuleRef {
            name: self.rule.name.clone(),
            arn: self.rule.arn(),
        };
        let mut batch = Batch::default();
        while !self.context.stop.load(Ordering::Relaxed) {
            let boundary = self.context.shared.lock().done;
            if reader.position().next_seq >= boundary.next_seq {
                // Caught up with the router: turn live, unless the router moved meanwhile.
                let mut state = self.context.shared.lock();
                let done = state.done;
                let Some(lane) = state.lanes.get_mut(&self.key) else {
                    return;
                };
                if reader.position().next_seq >= done.next_seq {
                    lane.mode = Mode::Live;
                    drop(state);
                    RouterEvent::CaughtUp {
                        rule: &self.key.rule_arn,
                        target: &self.key.target_id,
                    }
                    .emit();
                    return;
                }
                continue;
            }
            if let Err(error) = reader.read_batch_into(&mut batch, CATCH_UP_ENTRIES, CATCH_UP_BYTES)
            {
                tracing::error!(error = %error, "a rule target's catch-up cannot read the journal");
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
            let Some(end) = batch.end() else {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            };
            let mut reached = end;
            for entry in batch.iter() {
                let here = Position {
                    next_seq: entry.seq,
                    location: entry.location,
                };
                if entry.seq >= boundary.next_seq {
                    reached = here;
                    break;
                }
                if let Some(envelope) = build_envelope(entry.payload)
                    && rule_takes(&self.rule, &self.pattern, &envelope)
                    && (!self.context.require_trail
                        || self.trails.records(entry.arrival, entry.payload))
                {
                    let queued = Queued {
                        position: here,
                        job: Job {
                            rule: rule_ref.clone(),
                            target: Arc::clone(&self.target),
                            envelope: Arc::new(envelope),
                            acknowledged: entry.arrival,
                        },
                    };
                    let sender = {
                        let mut state = self.context.shared.lock();
                        let Some(lane) = state.lanes.get_mut(&self.key) else {
                            return;
                        };
                        lane.unfinished.insert(entry.seq, here);
                        lane.sender.clone()
                    };
                    // Waiting here is the point: only this lane waits on its target.
                    if sender.blocking_send(queued).is_err() {
                        return;
                    }
                }
            }
            // The mode's position moves per batch: until then the batch's start stands,
            // which only errs towards sending again after a crash.
            let mut state = self.context.shared.lock();
            let Some(lane) = state.lanes.get_mut(&self.key) else {
                return;
            };
            lane.mode = Mode::CatchingUp { position: reached };
            drop(state);
            if reached != end {
                reader = match journal.reader(reached) {
                    Ok(reader) => reader,
                    Err(error) => {
                        tracing::error!(error = %error, "cannot read the journal for a rule target");
                        return;
                    }
                };
            }
        }
    }

    fn position(&self) -> Option<Position> {
        match self.context.shared.lock().lanes.get(&self.key)?.mode {
            Mode::CatchingUp { position } => Some(position),
            Mode::Live => None,
        }
    }
}
