//! The analyzer: per-minute series, daily baselines, and the Start/End rules of spec
//! §4.2.
//!
//! Events are counted by their `eventTime` minute, whatever order they arrive in. Only
//! events of the last [`InsightsConfig::live_minutes`] (by the injected clock) take part
//! in detection; older ones (imports, replays) feed the baselines and metric series, so a
//! baseline can be built at once from imported history. Decisions are made at two
//! moments:
//!
//! - on each counted event: a series whose minute count has just passed its threshold
//!   for [`InsightsConfig::start_minutes`] consecutive minutes (the current one included)
//!   starts an Insight, so a burst is reported while it happens;
//! - on [`Analyzer::tick`], once per closed minute: open Insights end after
//!   [`InsightsConfig::end_minutes`] calm minutes, and busy series that fell silent start
//!   a collapse Insight.
//!
//! Baselines are recomputed at every UTC midnight, and sooner when late events changed
//! the window.

use std::collections::BTreeMap;
use std::sync::Arc;

use opentrail_event::EventCategory;
use opentrail_types::Timestamp;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::config::InsightsConfig;
use crate::event::{Attribution, InsightEvent, InsightState, event_id, shared_event_id};
use crate::key::{InsightType, KeyRef, SeriesKey, SourceEventCategory, write_scope_text};
use crate::observe::Observation;
use crate::tally::{ATTRIBUTES, Contributors, Strings};

pub(crate) const MINUTES_PER_DAY: u32 = 1440;
/// Minutes of one week: the rare-error rule's "below one error per week".
const WEEK_MINUTES: f64 = 10_080.0;
/// Retention of the metric series (spec §4.6): 1-minute points 15 days, 5-minute 63
/// days, 1-hour 90 days.
pub(crate) const MINUTE_POINTS_DAYS: u32 = 15;
pub(crate) const FIVE_POINTS_DAYS: u32 = 63;
pub(crate) const HOUR_POINTS_DAYS: u32 = 90;
/// Top contributors an attribution lists.
const TOP: usize = 5;

/// Decides whether an Insight on a series is delivered anywhere (some trail or event data
/// store enables its type for the account and Region). An Insight that starts while
/// nobody wants it stays silent until it ends, so no End ever comes without its Start.
pub trait Enablement {
    /// Whether Insights of `key`'s type are enabled for its account and Region.
    fn enabled(&self, key: &SeriesKey) -> bool;
}

impl<F: Fn(&SeriesKey) -> bool> Enablement for F {
    fn enabled(&self, key: &SeriesKey) -> bool {
        self(key)
    }
}

/// The minute of `time` since the epoch, or `None` before 1970.
pub(crate) fn minute_of(time: Timestamp) -> Option<u32> {
    u32::try_from(time.as_millis().div_euclid(60_000)).ok()
}

pub(crate) fn minute_start(minute: u32) -> Timestamp {
    Timestamp::from_millis(i64::from(minute) * 60_000)
}

/// Counts of one UTC day of a series, for its baseline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Day {
    sum: u64,
    /// Sum of the squared minute counts, kept up to date as counts grow.
    sum_squares: u64,
    contributors: Contributors,
}

/// A series' baseline, as of the last recomputation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Baseline {
    mean: f64,
    std: f64,
    /// Minutes of the baseline window.
    duration: u32,
    contributors: Contributors,
}

/// An Insight in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Open {
    shared_event_id: String,
    start: u32,
    /// A collapse (the rate fell to zero) rather than a burst.
    low: bool,
    /// Started while no trail or store wanted it: no records.
    silent: bool,
    baseline: Baseline,
    checked_through: u32,
    last_unusual: u32,
    calm: u32,
    /// Contributors of the unusual minutes judged so far (through `merged_through`),
    /// taken from the per-minute tallies as each minute is judged, so the calm minutes
    /// that end an Insight never count in its End.
    contributors: Contributors,
    merged_through: u32,
}

