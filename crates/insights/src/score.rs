//! Scoring detection against injected ground truth: precision, recall, delay.

use opentrail_types::Timestamp;

use crate::event::{InsightEvent, InsightState};
use crate::key::SeriesKey;

/// Activity injected into a workload, with whether a detector should report it.
#[derive(Debug, Clone, PartialEq)]
pub struct Injected {
    /// The series it lands on (the error code only for error storms).
    pub key: SeriesKey,
    /// First minute.
    pub start: Timestamp,
    /// End of the last minute (exclusive).
    pub end: Timestamp,
    /// `true` for an anomaly; `false` for noisy but normal activity (a decoy: reporting
    /// it is a false positive).
    pub anomalous: bool,
}

/// How detection did.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// Anomalies injected (decoys not counted).
    pub anomalies: usize,
    /// Anomalies with a Start of their own type and error code, in time.
    pub detected: usize,
    /// Start events emitted.
    pub starts: usize,
    /// Starts explained by an injected anomaly (any type on its API: an error storm of a
    /// write API also raises its call rate).
    pub true_starts: usize,
    /// `detected / anomalies` (1 when nothing was injected).
    pub recall: f64,
    /// `true_starts / starts` (1 when nothing was reported).
    pub precision: f64,
    /// Seconds from each detected anomaly's first minute to its Start's decision, in the
    /// anomalies' order.
    pub delays: Vec<f64>,
    /// The anomalies no Start reported.
    pub missed: Vec<Injected>,
    /// The Starts no anomaly explains.
    pub false_starts: Vec<InsightEvent>,
}

impl Score {
    /// The median delay in seconds, if anything was detected.
    pub fn median_delay(&self) -> Option<f64> {
        let mut delays = self.delays.clone();
        delays.sort_by(f64::total_cmp);
        delays.get(delays.len() / 2).copied()
    }

    /// The longest delay in seconds.
    pub fn max_delay(&self) -> Option<f64> {
        self.delays.iter().copied().reduce(f64::max)
    }
}

// A Start up to this long before an anomaly's first minute still belongs to it: the
// first unusual minute may hold the anomaly's first calls and earlier background calls.
const EARLY_MS: i64 = 120_000;

impl Injected {
    /// Whether a Start on `key` at `time` belongs to this injection: the same API (any
    /// Insights type: an error storm of a write API also raises its call rate) and a time
    /// inside it, or up to two minutes before its first minute.
    pub fn explains(&self, key: &SeriesKey, time: Timestamp) -> bool {
        self.key.account == key.account
            && self.key.region == key.region
            && self.key.category == key.category
            && self.key.event_source == key.event_source
            && self.key.event_name == key.event_name
            && self.covers(time)
    }

    fn covers(&self, time: Timestamp) -> bool {
        time.as_millis() >= self.start.as_millis() - EARLY_MS && time < self.end
    }
}

/// Scores the Start events among `events` against `injected`.
pub fn score(injected: &[Injected], events: &[InsightEvent]) -> Score {
    let starts: Vec<&InsightEvent> = events
        .iter()
        .filter(|event| event.state == InsightState::Start)
        .collect();
    let anomalies: Vec<&Injected> = injected.iter().filter(|each| each.anomalous).collect();
    let mut delays = Vec::new();
    let mut missed = Vec::new();
    for anomaly in &anomalies {
        let first = starts
            .iter()
            .filter(|start| start.key == anomaly.key && anomaly.covers(start.event_time))
            .min_by_key(|start| start.emitted_at);
        match first {
            Some(start) => delays
                .push((start.emitted_at.as_millis() - anomaly.start.as_millis()) as f64 / 1000.0),
            None => missed.push((*anomaly).clone()),
        }
    }
    let mut false_starts = Vec::new();
    for start in &starts {
        let explained = anomalies
            .iter()
            .any(|anomaly| anomaly.explains(&start.key, start.event_time));
        if !explained {
            false_starts.push((*start).clone());
        }
    }
    let detected = anomalies.len() - missed.len();
    let true_starts = starts.len() - false_starts.len();
    Score {
        anomalies: anomalies.len(),
        detected,
        starts: starts.len(),
        true_starts,
        recall: ratio(detected, anomalies.len()),
        precision: ratio(true_starts, starts.len()),
        delays,
        missed,
        false_starts,
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}
