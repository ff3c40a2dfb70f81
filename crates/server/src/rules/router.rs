//! The router thread: reads the journal, wraps and matches each event, and queues it on
//! the lanes of the matching rules' targets; keeps the lanes in step with the rule store
//! and saves their positions.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use opentrail_journal::{Batch, Position};
use opentrail_routing::{Envelope, Job};
use opentrail_rules::RuleStore;
use opentrail_trails::Trails;

use super::lanes::{LaneContext, Mode, Queued};
use super::positions;
use super::select::{RuleSet, TrailSet};
use super::{READ_BYTES, READ_ENTRIES, RouterEvent, build_envelope};

/// The router thread.
pub(super) struct Router {
    pub(super) context: LaneContext,
    pub(super) store: Arc<RuleStore>,
    pub(super) trails: Arc<Trails>,
    pub(super) dir: PathBuf,
    pub(super) save_interval: Duration,
    /// Lane positions of the previous run, used as lanes are first made.
    pub(super) saved: Vec<positions::SavedLane>,
}

impl Router {
    pub(super) fn run(mut self, start: Position) {
        let journal = self.context.journal.clone();
        let mut reader = match journal.reader(start) {
            Ok(reader) => reader,
            Err(error) => {
                tracing::error!(error = %error, "the rule router's saved position is gone from the journal; it starts at the journal's start");
                match journal.reader(journal.start_position()) {
                    Ok(reader) => reader,
                    Err(error) => {
                        tracing::error!(error = %error, "the rule router cannot read the journal; rules are not routed");
                        return;
                    }
                }
            }
        };
        let mut rules_revision = self.store.subscribe();
        let mut trails_revision = self.trails.subscribe();
        rules_revision.mark_changed();
        trails_revision.mark_changed();
        let mut rule_set = Arc::new(RuleSet::default());
        let mut trail_set = Arc::new(TrailSet::default());
        let mut batch = Batch::default();
        let mut matched: Vec<u32> = Vec::new();
        let mut offers: Vec<Offer> = Vec::new();
        let mut last_save = Instant::now();
        while !self.context.stop.load(Ordering::Relaxed) {
            if last_save.elapsed() >= self.save_interval {
                self.save();
                last_save = Instant::now();
            }
            if let Err(error) = reader.read_batch_into(&mut batch, READ_ENTRIES, READ_BYTES) {
                tracing::error!(error = %error, "the rule router cannot read the journal");
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
            // Rules and trails are refreshed after the read: a change acknowledged before
            // an event was appended is then always in force for that event.
            if trails_revision.has_changed().unwrap_or(false) {
                trails_revision.mark_unchanged();
                trail_set = Arc::new(TrailSet::new(self.trails.snapshot()));
            }
            if rules_revision.has_changed().unwrap_or(false) {
                rules_revision.mark_unchanged();
                rule_set = Arc::new(RuleSet::new(self.store.snapshot()));
                self.sync_lanes(&rule_set, &trail_set);
            }
            let Some(end) = batch.end() else {
                let next = reader.position().next_seq;
                journal.wait_for_commit(next, Duration::from_millis(100));
                continue;
            };
            offers.clear();
            if !rule_set.is_empty() {
                for entry in batch.iter() {
                    let Some(envelope) = build_envelope(entry.payload) else {
                        continue;
                    };
                    if !rule_set.covers(envelope.account(), envelope.region()) {
                        continue;
                    }
                    rule_set.matching(&envelope, &mut matched);
                    if matched.is_empty() {
                        continue;
                    }
                    if self.context.require_trail
                        && !trail_set.records(entry.arrival, entry.payload)
                    {
                        continue;
                    }
                    offers.push(Offer {
                        position: Position {
                            next_seq: entry.seq,
                            location: entry.location,
                        },
                        envelope: Arc::new(envelope),
                        acknowledged: entry.arrival,
                        rules: matched.clone(),
                    });
                }
            }
            self.hand_out(&rule_set, &trail_set, &offers, end);
        }
        self.save();
    }

    /// Queues the offers on live lanes and moves the router's position to `end`, in one
    /// critical section (see `lanes.rs`).
    fn hand_out(
        &self,
        rule_set: &RuleSet,
        trails: &Arc<TrailSet>,
        offers: &[Offer],
        end: Position,
    ) {
        let mut fell_behind = Vec::new();
        let mut state = self.context.shared.lock();
        for offer in offers {
            for index in &offer.rules {
                let index = *index as usize;
                let (Some(rule), Some(routes)) =
                    (rule_set.rules.get(index), rule_set.routes.get(index))
                else {
                    continue;
                };
                for (key, target) in &routes.targets {
                    let Some(lane) = state.lanes.get_mut(key) else {
                        continue;
                    };
                    if lane.mode != Mode::Live {
                        continue;
                    }
                    let queued = Queued {
                        position: offer.position,
                        job: Job {
                            rule: routes.rule.clone(),
                            target: Arc::clone(target),
                            envelope: Arc::clone(&offer.envelope),
                            acknowledged: offer.acknowledged,
                        },
                    };
                    lane.unfinished
                        .insert(offer.position.next_seq, offer.position);
                    match lane.sender.try_send(queued) {
                        Ok(()) => {}
                        Err(tokio::sync::mpsc::error::TrySendError::Full(_)) => {
                            lane.unfinished.remove(&offer.position.next_seq);
                            lane.mode = Mode::CatchingUp {
                                position: offer.position,
                            };
                            fell_behind.push((key.clone(), rule.clone(), Arc::clone(target)));
                        }
                        Err(tokio::sync::mpsc::error::TrySendError::Closed(_)) => {
                            lane.unfinished.remove(&offer.position.next_seq);
                        }
                    }
                }
            }
        }
        state.done = end;
        let lagging = state.lagging();
        drop(state);
        RouterEvent::Routed {
            events: offers.len(),
            lagging,
        }
        .emit();
        for (key, rule, target) in fell_behind {
            RouterEvent::FellBehind {
                rule: &key.rule_arn,
                target: &key.target_id,
            }
            .emit();
            self.context
                .start_catch_up(key, rule, target, Arc::clone(trails));
        }
    }

    /// Makes lanes for new targets and drops those of removed rules and targets. A lane
    /// first made in this run starts at its saved position when it has one (catching up
    /// from there), and at the router's position otherwise.
    fn sync_lanes(&mut self, rule_set: &RuleSet, trails: &Arc<TrailSet>) {
        let mut wanted = Vec::new();
        for (rule, routes) in rule_set.rules.iter().zip(&rule_set.routes) {
            for (key, target) in &routes.targets {
                wanted.push((key.clone(), rule, target));
            }
        }
        let mut catch_up = Vec::new();
        let mut state = self.context.shared.lock();
        state
            .lanes
            .retain(|key, _| wanted.iter().any(|(wanted, _, _)| wanted == key));
        let done = state.done;
        for (key, rule, target) in wanted {
            if state.lanes.contains_key(&key) {
                continue;
            }
            let saved = self
                .saved
                .iter()
                .position(|saved| saved.key == key)
                .map(|at| self.saved.swap_remove(at).position);
            let mode = match saved {
                Some(position) if position.next_seq < done.next_seq => {
                    catch_up.push((key.clone(), rule.clone(), Arc::clone(target)));
                    Mode::CatchingUp { position }
                }
                _ => Mode::Live,
            };
            let lane = self.context.open_lane(&key, mode);
            state.lanes.insert(key, lane);
        }
        drop(state);
        for (key, rule, target) in catch_up {
            self.context
                .start_catch_up(key, rule, target, Arc::clone(trails));
        }
    }

    fn save(&self) {
        let (router, lanes) = {
            let state = self.context.shared.lock();
            (state.done, state.floors())
        };
        if let Err(error) = positions::write(&self.dir, router, lanes) {
            tracing::error!(error = %error, "cannot save the rule router's positions");
        }
    }
}

/// One matched event waiting to be queued.
#[derive(Debug)]
struct Offer {
    position: Position,
    envelope: Arc<Envelope>,
    acknowledged: opentrail_types::Timestamp,
    rules: Vec<u32>,
}
