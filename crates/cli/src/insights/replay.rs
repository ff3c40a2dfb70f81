//! Records read into a compact form, and their replay through the analyzer.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use opentrail_archive::discover::discover;
use opentrail_archive::gzip::{DEFAULT_MAX_DECOMPRESSED_BYTES, read_file_capped_into};
use opentrail_archive::layout::KeyClass;
use opentrail_archive::records::split;
use opentrail_event::EventCategory;
use opentrail_insights::{Analyzer, InsightEvent, InsightsConfig, Observation, SeriesKey};
use opentrail_types::Timestamp;

use super::{DAY_MS, MINUTE_MS};

/// Text shared by many records, stored once.
#[derive(Debug, Default)]
pub(super) struct Strings {
    index: HashMap<Box<str>, u32>,
    values: Vec<Box<str>>,
}

/// Marks an absent optional string.
pub(super) const NONE: u32 = u32::MAX;

impl Strings {
    pub(super) fn id(&mut self, text: &str) -> u32 {
        if let Some(id) = self.index.get(text) {
            return *id;
        }
        let id = u32::try_from(self.values.len()).unwrap_or(NONE - 1);
        self.values.push(Box::from(text));
        self.index.insert(Box::from(text), id);
        id
    }

    fn optional(&mut self, text: Option<&str>) -> u32 {
        text.map_or(NONE, |text| self.id(text))
    }

    pub(super) fn get(&self, id: u32) -> &str {
        self.values.get(id as usize).map_or("", |value| value)
    }

    fn get_optional(&self, id: u32) -> Option<&str> {
        (id != NONE).then(|| self.get(id))
    }
}

/// What the analyzer reads of one record, with its strings shared.
#[derive(Debug, Clone, Copy)]
pub(super) struct Compact {
    pub(super) time_ms: i64,
    pub(super) account: u32,
    pub(super) region: u32,
    pub(super) event_source: u32,
    pub(super) event_name: u32,
    pub(super) error_code: u32,
    pub(super) user_arn: u32,
    pub(super) user_agent: u32,
    pub(super) data: bool,
    pub(super) read_only: Option<bool>,
}

/// Records read from log files, ready to replay.
#[derive(Debug, Default)]
pub(super) struct Records {
    pub(super) strings: Strings,
    pub(super) events: Vec<Compact>,
    pub(super) files: u64,
    pub(super) read: u64,
    /// Records the analyzer cannot count (missing members, not management or data).
    pub(super) skipped: u64,
    /// Files or elements that could not be read, with why.
    pub(super) failures: Vec<String>,
}

impl Records {
    /// Reads every record of the archive files under `paths`.
    pub(super) fn load(&mut self, paths: &[PathBuf]) {
        let discovery = discover(paths);
        for error in discovery.errors {
            self.failures.push(error.message().to_owned());
        }
        let mut buffer = Vec::new();
        for file in discovery.files {
            if file.class == KeyClass::Digest {
                continue;
            }
            if let Err(error) =
                read_file_capped_into(&file.path, DEFAULT_MAX_DECOMPRESSED_BYTES, &mut buffer)
            {
                self.failures.push(error.message().to_owned());
                continue;
            }
            let content = match split(&buffer) {
                Ok(content) => content,
                Err(error) => {
                    self.failures
                        .push(format!("{}: {}", file.path.display(), error.message()));
                    continue;
                }
            };
            self.files += 1;
            for record in content.records() {
                let Ok(raw) = record else {
                    self.skipped += 1;
                    continue;
                };
                self.read += 1;
                match Observation::parse(raw.get().as_bytes()) {
                    Some(observation) => self.push(&observation),
                    None => self.skipped += 1,
                }
            }
        }
    }

    fn push(&mut self, observation: &Observation<'_>) {
        let data = match observation.category {
            EventCategory::Management => false,
            EventCategory::Data => true,
            _ => {
                self.skipped += 1;
                return;
            }
        };
        let strings = &mut self.strings;
        self.events.push(Compact {
            time_ms: observation.time.as_millis(),
            account: strings.id(&observation.account),
            region: strings.id(&observation.region),
            event_source: strings.id(&observation.event_source),
            event_name: strings.id(&observation.event_name),
            error_code: strings.optional(observation.error_code.as_deref()),
            user_arn: strings.optional(observation.user_arn.as_deref()),
            user_agent: strings.optional(observation.user_agent.as_deref()),
            data,
            read_only: observation.read_only,
        });
    }

