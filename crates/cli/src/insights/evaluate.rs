//! `evaluate`: generate, inject, replay, score, report.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use opentrail_generate::{GenerateConfig, Summary, generate};
use opentrail_insights::{
    Injected, InsightState, InsightType, InsightsConfig, Score, SeriesKey, SourceEventCategory,
    score,
};
use opentrail_types::Timestamp;
use serde::Serialize;

use super::replay::{Records, Replay, replay};
use super::scenario::{History, Kind, Planned, plan_scenario};
use super::{DAY_MS, EvaluateArgs, MINUTE_MS, detection_config};
use crate::Outcome;

/// The bars of issue 6.
const RECALL_BAR: f64 = 0.95;
const PRECISION_BAR: f64 = 0.9;
const MAX_DELAY_BAR_SECONDS: f64 = 120.0;

/// One injection in the report.
#[derive(Debug, Serialize)]
struct InjectionReport {
    kind: Kind,
    anomalous: bool,
    key: SeriesKey,
    start: String,
    end: String,
    per_minute: u32,
    baseline_per_minute: f64,
    /// Anomalies: whether a Start of its own type and code reported it.
    detected: Option<bool>,
    delay_seconds: Option<f64>,
    /// Decoys: whether a Start on its API fell in its time (a false positive).
    reported: Option<bool>,
}

#[derive(Debug, Serialize)]
struct StartReport {
    key: SeriesKey,
    time: String,
    decided_at: String,
    /// The decoy it fell on, if any.
    decoy: bool,
}

#[derive(Debug, Serialize)]
struct Bar {
    target: String,
    measured: Option<f64>,
    holds: bool,
}

#[derive(Debug, Serialize)]
struct WorkloadReport {
    days: u32,
    events_per_day: u64,
    seed: u64,
    accounts: usize,
    regions: Vec<String>,
    start: String,
    end: String,
    anomaly_days: Vec<String>,
    background_events: u64,
    injected_events: u64,
    files: u64,
    generate_seconds: f64,
    read_seconds: f64,
}

#[derive(Debug, Serialize)]
struct EvaluateReport {
    workload: WorkloadReport,
    detection: InsightsConfig,
    anomalies: usize,
    decoys: usize,
    detected: usize,
    recall: f64,
    starts: usize,
    true_starts: usize,
    precision: f64,
    ends: usize,
    median_delay_seconds: Option<f64>,
    max_delay_seconds: Option<f64>,
    missed: Vec<InjectionReport>,
    false_starts: Vec<StartReport>,
    events_replayed: u64,
    series: usize,
    analyzer_seconds: f64,
    analyzer_events_per_second: f64,
    bars: BTreeMap<&'static str, Bar>,
    injections: Vec<InjectionReport>,
}

/// A work folder, removed at the end when it is a temporary one.
struct Work {
    path: PathBuf,
    _temporary: Option<tempfile::TempDir>,
}

fn work_folder(requested: Option<&Path>) -> anyhow::Result<Work> {
    match requested {
        Some(path) => {
            for part in ["history", "scenario"] {
                let folder = path.join(part);
                match std::fs::remove_dir_all(&folder) {
                    Ok(()) => {}
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                    Err(error) => {
                        return Err(error)
                            .with_context(|| format!("cannot empty `{}`", folder.display()));
                    }
                }
            }
            std::fs::create_dir_all(path)
                .with_context(|| format!("cannot create `{}`", path.display()))?;
            Ok(Work {
                path: path.to_path_buf(),
                _temporary: None,
            })
        }
        None => {
            let temporary = tempfile::Builder::new()
                .prefix("opentrail-insights-")
                .tempdir()
                .context("cannot create a temporary folder")?;
            Ok(Work {
                path: temporary.path().to_path_buf(),
                _temporary: Some(temporary),
            })
        }
    }
}

