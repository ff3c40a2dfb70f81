//! `facets`: what the web console's dashboard asks of event history, on a data directory
//! already holding events (`opentrail import` of generated logs, as `lookups` uses).
//!
//! The ranges end at the newest event indexed (the generated data lies in the past): the
//! last 24 hours and the last 7 days. For each, unrestricted and restricted to the account
//! of the newest event (the generated data has three, interleaved, so the restricted
//! figures include intersecting each term's postings with the account's):
//!
//! - `History::facets` with the dashboard's fields (`EventName`, `Username`, `ErrorCode`,
//!   `SourceIPAddress`, `EventSource`), top 10;
//! - `History::histogram` with hourly buckets (24 and 168).
//!
//! Each case runs once untimed (the index files come into the page cache), then `--runs`
//! times; the figures are p50, p99 and max of those runs, on one thread.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use opentrail_event::Record;
use opentrail_store::{
    FacetField, FacetRequest, Facets, HistogramRequest, History, LookupEventsInput, LookupQuery,
};
use opentrail_types::Timestamp;

use crate::{milliseconds, open_history, percentile};

const HOUR_MS: i64 = 3_600_000;

/// The fields the dashboard shows.
const DASHBOARD_FIELDS: [FacetField; 5] = [
    FacetField::EventName,
    FacetField::Username,
    FacetField::ErrorCode,
    FacetField::SourceIp,
    FacetField::EventSource,
];

/// Flags of `facets`.
#[derive(Debug)]
pub struct Args {
    /// Data directory (as filled by `opentrail import`).
    pub data_dir: PathBuf,
    /// Timed runs of each case.
    pub runs: usize,
}

/// Runs the measurement and prints its figures.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let (_data_dir, journal, history) = open_history(&args.data_dir)?;
    let (newest, account) = newest_event(&history)?;
    println!(
        "newest event {}, restricted cases as account {}",
        newest.format_event_time(),
        account.as_deref().unwrap_or("(none)")
    );
    println!(
        "{:<40} {:>9} {:>9} {:>9} {:>11}",
        "aggregate", "p50 ms", "p99 ms", "max ms", "docs"
    );
    let runs = args.runs.max(1);
    let mut summaries = Vec::new();
    for (range, hours) in [("24 h", 24), ("7 d", 168)] {
        let start = Timestamp::from_millis(newest.as_millis() - hours * HOUR_MS);
        for scope in [None, account.clone()] {
            let scope_name = if scope.is_some() { ", account" } else { "" };
            let request = FacetRequest {
                account: scope.clone(),
                start,
                end: newest,
                fields: DASHBOARD_FIELDS.to_vec(),
                top: 10,
            };
            let mut facets = Facets::default();
            let latencies = measure(runs, || {
                facets = history
                    .facets(&request)
                    .map_err(|error| anyhow::anyhow!("{error}"))?;
                Ok(())
            })?;
            print_row(
                &format!("facets, 5 fields, top 10, {range}{scope_name}"),
                &latencies,
                facets.total,
            );
            summaries.push((format!("{range}{scope_name}"), facets));

            let request = HistogramRequest {
                account: scope,
                start,
                end: newest,
                bucket_ms: HOUR_MS as u64,
            };
            let mut docs = 0;
            let latencies = measure(runs, || {
                let buckets = history
                    .histogram(&request)
                    .map_err(|error| anyhow::anyhow!("{error}"))?;
                docs = buckets.iter().map(|bucket| bucket.total).sum();
                Ok(())
            })?;
            print_row(
                &format!("histogram, {hours} buckets, {range}{scope_name}"),
                &latencies,
                docs,
            );
        }
    }
    // The work depends on how many values each field has: say it.
    for (case, facets) in &summaries {
        let distinct: Vec<String> = facets
            .fields
            .iter()
            .map(|field| format!("{} {}", field.field.as_str(), field.distinct))
            .collect();
        println!("distinct values, {case}: {}", distinct.join(", "));
    }
    history.close();
    journal.close();
    Ok(())
}

/// The time of the newest event indexed, and its account.
fn newest_event(history: &History) -> anyhow::Result<(Timestamp, Option<String>)> {
    let input = LookupEventsInput {
        max_results: Some(1),
        ..LookupEventsInput::default()
    };
    let query = LookupQuery::from_input(&input).map_err(|error| anyhow::anyhow!("{error}"))?;
    let page = history
        .lookup_events(&query)
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let event = page
        .events
        .first()
        .context("the data directory holds no events; import some first")?;
    let record: Record = serde_json::from_str(&event.cloudtrail_event)?;
    Ok((event.event_time, record.recipient_account_id))
}

/// Runs `work` once untimed, then `runs` times; returns the sorted latencies.
fn measure(
    runs: usize,
    mut work: impl FnMut() -> anyhow::Result<()>,
) -> anyhow::Result<Vec<Duration>> {
    work()?;
    let mut latencies = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        work()?;
        latencies.push(started.elapsed());
    }
    latencies.sort();
    Ok(latencies)
}

fn print_row(name: &str, latencies: &[Duration], docs: u64) {
    println!(
        "{:<40} {:>9.3} {:>9.3} {:>9.3} {:>11}",
        name,
        milliseconds(percentile(latencies, 0.5)),
        milliseconds(percentile(latencies, 0.99)),
        milliseconds(*latencies.last().unwrap_or(&Duration::ZERO)),
        docs
    );
}