/// One series: the minute counts (for detection and metrics), coarser metric points, day
/// aggregates for the baseline, and the contributors of recent minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Series {
    pub(crate) key: SeriesKey,
    pub(crate) minutes: BTreeMap<u32, u32>,
    pub(crate) fives: BTreeMap<u32, u32>,
    pub(crate) hours: BTreeMap<u32, u32>,
    days: BTreeMap<u32, Day>,
    recent: BTreeMap<u32, Contributors>,
    baseline: Option<Baseline>,
    open: Option<Open>,
}

impl Series {
    fn new(key: SeriesKey) -> Series {
        Series {
            key,
            minutes: BTreeMap::new(),
            fives: BTreeMap::new(),
            hours: BTreeMap::new(),
            days: BTreeMap::new(),
            recent: BTreeMap::new(),
            baseline: None,
            open: None,
        }
    }

    fn count(&self, minute: u32) -> u32 {
        self.minutes.get(&minute).copied().unwrap_or(0)
    }

    fn mean_std(&self) -> (f64, f64) {
        self.baseline
            .as_ref()
            .map_or((0.0, 0.0), |baseline| (baseline.mean, baseline.std))
    }
}

/// An account and Region: the history available there decides whether detection runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Scope {
    first_minute: u32,
    /// The baseline window `[start, end)` in minutes, when at least
    /// `min_baseline_days` of history lie before the current day.
    window: Option<(u32, u32)>,
    /// Events per recent minute, all APIs: a collapse counts only while the account
    /// and Region keep calling other APIs (else the feed stopped, not the API).
    activity: BTreeMap<u32, u32>,
}

/// Everything the analyzer keeps between restarts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct State {
    pub(crate) series: FxHashMap<Box<str>, Series>,
    scopes: FxHashMap<Box<str>, Scope>,
    baseline_day: Option<u32>,
    late: bool,
    last_recompute_ms: Option<i64>,
    closed_through: Option<u32>,
}

/// Learns each series' normal rate and reports when activity leaves it.
#[derive(Debug)]
pub struct Analyzer {
    config: InsightsConfig,
    pub(crate) state: State,
    strings: Strings,
    buffer: String,
    emitted: Vec<InsightEvent>,
}

/// What one counted event contributes to a series.
struct Counted<'a> {
    minute: u32,
    live: bool,
    window: Option<(u32, u32)>,
    values: &'a [Option<Arc<str>>; 3],
}

impl Analyzer {
    /// An analyzer with no history.
    pub fn new(config: InsightsConfig) -> Analyzer {
        Analyzer {
            config,
            state: State::default(),
            strings: Strings::default(),
            buffer: String::new(),
            emitted: Vec::new(),
        }
    }

    /// The settings.
    pub fn config(&self) -> &InsightsConfig {
        &self.config
    }

    /// Series held (for metrics and tests).
    pub fn series_count(&self) -> usize {
        self.state.series.len()
    }

    /// Takes the Insights events decided since the last call, in decision order.
    pub fn take_emitted(&mut self) -> Vec<InsightEvent> {
        std::mem::take(&mut self.emitted)
    }