pub(super) fn run(args: &EvaluateArgs) -> anyhow::Result<Outcome> {
    let config = detection_config(&args.detection)?;
    if args.days <= config.min_baseline_days {
        bail!(
            "--days must exceed min_baseline_days ({}): the analyzer judges a day against at least that many days before it",
            config.min_baseline_days
        );
    }
    if args.events_per_day == 0 {
        bail!("--events-per-day must be at least 1");
    }
    let anomaly_day_count = (args.days - config.min_baseline_days).min(2);
    let history_days = args.days - anomaly_day_count;
    let defaults = GenerateConfig::default();
    let first_day = defaults.start;
    // History starts an hour before the first midnight, so that every account and Region
    // has `history_days` whole days before the first anomaly day (the analyzer counts
    // history from each one's first record).
    let lead_ms = 60 * MINUTE_MS;
    let history_start = first_day.saturating_add_millis(-lead_ms);
    let scenario_start = first_day.saturating_add_millis(i64::from(history_days) * DAY_MS);
    let end = first_day.saturating_add_millis(i64::from(args.days) * DAY_MS);
    let history_events = (args.events_per_day as f64
        * (f64::from(history_days) + lead_ms as f64 / DAY_MS as f64))
        .round() as u64;
    let work = work_folder(args.work.as_deref())?;
    let history_dir = work.path.join("history");
    let scenario_dir = work.path.join("scenario");

    let generating = Instant::now();
    let history_config = GenerateConfig {
        seed: args.seed,
        events: history_events,
        start: history_start,
        end: scenario_start,
        accounts: args.accounts,
        ..GenerateConfig::default()
    };
    let history_summary = generate(&history_config, &history_dir, |_| {})
        .with_context(|| format!("cannot generate into `{}`", history_dir.display()))?;
    let mut generate_seconds = generating.elapsed().as_secs_f64();

    let reading = Instant::now();
    let mut records = Records::default();
    records.load(std::slice::from_ref(&history_dir));
    let mut read_seconds = reading.elapsed().as_secs_f64();
    let history_minutes =
        (scenario_start.as_millis() - history_start.as_millis()) as f64 / MINUTE_MS as f64;
    let history = History::measure(&records, &history_summary, history_minutes);
    let anomaly_days: Vec<Timestamp> = (0..anomaly_day_count)
        .map(|day| scenario_start.saturating_add_millis(i64::from(day) * DAY_MS))
        .collect();
    let planned = plan_scenario(
        &history,
        args.seed,
        &anomaly_days,
        args.anomalies,
        args.decoys,
    );

    let generating = Instant::now();
    let scenario_config = GenerateConfig {
        seed: args.seed,
        events: args.events_per_day * u64::from(anomaly_day_count),
        start: scenario_start,
        end,
        accounts: args.accounts,
        bursts: planned.iter().map(|each| each.burst.clone()).collect(),
        ..GenerateConfig::default()
    };
    let scenario_summary = generate(&scenario_config, &scenario_dir, |_| {})
        .with_context(|| format!("cannot generate into `{}`", scenario_dir.display()))?;
    generate_seconds += generating.elapsed().as_secs_f64();

    let reading = Instant::now();
    records.load(std::slice::from_ref(&scenario_dir));
    records.sort();
    read_seconds += reading.elapsed().as_secs_f64();
    if !records.failures.is_empty() {
        bail!(
            "cannot read the generated logs: {}",
            records.failures.join("; ")
        );
    }

    let replayed = replay(&records, config.clone());
    let injected = injected_truth(&planned, &scenario_summary)?;
    let scored = score(&injected, &replayed.insights);
    let report = evaluate_report(
        args,
        &config,
        WorkloadReport {
            days: args.days,
            events_per_day: args.events_per_day,
            seed: args.seed,
            accounts: args.accounts,
            regions: history_summary.regions.clone(),
            start: history_start.format_event_time(),
            end: end.format_event_time(),
            anomaly_days: anomaly_days
                .iter()
                .map(|day| day.format_utc("%Y-%m-%d"))
                .collect(),
            background_events: history_summary.background_events
                + scenario_summary.background_events,
            injected_events: scenario_summary.burst_events,
            files: history_summary.files + scenario_summary.files,
            generate_seconds,
            read_seconds,
        },
        (&planned, &injected),
        &scored,
        &replayed,
    );
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write_report(&mut out, &report)?;
    }
    drop(work);
    Ok(Outcome::Success)
}

