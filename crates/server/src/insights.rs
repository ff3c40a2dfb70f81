//! The Insights analyzer in the server: a journal consumer that counts every management
//! and data event, and appends the Insights events it decides to the journal, where
//! history (`LookupEvents` with `EventCategory=insight`), trails (`CloudTrail-Insight/`)
//! and Insights event data stores take them like any other event.
//!
//! Its state (baselines, metric series, open Insights) and journal position are saved
//! together in `<data dir>/insights/state`, every `insights.save_interval_secs`, after
//! every emitted Insights event and at shutdown. After a crash it reads again from the
//! saved position: the counts are those of the saved state, and a repeated decision
//! gets the same event IDs, which the journal drops. The analyzer starts at the
//! journal's first event, so a baseline is built at once from imported history.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use opentrail_insights::{
    Analyzer, Enablement, InsightType, InsightsConfig, MetricQuery, Observation, SeriesKey,
    SourceEventCategory,
};
use opentrail_journal::{AppendEntry, Journal, Position};
use opentrail_lake::Lake;
use opentrail_trails::Trails;
use opentrail_types::{SharedClock, Timestamp};
use serde::{Deserialize, Serialize};

use crate::config::InsightsSection;
use crate::error::{Error, Result};

const STATE_FILE: &str = "state";
const READ_ENTRIES: usize = 8_192;
const READ_BYTES: usize = 32 << 20;

/// The analyzer, its journal consumer and its saved state.
#[derive(Debug)]
pub struct InsightsSystem {
    analyzer: Mutex<Analyzer>,
    position: Mutex<Position>,
    journal: Journal,
    trails: Arc<Trails>,
    lake: Arc<Lake>,
    clock: SharedClock,
    dir: PathBuf,
    settings: InsightsSection,
    worker: Mutex<Option<(Arc<AtomicBool>, JoinHandle<()>)>>,
}

/// The first line of the state file.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    position: Position,
}

/// Which account, Region and type have Insights enabled somewhere: a trail that logs
/// (at home, or everywhere when multi-region) or an enabled event data store. Only
/// management-event Insights are delivered (see `docs/compatibility.md`).
#[derive(Debug, Default)]
struct Enabled {
    entries: Vec<(String, Option<String>, InsightType)>,
}

impl Enablement for Enabled {
    fn enabled(&self, key: &SeriesKey) -> bool {
        key.category == SourceEventCategory::Management
            && self.entries.iter().any(|(account, region, kind)| {
                *account == key.account
                    && *kind == key.insight_type
                    && region.as_ref().is_none_or(|region| *region == key.region)
            })
    }
}

impl InsightsSystem {
    /// Opens the saved state under `root/insights/` (or starts from the journal's first
    /// event).
    ///
    /// # Errors
    ///
    /// The state file exists but cannot be read.
    pub fn open(
        root: &Path,
        settings: InsightsSection,
        journal: Journal,
        trails: Arc<Trails>,
        lake: Arc<Lake>,
        clock: SharedClock,
    ) -> Result<InsightsSystem> {
        let dir = root.join("insights");
        let (analyzer, position) = match std::fs::read(dir.join(STATE_FILE)) {
            Ok(bytes) => restore(&bytes, settings.detection.clone()).map_err(|detail| {
                Error::InsightsState {
                    path: dir.join(STATE_FILE),
                    detail,
                }
            })?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => (
                Analyzer::new(settings.detection.clone()),
                journal.start_position(),
            ),
            Err(error) => {
                return Err(Error::InsightsState {
                    path: dir.join(STATE_FILE),
                    detail: error.to_string(),
                });
            }
        };
        Ok(InsightsSystem {
            analyzer: Mutex::new(analyzer),
            position: Mutex::new(position),
            journal,
            trails,
            lake,
            clock,
            dir,
            settings,
            worker: Mutex::new(None),
        })
    }

    /// Starts the consumer thread (when `insights.enabled`).
    ///
    /// # Errors
    ///
    /// The thread cannot be started.
    pub fn start(self: &Arc<InsightsSystem>) -> Result<()> {
        if !self.settings.enabled {
            return Ok(());
        }
        let stop = Arc::new(AtomicBool::new(false));
        let system = Arc::clone(self);
        let thread_stop = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("insights".into())
            .spawn(move || system.run(&thread_stop))
            .map_err(|error| Error::InsightsState {
                path: self.dir.clone(),
                detail: format!("cannot start the Insights thread: {error}"),
            })?;
        *self.worker.lock().unwrap_or_else(PoisonError::into_inner) = Some((stop, thread));
        Ok(())
    }

    /// Stops the consumer and saves the state.
    pub fn stop(&self) {
        let worker = self
            .worker
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some((stop, thread)) = worker {
            stop.store(true, Ordering::Release);
            if thread.join().is_err() {
                tracing::error!("the Insights thread panicked");
            }
        }
    }

    /// The metric points of `query` (`ListInsightsMetricData`).
    pub fn metric_series(&self, query: &MetricQuery, now: Timestamp) -> Vec<(Timestamp, f64)> {
        self.analyzer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .metric_series(query, now)
    }