    /// Counts one event. `now` is the analyzer's clock; Starts may be emitted.
    pub fn observe(
        &mut self,
        observation: &Observation<'_>,
        now: Timestamp,
        enablement: &dyn Enablement,
    ) {
        let (call, error) = match observation.category {
            EventCategory::Management => (
                observation.read_only == Some(false),
                observation.error_code.is_some(),
            ),
            EventCategory::Data => (true, observation.error_code.is_some()),
            _ => return,
        };
        let (Some(minute), Some(now_minute)) = (minute_of(observation.time), minute_of(now)) else {
            return;
        };
        let live = minute.saturating_add(self.config.live_minutes) >= now_minute
            && minute <= now_minute.saturating_add(1);
        // Late history read just before (an import in the same journal batch) is taken
        // into the baseline before a live event is judged, when a recomputation is due.
        if live && self.late_recompute_due(now) {
            self.recompute(now_minute / MINUTES_PER_DAY, now);
        }
        let mut buffer = std::mem::take(&mut self.buffer);
        write_scope_text(&mut buffer, &observation.account, &observation.region);
        let scope = match self.state.scopes.get_mut(buffer.as_str()) {
            Some(scope) => scope,
            None => self
                .state
                .scopes
                .entry(Box::from(buffer.as_str()))
                .or_insert_with(|| Scope {
                    first_minute: minute,
                    ..Scope::default()
                }),
        };
        scope.first_minute = scope.first_minute.min(minute);
        if live {
            *scope.activity.entry(minute).or_default() += 1;
        }
        let window = scope.window;
        if !live
            && self
                .state
                .baseline_day
                .is_some_and(|day| minute < day.saturating_mul(MINUTES_PER_DAY))
        {
            self.state.late = true;
        }
        if call || error {
            let values = [
                observation
                    .user_arn
                    .as_deref()
                    .map(|text| self.strings.get(text)),
                observation
                    .user_agent
                    .as_deref()
                    .map(|text| self.strings.get(text)),
                Some(
                    self.strings
                        .get(observation.error_code.as_deref().unwrap_or("null")),
                ),
            ];
            let counted = Counted {
                minute,
                live,
                window,
                values: &values,
            };
            let category = match observation.category {
                EventCategory::Data => SourceEventCategory::Data,
                _ => SourceEventCategory::Management,
            };
            if call {
                self.count(
                    &mut buffer,
                    observation,
                    (category, InsightType::ApiCallRateInsight),
                    &counted,
                    now,
                    enablement,
                );
            }
            if error {
                self.count(
                    &mut buffer,
                    observation,
                    (category, InsightType::ApiErrorRateInsight),
                    &counted,
                    now,
                    enablement,
                );
            }
        }
        self.buffer = buffer;
    }

    fn count(
        &mut self,
        buffer: &mut String,
        observation: &Observation<'_>,
        (category, insight_type): (SourceEventCategory, InsightType),
        counted: &Counted<'_>,
        now: Timestamp,
        enablement: &dyn Enablement,
    ) {
        let error_code = match insight_type {
            InsightType::ApiErrorRateInsight => observation.error_code.as_deref(),
            InsightType::ApiCallRateInsight => None,
        };
        KeyRef {
            account: &observation.account,
            region: &observation.region,
            category,
            insight_type,
            event_source: &observation.event_source,
            event_name: &observation.event_name,
            error_code,
        }
        .write_text(buffer);
        let series = match self.state.series.get_mut(buffer.as_str()) {
            Some(series) => series,
            None => self
                .state
                .series
                .entry(Box::from(buffer.as_str()))
                .or_insert_with(|| {
                    Series::new(SeriesKey {
                        account: observation.account.to_string(),
                        region: observation.region.to_string(),
                        category,
                        insight_type,
                        event_source: observation.event_source.to_string(),
                        event_name: observation.event_name.to_string(),
                        error_code: error_code.map(str::to_owned),
                    })
                }),
        };
        let minute = counted.minute;
        let previous = series.minutes.get(&minute).copied().unwrap_or(0);
        let count = previous + 1;
        series.minutes.insert(minute, count);
        *series.fives.entry(minute / 5).or_default() += 1;
        *series.hours.entry(minute / 60).or_default() += 1;
        let day = series.days.entry(minute / MINUTES_PER_DAY).or_default();
        day.sum += 1;
        // (c + 1)² − c² = 2c + 1
        day.sum_squares += 2 * u64::from(previous) + 1;
        day.contributors.add(counted.values);
        if !counted.live {
            return;
        }
        series.recent.entry(minute).or_default().add(counted.values);
        if series.open.is_some() {
            return;
        }
        let Some(window) = counted.window else {
            return;
        };
        let (mean, std) = series.mean_std();
        if !unusual_high(&self.config, &series.key, mean, std, count) {
            return;
        }
        let rare = rare_error(&self.config, &series.key, mean, count);
        let start = if rare {
            minute
        } else {
            let earlier = self.config.start_minutes.saturating_sub(1);
            if minute < earlier {
                return;
            }
            for back in 1..=earlier {
                let before = series.count(minute - back);
                if !unusual_high(&self.config, &series.key, mean, std, before) {
                    return;
                }
            }
            minute - earlier
        };
        let baseline = series.baseline.clone().unwrap_or(Baseline {
            duration: window.1 - window.0,
            ..Baseline::default()
        });
        let shared = shared_event_id(&series.key, start);
        let silent = !enablement.enabled(&series.key);
        let mut open = Open {
            shared_event_id: shared,
            start,
            low: false,
            silent,
            baseline,
            // The minute in progress is judged again when it closes, and its calls are
            // then taken into the contributors.
            checked_through: minute.saturating_sub(1),
            last_unusual: minute,
            calm: 0,
            contributors: Contributors::default(),
            merged_through: start.saturating_sub(1),
        };
        if minute > start {
            merge_recent(&mut open, &series.recent, minute - 1);
        }
        if !silent {
            let duration = minute - start + 1;
            let average = sum(&series.minutes, start, minute) as f64 / f64::from(duration);
            // The Start reports the minute in progress as counted so far; its later
            // calls are taken when the minute is judged.
            let mut reported = open.clone();
            reported.merged_through = open.start.saturating_sub(1);
            reported.contributors = Contributors::default();
            merge_recent(&mut reported, &series.recent, minute);
            self.emitted.push(record(
                &series.key,
                &reported,
                InsightState::Start,
                minute_start(start),
                now,
                average,
                duration,
            ));
        }
        series.open = Some(open);
    }