/// The ground truth, from what the generator injected.
fn injected_truth(planned: &[Planned], summary: &Summary) -> anyhow::Result<Vec<Injected>> {
    if summary.bursts.len() != planned.len() {
        bail!(
            "the generator reported {} bursts for {} planned (a bug)",
            summary.bursts.len(),
            planned.len()
        );
    }
    let mut injected = Vec::new();
    for (plan, truth) in planned.iter().zip(&summary.bursts) {
        let (Some(start), Some(end)) = (truth.first_minute(), truth.end()) else {
            bail!("burst on `{}` added no minutes (a bug)", truth.event_name);
        };
        injected.push(Injected {
            key: SeriesKey {
                account: truth.account_id.clone(),
                region: truth.region.clone(),
                category: SourceEventCategory::Management,
                insight_type: if truth.error_code.is_some() {
                    InsightType::ApiErrorRateInsight
                } else {
                    InsightType::ApiCallRateInsight
                },
                event_source: truth.event_source.clone(),
                event_name: truth.event_name.clone(),
                error_code: truth.error_code.clone(),
            },
            start,
            end,
            anomalous: plan.kind.anomalous(),
        });
    }
    Ok(injected)
}

fn evaluate_report(
    args: &EvaluateArgs,
    config: &InsightsConfig,
    workload: WorkloadReport,
    (planned, injected): (&[Planned], &[Injected]),
    scored: &Score,
    replayed: &Replay,
) -> EvaluateReport {
    let mut delays = scored.delays.iter();
    let mut injections = Vec::new();
    for (plan, truth) in planned.iter().zip(injected) {
        let (detected, delay, reported) = if truth.anomalous {
            let missed = scored.missed.contains(truth);
            let delay = if missed { None } else { delays.next().copied() };
            (Some(!missed), delay, None)
        } else {
            let reported = scored
                .false_starts
                .iter()
                .any(|start| truth.explains(&start.key, start.event_time));
            (None, None, Some(reported))
        };
        injections.push(InjectionReport {
            kind: plan.kind,
            anomalous: truth.anomalous,
            key: truth.key.clone(),
            start: truth.start.format_event_time(),
            end: truth.end.format_event_time(),
            per_minute: plan.burst.per_minute,
            baseline_per_minute: plan.baseline_per_minute,
            detected,
            delay_seconds: delay,
            reported,
        });
    }
    let missed = injections
        .iter()
        .filter(|each| each.detected == Some(false))
        .map(|each| InjectionReport {
            kind: each.kind,
            anomalous: each.anomalous,
            key: each.key.clone(),
            start: each.start.clone(),
            end: each.end.clone(),
            per_minute: each.per_minute,
            baseline_per_minute: each.baseline_per_minute,
            detected: each.detected,
            delay_seconds: each.delay_seconds,
            reported: each.reported,
        })
        .collect();
    let false_starts = scored
        .false_starts
        .iter()
        .map(|start| StartReport {
            key: start.key.clone(),
            time: start.event_time.format_event_time(),
            decided_at: start.emitted_at.format_event_time(),
            decoy: injected
                .iter()
                .any(|truth| !truth.anomalous && truth.explains(&start.key, start.event_time)),
        })
        .collect();
    let max_delay = scored.max_delay();
    let mut bars = BTreeMap::new();
    bars.insert(
        "recall",
        Bar {
            target: format!("≥ {RECALL_BAR}"),
            measured: Some(scored.recall),
            holds: scored.recall >= RECALL_BAR,
        },
    );
    bars.insert(
        "precision",
        Bar {
            target: format!("≥ {PRECISION_BAR}"),
            measured: Some(scored.precision),
            holds: scored.precision >= PRECISION_BAR,
        },
    );
    bars.insert(
        "max_delay_seconds",
        Bar {
            target: format!("≤ {MAX_DELAY_BAR_SECONDS}"),
            measured: max_delay,
            holds: max_delay.is_some_and(|delay| delay <= MAX_DELAY_BAR_SECONDS),
        },
    );
    EvaluateReport {
        workload,
        detection: config.clone(),
        anomalies: scored.anomalies,
        decoys: injected.len() - scored.anomalies,
        detected: scored.detected,
        recall: scored.recall,
        starts: scored.starts,
        true_starts: scored.true_starts,
        precision: scored.precision,
        ends: replayed
            .insights
            .iter()
            .filter(|insight| insight.state == InsightState::End)
            .count(),
        median_delay_seconds: scored.median_delay(),
        max_delay_seconds: max_delay,
        missed,
        false_starts,
        events_replayed: replayed.events,
        series: replayed.series,
        analyzer_seconds: replayed.elapsed.as_secs_f64(),
        analyzer_events_per_second: replayed.events_per_second(),
        bars,
        injections: if args.json { injections } else { Vec::new() },
    }
}