    fn enabled(&self) -> Enabled {
        let mut enabled = Enabled::default();
        for trail in self.trails.snapshot() {
            if trail.is_deleted() || !trail.logging {
                continue;
            }
            let region = (!trail.is_multi_region_trail).then(|| trail.home_region.clone());
            for selector in &trail.insight_selectors {
                if selector
                    .effective_categories()
                    .contains(&SourceEventCategory::Management)
                {
                    enabled.entries.push((
                        trail.account_id.clone(),
                        region.clone(),
                        selector.insight_type,
                    ));
                }
            }
        }
        for store in self.lake.insights_configs() {
            let region = (!store.multi_region).then(|| store.home_region.clone());
            for kind in &store.insight_types {
                enabled
                    .entries
                    .push((store.account_id.clone(), region.clone(), *kind));
            }
        }
        enabled
    }

    fn run(&self, stop: &AtomicBool) {
        let save_every = Duration::from_secs(self.settings.save_interval_secs);
        let mut last_save = Instant::now();
        let mut dirty = false;
        loop {
            let stopping = stop.load(Ordering::Acquire);
            match self.step() {
                Ok((read, emitted)) => {
                    dirty |= read > 0 || emitted > 0;
                    let due = stopping || emitted > 0 || last_save.elapsed() >= save_every;
                    if dirty && due {
                        match self.save() {
                            Ok(()) => {
                                dirty = false;
                                last_save = Instant::now();
                            }
                            Err(error) => {
                                tracing::warn!(%error, "cannot save the Insights state; retrying");
                            }
                        }
                    }
                    if stopping {
                        return;
                    }
                    if read == 0 {
                        let next = self
                            .position
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .next_seq;
                        self.journal
                            .wait_for_commit(next, Duration::from_millis(500));
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "the Insights analyzer step failed; retrying");
                    if stopping {
                        return;
                    }
                    std::thread::sleep(Duration::from_secs(1));
                }
            }
        }
    }

    /// Reads one batch, counts it, ticks and appends what was decided; returns the entries
    /// read and the Insights events appended.
    fn step(&self) -> std::result::Result<(usize, usize), String> {
        let position = *self.position.lock().unwrap_or_else(PoisonError::into_inner);
        let enabled = self.enabled();
        let now = self.clock.now();
        let mut read = 0;
        let mut end = None;
        let emitted = {
            let mut analyzer = self.analyzer.lock().unwrap_or_else(PoisonError::into_inner);
            if self.journal.committed().position().next_seq > position.next_seq {
                let mut reader = self
                    .journal
                    .reader(position)
                    .map_err(|error| error.to_string())?;
                let batch = reader
                    .read_batch(READ_ENTRIES, READ_BYTES)
                    .map_err(|error| error.to_string())?;
                for entry in batch.iter() {
                    read += 1;
                    if let Some(observation) = Observation::parse(entry.payload) {
                        analyzer.observe(&observation, now, &enabled);
                    }
                }
                end = batch.end();
            }
            analyzer.tick(now, &enabled);
            analyzer.take_emitted()
        };
        let count = emitted.len();
        if !emitted.is_empty() {
            let entries = emitted
                .iter()
                .map(|event| AppendEntry::new(event.event_id.clone(), event.to_record()))
                .collect();
            // Appended before the position moves past the events that decided them: a
            // crash repeats the decision, never loses it.
            self.journal
                .append(entries)
                .map_err(|error| error.to_string())?;
            for event in &emitted {
                tracing::info!(
                    state = event.state.as_str(),
                    insight_type = event.key.insight_type.as_str(),
                    account = %event.key.account,
                    region = %event.key.region,
                    event_source = %event.key.event_source,
                    event_name = %event.key.event_name,
                    error_code = event.key.error_code.as_deref().unwrap_or(""),
                    event_time = %event.event_time.format_event_time(),
                    "Insights event"
                );
            }
        }
        if let Some(end) = end {
            *self.position.lock().unwrap_or_else(PoisonError::into_inner) = end;
        }
        Ok((read, count))
    }

    fn save(&self) -> std::result::Result<(), String> {
        let (snapshot, position) = {
            let analyzer = self.analyzer.lock().unwrap_or_else(PoisonError::into_inner);
            let position = *self.position.lock().unwrap_or_else(PoisonError::into_inner);
            (analyzer.snapshot(), position)
        };
        let mut bytes =
            serde_json::to_vec(&Header { position }).map_err(|error| error.to_string())?;
        bytes.push(b'\n');
        bytes.extend_from_slice(&snapshot);
        std::fs::create_dir_all(&self.dir).map_err(|error| error.to_string())?;
        opentrail_types::durable::replace_file(&self.dir.join(STATE_FILE), &bytes)
            .map_err(|error| error.to_string())
    }
}

impl opentrail_api::InsightMetrics for InsightsSystem {
    fn metric_series(&self, query: &MetricQuery, now: Timestamp) -> Vec<(Timestamp, f64)> {
        InsightsSystem::metric_series(self, query, now)
    }
}

fn restore(
    bytes: &[u8],
    config: InsightsConfig,
) -> std::result::Result<(Analyzer, Position), String> {
    let split = bytes
        .iter()
        .position(|byte| *byte == b'\n')
        .ok_or_else(|| String::from("no header line"))?;
    let header: Header =
        serde_json::from_slice(&bytes[..split]).map_err(|error| error.to_string())?;
    let analyzer =
        Analyzer::restore(config, &bytes[split + 1..]).map_err(|error| error.to_string())?;
    Ok((analyzer, header.position))
}
