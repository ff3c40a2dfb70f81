//! `insights`: the Insights analyzer on the generated event stream, on one thread.
//!
//! 1. **Throughput.** `opentrail-generate` writes `--days` days of traffic (the stream the
//!    other bars use: seed 1, three accounts, four Regions, by default 100,000 events a
//!    day). The log files are read one 5-minute delivery window at a time (all accounts
//!    and Regions of the window together), their records sorted by `eventTime`, and each
//!    record goes through [`Observation::parse`], [`Analyzer::observe`] (clock at the
//!    record's time) and [`Analyzer::tick`] at every minute boundary, as a server's
//!    analyzer would see a live feed. Only that work is timed: reading, inflating and
//!    sorting the files is not. Baselines exist from day 8 on, so the last days include
//!    detection.
//! 2. **CPU at a steady rate.** The analyzer's state at the last day's midnight (saved
//!    with [`Analyzer::snapshot`] during the first pass, untimed) is restored, and the
//!    last day's records are fed at `--rate` events/s of wall time (batches every 10 ms,
//!    sleeping in between) for `--paced-seconds`. The figure is the thread's CPU time
//!    (`/proc/thread-self/schedstat`) over the wall time: percent of one core. The
//!    analyzer's clock still follows the records' times, so a day of traffic passes in
//!    those seconds and minute ticks and the midnight baseline recomputation come far
//!    more often than in real time: an upper bound.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use opentrail_archive::gzip::{DEFAULT_MAX_DECOMPRESSED_BYTES, read_file_capped_into};
use opentrail_archive::layout::LogFileKey;
use opentrail_archive::records::split;
use opentrail_generate::GenerateConfig;
use opentrail_insights::{Analyzer, InsightsConfig, Observation, SeriesKey};
use opentrail_types::Timestamp;

use crate::inflate::thread_cpu;

const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;

/// Flags of `insights`.
#[derive(Debug)]
pub struct Args {
    /// Scratch folder (removed first, and at the end).
    pub work: PathBuf,
    /// Days of traffic (at least 2).
    pub days: u32,
    /// Events per day.
    pub events_per_day: u64,
    /// Seed of the traffic.
    pub seed: u64,
    /// Accounts.
    pub accounts: usize,
    /// Events per second of wall time in the paced run.
    pub rate: u64,
    /// Length of the paced run, seconds.
    pub paced_seconds: u64,
}

/// Records of one delivery window (or of the last day): one buffer, sorted by time.
#[derive(Debug, Default)]
struct Batch {
    bytes: Vec<u8>,
    /// `eventTime` in ms and the record's range in `bytes`.
    records: Vec<(i64, usize, usize)>,
}

impl Batch {
    fn push(&mut self, time_ms: i64, record: &[u8]) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(record);
        self.records.push((time_ms, start, self.bytes.len()));
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.records.clear();
    }

    fn record(&self, index: usize) -> &[u8] {
        let (_, start, end) = self.records[index];
        &self.bytes[start..end]
    }
}

/// Ticks the analyzer at every minute boundary the clock passes (the first hour of a
/// silence minute by minute, then one jump).
struct Clock {
    last_minute: Option<i64>,
}

impl Clock {
    fn advance(&mut self, analyzer: &mut Analyzer, now_ms: i64, emitted: &mut u64) {
        let enabled = |_: &SeriesKey| true;
        let minute = now_ms.div_euclid(MINUTE_MS);
        let first = match self.last_minute {
            None => {
                analyzer.tick(Timestamp::from_millis(now_ms), &enabled);
                *emitted += analyzer.take_emitted().len() as u64;
                self.last_minute = Some(minute);
                return;
            }
            Some(last) if minute <= last => return,
            Some(last) => last + 1,
        };
        for each in first..=minute.min(first + 59) {
            analyzer.tick(Timestamp::from_millis(each * MINUTE_MS), &enabled);
        }
        if minute > first + 59 {
            analyzer.tick(Timestamp::from_millis(minute * MINUTE_MS), &enabled);
        }
        *emitted += analyzer.take_emitted().len() as u64;
        self.last_minute = Some(minute);
    }
}