fn key_text(key: &SeriesKey) -> String {
    format!(
        "{} {} {} {} {}{}",
        key.account,
        key.region,
        key.insight_type.as_str(),
        key.event_source,
        key.event_name,
        key.error_code
            .as_deref()
            .map(|code| format!(" {code}"))
            .unwrap_or_default()
    )
}

fn seconds(value: Option<f64>) -> String {
    value.map_or_else(|| String::from("-"), |value| format!("{value:.0} s"))
}

fn write_report(out: &mut impl Write, report: &EvaluateReport) -> std::io::Result<()> {
    let workload = &report.workload;
    writeln!(
        out,
        "workload: {} days from {} ({} background events/day, seed {}, {} accounts, Regions {}): {} background + {} injected events in {} files; generated in {:.1} s, read in {:.1} s",
        workload.days,
        workload.start,
        workload.events_per_day,
        workload.seed,
        workload.accounts,
        workload.regions.join(", "),
        workload.background_events,
        workload.injected_events,
        workload.files,
        workload.generate_seconds,
        workload.read_seconds,
    )?;
    writeln!(
        out,
        "scenario: {} anomalies and {} decoys on {}",
        report.anomalies,
        report.decoys,
        workload.anomaly_days.join(" and ")
    )?;
    writeln!(
        out,
        "replay: {} events, {} series, analyzer {:.2} s: {:.0} events/s",
        report.events_replayed,
        report.series,
        report.analyzer_seconds,
        report.analyzer_events_per_second
    )?;
    writeln!(
        out,
        "anomalies {}, detected {}, recall {:.3}",
        report.anomalies, report.detected, report.recall
    )?;
    writeln!(
        out,
        "starts {}, true starts {}, precision {:.3} ({} ends)",
        report.starts, report.true_starts, report.precision, report.ends
    )?;
    writeln!(
        out,
        "detection delay: median {}, max {}",
        seconds(report.median_delay_seconds),
        seconds(report.max_delay_seconds)
    )?;
    if !report.missed.is_empty() {
        writeln!(out, "missed:")?;
        for missed in &report.missed {
            writeln!(
                out,
                "  {} to {}  {}  ({:?}, {}/min over a baseline of {:.3}/min)",
                missed.start,
                missed.end,
                key_text(&missed.key),
                missed.kind,
                missed.per_minute,
                missed.baseline_per_minute
            )?;
        }
    }
    if !report.false_starts.is_empty() {
        writeln!(out, "false starts:")?;
        for start in &report.false_starts {
            writeln!(
                out,
                "  {} (decided {})  {}{}",
                start.time,
                start.decided_at,
                key_text(&start.key),
                if start.decoy { "  [on a decoy]" } else { "" }
            )?;
        }
    }
    writeln!(out, "bars:")?;
    for (name, bar) in &report.bars {
        writeln!(
            out,
            "  {name} {}: {} ({})",
            bar.target,
            bar.measured
                .map_or_else(|| String::from("-"), |value| format!("{value:.3}")),
            if bar.holds { "holds" } else { "NOT MET" }
        )?;
    }
    Ok(())
}