    fn observation(&self, event: &Compact) -> Observation<'_> {
        let strings = &self.strings;
        Observation {
            time: Timestamp::from_millis(event.time_ms),
            account: strings.get(event.account).into(),
            region: strings.get(event.region).into(),
            category: if event.data {
                EventCategory::Data
            } else {
                EventCategory::Management
            },
            read_only: event.read_only,
            event_source: strings.get(event.event_source).into(),
            event_name: strings.get(event.event_name).into(),
            error_code: strings.get_optional(event.error_code).map(Into::into),
            user_arn: strings.get_optional(event.user_arn).map(Into::into),
            user_agent: strings.get_optional(event.user_agent).map(Into::into),
        }
    }

    /// Adds, for each account and Region, one read-only record (counted in no series) at
    /// the UTC midnight `days` days before the day of its first record: the analyzer then
    /// sees that many days of history without calls. Returns the records added.
    pub(super) fn assume_quiet_history(&mut self, days: u32) -> u64 {
        let mut first: BTreeMap<(u32, u32), i64> = BTreeMap::new();
        for event in &self.events {
            let entry = first
                .entry((event.account, event.region))
                .or_insert(event.time_ms);
            *entry = (*entry).min(event.time_ms);
        }
        let source = self.strings.id("opentrail.assumed-quiet-history");
        let name = self.strings.id("QuietHistory");
        for ((account, region), time_ms) in &first {
            let midnight = time_ms.div_euclid(DAY_MS) * DAY_MS;
            self.events.push(Compact {
                time_ms: midnight - i64::from(days) * DAY_MS,
                account: *account,
                region: *region,
                event_source: source,
                event_name: name,
                error_code: NONE,
                user_arn: NONE,
                user_agent: NONE,
                data: false,
                read_only: Some(true),
            });
        }
        first.len() as u64
    }

    /// The times of the first and last records (sorted).
    pub(super) fn time_range(&self) -> (String, String) {
        let format = |event: Option<&Compact>| {
            event.map_or_else(
                || String::from("-"),
                |event| Timestamp::from_millis(event.time_ms).format_event_time(),
            )
        };
        (format(self.events.first()), format(self.events.last()))
    }

    /// Whether the records (sorted) reach a UTC day with `min_baseline_days` of history
    /// before it, which the analyzer needs to judge anything.
    pub(super) fn judgeable(&self, min_baseline_days: u32) -> bool {
        let (Some(first), Some(last)) = (self.events.first(), self.events.last()) else {
            return false;
        };
        let history_ms = last.time_ms.div_euclid(DAY_MS) * DAY_MS
            - first.time_ms.div_euclid(MINUTE_MS) * MINUTE_MS;
        history_ms > 0 && history_ms >= i64::from(min_baseline_days) * DAY_MS
    }

    /// Sorts by `eventTime`, keeping file order among equal times.
    pub(super) fn sort(&mut self) {
        self.events.sort_by_key(|event| event.time_ms);
    }
}

/// What a replay produced.
#[derive(Debug)]
pub(super) struct Replay {
    pub(super) insights: Vec<InsightEvent>,
    pub(super) events: u64,
    pub(super) series: usize,
    /// Time spent in `observe` and `tick`.
    pub(super) elapsed: Duration,
}

impl Replay {
    pub(super) fn events_per_second(&self) -> f64 {
        self.events as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// A clock that ticks the analyzer at every minute boundary it passes.
struct Ticker {
    last_minute: Option<i64>,
}

/// Past this many silent minutes, the clock jumps to the next record: minutes without
/// records can close nothing more once open Insights ended.
const TICK_EACH_MINUTE_FOR: i64 = 60;

impl Ticker {
    fn advance(
        &mut self,
        analyzer: &mut Analyzer,
        now_ms: i64,
        insights: &mut Vec<InsightEvent>,
        enabled: &dyn Fn(&SeriesKey) -> bool,
    ) {
        let minute = now_ms.div_euclid(MINUTE_MS);
        let Some(last) = self.last_minute else {
            analyzer.tick(Timestamp::from_millis(now_ms), &enabled);
            insights.extend(analyzer.take_emitted());
            self.last_minute = Some(minute);
            return;
        };
        if minute <= last {
            return;
        }
        let each_until = minute.min(last + TICK_EACH_MINUTE_FOR);
        for each in last + 1..=each_until {
            analyzer.tick(Timestamp::from_millis(each * MINUTE_MS), &enabled);
            insights.extend(analyzer.take_emitted());
        }
        if minute > each_until {
            analyzer.tick(Timestamp::from_millis(minute * MINUTE_MS), &enabled);
            insights.extend(analyzer.take_emitted());
        }
        self.last_minute = Some(minute);
    }
}

/// Replays `records` (sorted) with the clock at each record's time, every Insight
/// enabled, then lets an hour pass so that open Insights end.
pub(super) fn replay(records: &Records, config: InsightsConfig) -> Replay {
    let enabled = |_: &SeriesKey| true;
    let mut analyzer = Analyzer::new(config);
    let mut insights = Vec::new();
    let mut ticker = Ticker { last_minute: None };
    let started = Instant::now();
    for event in &records.events {
        ticker.advance(&mut analyzer, event.time_ms, &mut insights, &enabled);
        let observation = records.observation(event);
        analyzer.observe(&observation, observation.time, &enabled);
        insights.extend(analyzer.take_emitted());
    }
    if let Some(last) = records.events.last() {
        ticker.advance(
            &mut analyzer,
            last.time_ms + 60 * MINUTE_MS,
            &mut insights,
            &enabled,
        );
    }
    Replay {
        insights,
        events: records.events.len() as u64,
        series: analyzer.series_count(),
        elapsed: started.elapsed(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ticker_ticks_each_minute_then_jumps() {
        let mut analyzer = Analyzer::new(InsightsConfig::default());
        let mut ticker = Ticker { last_minute: None };
        let mut insights = Vec::new();
        let enabled = |_: &SeriesKey| true;
        ticker.advance(&mut analyzer, 0, &mut insights, &enabled);
        ticker.advance(&mut analyzer, 5 * DAY_MS + 30_000, &mut insights, &enabled);
        assert_eq!(ticker.last_minute, Some(5 * 1440));
        assert!(insights.is_empty());
    }
}