    /// Advances the analyzer's clock: recomputes baselines when due, ends Insights whose
    /// rate has been calm long enough, and starts collapse Insights.
    pub fn tick(&mut self, now: Timestamp, enablement: &dyn Enablement) {
        let Some(now_minute) = minute_of(now) else {
            return;
        };
        let day = now_minute / MINUTES_PER_DAY;
        if self.state.baseline_day != Some(day) || self.late_recompute_due(now) {
            self.recompute(day, now);
        }
        let grace = i64::from(self.config.close_grace_seconds) * 1000;
        let Some(closed) = minute_of(Timestamp::from_millis(now.as_millis() - grace))
            .and_then(|minute| minute.checked_sub(1))
        else {
            return;
        };
        let lookback = self.config.live_minutes + self.config.end_minutes;
        let mut first = match self.state.closed_through {
            Some(through) if through >= closed => return,
            Some(through) => through + 1,
            None => closed,
        };
        first = first.max(closed.saturating_sub(lookback));
        for minute in first..=closed {
            self.close_minute(minute, now_minute, now, enablement);
        }
        self.state.closed_through = Some(closed);
        let keep_from = now_minute.saturating_sub(lookback + self.config.start_minutes + 2);
        for series in self.state.series.values_mut() {
            if series
                .recent
                .first_key_value()
                .is_some_and(|(minute, _)| *minute < keep_from)
            {
                series.recent = series.recent.split_off(&keep_from);
            }
        }
        for scope in self.state.scopes.values_mut() {
            if scope
                .activity
                .first_key_value()
                .is_some_and(|(minute, _)| *minute < keep_from)
            {
                scope.activity = scope.activity.split_off(&keep_from);
            }
        }
    }

    fn late_recompute_due(&self, now: Timestamp) -> bool {
        self.state.late
            && self.state.last_recompute_ms.is_none_or(|last| {
                now.as_millis() - last >= i64::from(self.config.late_recompute_seconds) * 1000
            })
    }