/// Parses, ticks and observes one record; `false` when the record is not one the
/// analyzer reads.
fn feed(analyzer: &mut Analyzer, clock: &mut Clock, record: &[u8], emitted: &mut u64) -> bool {
    let enabled = |_: &SeriesKey| true;
    let Some(observation) = Observation::parse(record) else {
        return false;
    };
    clock.advance(analyzer, observation.time.as_millis(), emitted);
    analyzer.observe(&observation, observation.time, &enabled);
    *emitted += analyzer.take_emitted().len() as u64;
    true
}

/// The `eventTime` of a compact generated record, without parsing it.
fn event_time_ms(record: &[u8]) -> Option<i64> {
    const OPENING: &[u8] = b"\"eventTime\":\"";
    let start = find_bytes(record, OPENING)? + OPENING.len();
    let text = std::str::from_utf8(record.get(start..start + 20)?).ok()?;
    Timestamp::parse_event_time(text)
        .ok()
        .map(Timestamp::as_millis)
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The generated log files, grouped by delivery window, in time order.
fn windows(dir: &Path) -> anyhow::Result<BTreeMap<i64, Vec<PathBuf>>> {
    let mut files = Vec::new();
    crate::records::list_log_files(dir, &mut files)?;
    let mut windows: BTreeMap<i64, Vec<PathBuf>> = BTreeMap::new();
    for file in files {
        let key = file.to_string_lossy().into_owned();
        let parsed =
            LogFileKey::parse(&key).with_context(|| format!("`{key}` is not a log file key"))?;
        windows
            .entry(parsed.delivered.as_millis())
            .or_default()
            .push(file);
    }
    for files in windows.values_mut() {
        files.sort();
    }
    Ok(windows)
}

/// Reads the records of `files` into `batch`, sorted by time.
fn read_window(files: &[PathBuf], batch: &mut Batch, buffer: &mut Vec<u8>) -> anyhow::Result<()> {
    batch.clear();
    for file in files {
        read_file_capped_into(file, DEFAULT_MAX_DECOMPRESSED_BYTES, buffer)
            .with_context(|| format!("cannot read `{}`", file.display()))?;
        let content =
            split(buffer).with_context(|| format!("cannot split `{}`", file.display()))?;
        for record in content.records() {
            let Ok(raw) = record else { continue };
            let bytes = raw.get().as_bytes();
            if let Some(time) = event_time_ms(bytes) {
                batch.push(time, bytes);
            }
        }
    }
    batch.records.sort_by_key(|(time, _, _)| *time);
    Ok(())
}

/// Runs `insights`.
pub fn run(args: &Args) -> anyhow::Result<()> {
    anyhow::ensure!(args.days >= 2, "--days must be at least 2");
    anyhow::ensure!(args.rate > 0, "--rate must be at least 1");
    crate::fresh_dir(&args.work)?;
    let logs = args.work.join("logs");
    let defaults = GenerateConfig::default();
    let config = GenerateConfig {
        seed: args.seed,
        events: args.events_per_day * u64::from(args.days),
        start: defaults.start,
        end: defaults
            .start
            .saturating_add_millis(i64::from(args.days) * DAY_MS),
        accounts: args.accounts,
        ..GenerateConfig::default()
    };
    let generating = Instant::now();
    let summary = opentrail_generate::generate(&config, &logs, |_| {})
        .context("cannot generate the event stream")?;
    println!(
        "stream: {} events over {} days ({} a day, seed {}, {} accounts, {} Regions) in {} files, generated in {:.1} s",
        summary.events,
        args.days,
        args.events_per_day,
        args.seed,
        args.accounts,
        summary.regions.len(),
        summary.files,
        generating.elapsed().as_secs_f64()
    );

    let last_day_ms = config.start.as_millis() + i64::from(args.days - 1) * DAY_MS;
    let paced_events =
        usize::try_from(args.rate.saturating_mul(args.paced_seconds)).unwrap_or(usize::MAX);
    let mut analyzer = Analyzer::new(InsightsConfig::default());
    let mut clock = Clock { last_minute: None };
    let mut batch = Batch::default();
    let mut buffer = Vec::new();
    let mut last_day = Batch::default();
    let mut snapshot: Option<(Vec<u8>, Option<i64>)> = None;
    let (mut fed, mut skipped, mut emitted) = (0u64, 0u64, 0u64);
    let mut detecting = (Duration::ZERO, 0u64);
    let mut timed = Duration::ZERO;
    for files in windows(&logs)?.values() {
        read_window(files, &mut batch, &mut buffer)?;
        let Some(&(first_time, _, _)) = batch.records.first() else {
            continue;
        };
        if snapshot.is_none() && first_time >= last_day_ms {
            snapshot = Some((analyzer.snapshot(), clock.last_minute));
        }
        let started = Instant::now();
        for index in 0..batch.records.len() {
            if feed(&mut analyzer, &mut clock, batch.record(index), &mut emitted) {
                fed += 1;
            } else {
                skipped += 1;
            }
        }
        let elapsed = started.elapsed();
        timed += elapsed;
        if first_time >= last_day_ms - DAY_MS {
            detecting.0 += elapsed;
            detecting.1 += batch.records.len() as u64;
        }
        if snapshot.is_some() {
            for index in 0..batch.records.len() {
                if last_day.records.len() < paced_events {
                    last_day.push(batch.records[index].0, batch.record(index));
                }
            }
        }
    }
    if let Some(last) = clock.last_minute {
        let started = Instant::now();
        clock.advance(&mut analyzer, (last + 60) * MINUTE_MS, &mut emitted);
        timed += started.elapsed();
    }
    println!(
        "throughput (parse + observe + tick, one thread): {fed} events in {:.2} s: {:.0} events/s ({skipped} records not counted, {} series, {emitted} Insights events); last two days: {:.0} events/s",
        timed.as_secs_f64(),
        fed as f64 / timed.as_secs_f64().max(1e-9),
        analyzer.series_count(),
        detecting.1 as f64 / detecting.0.as_secs_f64().max(1e-9),
    );
    drop(analyzer);

    let Some((state, last_minute)) = snapshot else {
        anyhow::bail!("the stream has no records on its last day");
    };
    let mut analyzer = Analyzer::restore(InsightsConfig::default(), &state)
        .context("cannot restore the analyzer's state")?;
    drop(state);
    paced(args, &mut analyzer, last_minute, &last_day);
    std::fs::remove_dir_all(&args.work)
        .with_context(|| format!("cannot remove `{}`", args.work.display()))?;
    Ok(())
}

/// Feeds `records` at `args.rate` events/s of wall time and prints the thread's CPU use.
fn paced(args: &Args, analyzer: &mut Analyzer, last_minute: Option<i64>, records: &Batch) {
    let mut clock = Clock { last_minute };
    let per_batch = usize::try_from(args.rate / 100).unwrap_or(1).max(1);
    let mut emitted = 0u64;
    let mut fed = 0u64;
    let cpu_before = thread_cpu();
    let started = Instant::now();
    let mut index = 0;
    let mut batches = 0u64;
    while index < records.records.len() {
        let due = Duration::from_secs_f64(index as f64 / args.rate as f64);
        if let Some(wait) = due.checked_sub(started.elapsed()) {
            std::thread::sleep(wait);
        }
        let end = (index + per_batch).min(records.records.len());
        for each in index..end {
            if feed(analyzer, &mut clock, records.record(each), &mut emitted) {
                fed += 1;
            }
        }
        index = end;
        batches += 1;
    }
    let wall = started.elapsed();
    let cpu = thread_cpu().saturating_sub(cpu_before);
    println!(
        "paced at {} events/s: {fed} events in {:.2} s of wall time ({batches} batches, {emitted} Insights events): CPU {:.3} s = {:.2}% of one core",
        args.rate,
        wall.as_secs_f64(),
        cpu.as_secs_f64(),
        cpu.as_secs_f64() / wall.as_secs_f64().max(1e-9) * 100.0,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_times_are_read_without_parsing() {
        let record = br#"{"eventVersion":"1.08","userIdentity":{"type":"Root"},"eventTime":"2026-03-02T10:00:01Z","eventSource":"s3.amazonaws.com"}"#;
        assert_eq!(
            event_time_ms(record),
            Some(
                Timestamp::parse_event_time("2026-03-02T10:00:01Z")
                    .unwrap()
                    .as_millis()
            )
        );
        assert_eq!(event_time_ms(b"{}"), None);
    }

    #[test]
    fn the_clock_ticks_and_jumps() {
        let mut analyzer = Analyzer::new(InsightsConfig::default());
        let mut clock = Clock { last_minute: None };
        let mut emitted = 0;
        clock.advance(&mut analyzer, 0, &mut emitted);
        clock.advance(&mut analyzer, 3 * DAY_MS, &mut emitted);
        assert_eq!(clock.last_minute, Some(3 * 1440));
        assert_eq!(emitted, 0);
    }
}