    fn close_minute(
        &mut self,
        minute: u32,
        now_minute: u32,
        now: Timestamp,
        enablement: &dyn Enablement,
    ) {
        let config = &self.config;
        let live_floor = now_minute.saturating_sub(config.live_minutes + config.start_minutes);
        for series in self.state.series.values_mut() {
            if series.open.is_some() {
                let Some(end) = calm_end(config, series, minute) else {
                    continue;
                };
                let Some(open) = series.open.take() else {
                    continue;
                };
                let duration = end - open.start;
                if !open.silent {
                    let average =
                        sum(&series.minutes, open.start, end - 1) as f64 / f64::from(duration);
                    self.emitted.push(record(
                        &series.key,
                        &open,
                        InsightState::End,
                        minute_start(end),
                        now,
                        average,
                        duration,
                    ));
                }
                continue;
            }
            // A collapse: a busy series silent for `start_minutes` closed minutes.
            let Some(baseline) = &series.baseline else {
                continue;
            };
            if baseline.mean < config.collapse_mean || config.collapse_mean <= 0.0 {
                continue;
            }
            let earlier = config.start_minutes - 1;
            let Some(start) = minute.checked_sub(earlier) else {
                continue;
            };
            if start < live_floor || series.minutes.range(start..=minute).next().is_some() {
                continue;
            }
            let scope_text = series.key.scope_text();
            let scope_active = self
                .state
                .scopes
                .get(scope_text.as_str())
                .is_some_and(|scope| {
                    (start..=minute)
                        .all(|each| scope.activity.get(&each).is_some_and(|count| *count > 0))
                });
            if !scope_active {
                continue;
            }
            let silent = !enablement.enabled(&series.key);
            let open = Open {
                shared_event_id: shared_event_id(&series.key, start),
                start,
                low: true,
                silent,
                baseline: baseline.clone(),
                checked_through: minute,
                last_unusual: minute,
                calm: 0,
                contributors: Contributors::default(),
                merged_through: minute,
            };
            if !silent {
                self.emitted.push(record(
                    &series.key,
                    &open,
                    InsightState::Start,
                    minute_start(start),
                    now,
                    0.0,
                    minute - start + 1,
                ));
            }
            series.open = Some(open);
        }
    }

    /// Recomputes every baseline for the day `day` and drops what no retention needs.
    fn recompute(&mut self, day: u32, now: Timestamp) {
        let config = &self.config;
        let day_start = day.saturating_mul(MINUTES_PER_DAY);
        for scope in self.state.scopes.values_mut() {
            let start = scope
                .first_minute
                .max(day_start.saturating_sub(config.baseline_days * MINUTES_PER_DAY));
            scope.window = (day_start > start
                && day_start - start >= config.min_baseline_days * MINUTES_PER_DAY)
                .then_some((start, day_start));
        }
        let now_minute = minute_of(now).unwrap_or(day_start);
        let minutes_from = now_minute.saturating_sub(MINUTE_POINTS_DAYS * MINUTES_PER_DAY);
        let fives_from = (now_minute / 5).saturating_sub(FIVE_POINTS_DAYS * MINUTES_PER_DAY / 5);
        let hours_from = (now_minute / 60).saturating_sub(HOUR_POINTS_DAYS * 24);
        let days_from = day.saturating_sub(config.baseline_days + 1);
        let scopes = &self.state.scopes;
        let mut buffer = String::new();
        self.state.series.retain(|_, series| {
            prune(&mut series.minutes, minutes_from);
            prune(&mut series.fives, fives_from);
            prune(&mut series.hours, hours_from);
            prune(&mut series.days, days_from);
            write_scope_text(&mut buffer, &series.key.account, &series.key.region);
            let window = scopes.get(buffer.as_str()).and_then(|scope| scope.window);
            series.baseline = window.map(|(start, end)| baseline(series, start, end));
            !(series.minutes.is_empty()
                && series.fives.is_empty()
                && series.hours.is_empty()
                && series.days.is_empty()
                && series.open.is_none())
        });
        self.strings.collect_garbage();
        self.state.baseline_day = Some(day);
        self.state.late = false;
        self.state.last_recompute_ms = Some(now.as_millis());
    }
}

/// Judges the closed minutes of `series`' open Insight up to `through` (all of them,
/// however far the clock jumped); returns the end minute when the rate has been calm
/// for `end_minutes`.
fn calm_end(config: &InsightsConfig, series: &mut Series, through: u32) -> Option<u32> {
    let Series {
        key,
        minutes,
        baseline,
        open,
        recent,
        ..
    } = series;
    let open = open.as_mut()?;
    // Calm is judged against the current baseline: after a lasting change of level, the
    // daily recomputation takes it in and the Insight ends. The records keep reporting
    // the baseline the Insight started with.
    let (mean, std) = baseline
        .as_ref()
        .map_or((open.baseline.mean, open.baseline.std), |current| {
            (current.mean, current.std)
        });
    for minute in open.checked_through.saturating_add(1)..=through {
        let count = minutes.get(&minute).copied().unwrap_or(0);
        let unusual = if open.low {
            f64::from(count) * config.ratio.max(1.0) < mean
        } else {
            unusual_high(config, key, mean, std, count)
        };
        open.checked_through = minute;
        if unusual {
            open.last_unusual = minute;
            open.calm = 0;
            merge_recent(open, recent, minute);
            continue;
        }
        open.calm += 1;
        if open.calm >= config.end_minutes {
            return Some(open.last_unusual + 1);
        }
    }
    None
}

/// Adds the per-minute contributors after `open.merged_through` up to `through`.
fn merge_recent(open: &mut Open, recent: &BTreeMap<u32, Contributors>, through: u32) {
    let from = open.merged_through.saturating_add(1);
    if from > through {
        return;
    }
    for (_, contributors) in recent.range(from..=through) {
        open.contributors.merge(contributors);
    }
    open.merged_through = through;
}

fn sum(minutes: &BTreeMap<u32, u32>, from: u32, to_inclusive: u32) -> u64 {
    minutes
        .range(from..=to_inclusive)
        .map(|(_, count)| u64::from(*count))
        .sum()
}

fn prune<V>(map: &mut BTreeMap<u32, V>, keep_from: u32) {
    if map
        .first_key_value()
        .is_some_and(|(first, _)| *first < keep_from)
    {
        *map = map.split_off(&keep_from);
    }
}

fn baseline(series: &Series, start: u32, end: u32) -> Baseline {
    let duration = end - start;
    let mut sum = 0u64;
    let mut sum_squares = 0u64;
    let mut contributors = Contributors::default();
    for (_, day) in series
        .days
        .range(start / MINUTES_PER_DAY..end.div_ceil(MINUTES_PER_DAY))
    {
        sum += day.sum;
        sum_squares += day.sum_squares;
        contributors.merge(&day.contributors);
    }
    let minutes = f64::from(duration.max(1));
    let mean = sum as f64 / minutes;
    let variance = (sum_squares as f64 / minutes - mean * mean).max(0.0);
    Baseline {
        mean,
        std: variance.sqrt(),
        duration,
        contributors,
    }
}

/// The rare-error rule: errors on a key that saw less than one per week.
fn rare_error(config: &InsightsConfig, key: &SeriesKey, mean: f64, count: u32) -> bool {
    key.insight_type == InsightType::ApiErrorRateInsight
        && mean * WEEK_MINUTES < 1.0
        && count >= config.rare_error_minute
}

/// Whether a minute with `count` calls is above the series' normal.
fn unusual_high(config: &InsightsConfig, key: &SeriesKey, mean: f64, std: f64, count: u32) -> bool {
    f64::from(count) > config.threshold(mean, std) || rare_error(config, key, mean, count)
}

fn record(
    key: &SeriesKey,
    open: &Open,
    state: InsightState,
    event_time: Timestamp,
    now: Timestamp,
    insight_average: f64,
    insight_duration: u32,
) -> InsightEvent {
    let minutes = f64::from(insight_duration.max(1));
    let baseline_minutes = f64::from(open.baseline.duration.max(1));
    let mut attributions = Vec::new();
    for (index, attribute) in ATTRIBUTES.iter().enumerate() {
        let insight = open.contributors.tallies[index].top(TOP, minutes);
        let baseline = open.baseline.contributors.tallies[index].top(TOP, baseline_minutes);
        if insight.is_empty() && baseline.is_empty() {
            continue;
        }
        attributions.push(Attribution {
            attribute,
            insight,
            baseline,
        });
    }
    InsightEvent {
        key: key.clone(),
        state,
        shared_event_id: open.shared_event_id.clone(),
        event_id: event_id(&open.shared_event_id, state),
        event_time,
        emitted_at: now,
        baseline_average: open.baseline.mean,
        baseline_duration: open.baseline.duration,
        insight_average,
        insight_duration,
        attributions,
    }
}
