//! `opentrail insights`: the Insights analyzer run offline on log files.
//!
//! - `detect PATH...` reads CloudTrail log files and folders, replays their records
//!   through [`opentrail_insights::Analyzer`] in `eventTime` order, with the analyzer's
//!   clock at each record's time, and prints the Insights it decides.
//! - `evaluate` generates a workload with `opentrail_generate` (history first, then the
//!   last days with injected anomalies and decoys), replays it the same way, and scores
//!   the Starts against the injected ground truth with [`opentrail_insights::score`]:
//!   recall, precision and detection delay, against the bars of issue 6.
//!
//! Both keep one compact, owned form of each counted record (about 56 bytes plus shared
//! strings), so a million records take tens of megabytes, and time the analyzer alone
//! (`observe` and `tick`, records already parsed).

mod evaluate;
mod replay;
mod scenario;

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use opentrail_insights::{InsightEvent, InsightState, InsightsConfig};

use crate::Outcome;
use replay::{Records, replay};

const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;

/// `opentrail insights`.
#[derive(Debug, Subcommand)]
pub enum InsightsCommand {
    /// Replay CloudTrail log files through the Insights analyzer and print each Insights
    /// event it decides (Start and End), then a summary. Exit status 0 unless the files
    /// cannot be read at all.
    Detect(DetectArgs),
    /// Generate a workload with injected anomalies and decoys, replay it through the
    /// Insights analyzer and score detection: recall, precision, detection delay. A
    /// measurement: exit status 0 whether or not the bars hold.
    Evaluate(EvaluateArgs),
}

/// Detection settings shared by both commands.
#[derive(Debug, Args)]
pub struct DetectionArgs {
    /// Detection settings: a TOML file with the fields of `[insights.detection]` at its top
    /// level (`start_minutes = 3`), or a server config file with an `[insights.detection]`
    /// table. Missing fields keep their defaults.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Fewest days of history before anything is detected in an account and Region
    /// (overrides the config; default 7).
    #[arg(long, value_name = "N")]
    pub min_baseline_days: Option<u32>,
}

/// `opentrail insights detect`.
#[derive(Debug, Args)]
#[command(
    after_help = "The analyzer judges a day against the history before it: with logs covering \
fewer than --min-baseline-days whole days before the activity, nothing is detected. \
--assume-quiet-days N treats each account and Region as recorded, with no calls on any API, \
for N days before the UTC day of its first record."
)]
pub struct DetectArgs {
    /// Log files and folders (`.json`, `.json.gz`, `.gz`, `.jsonl`, `.ndjson`; folders are
    /// walked).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub detection: DetectionArgs,
    /// Treat each account and Region as having N days of quiet history (no calls at all)
    /// before the UTC day of its first record, so short logs can be judged. Default 0.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub assume_quiet_days: u32,
    /// Print the Insights records (trail format, one JSON object per line) instead of the
    /// lines for people; the summary goes to stderr.
    #[arg(long)]
    pub records: bool,
}

/// `opentrail insights evaluate`.
#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// Work folder: the generated logs go to `DIR/history` and `DIR/scenario` (both
    /// replaced) and are kept. Default: a temporary folder, removed at the end.
    #[arg(long, value_name = "DIR")]
    pub work: Option<PathBuf>,
    /// Days of traffic. Anomalies go on the last two days that have at least
    /// `min_baseline_days` days of history before them.
    #[arg(long, default_value_t = 9)]
    pub days: u32,
    /// Background events per day.
    #[arg(long, default_value_t = 100_000)]
    pub events_per_day: u64,
    /// Seed of the traffic and of the scenario.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Accounts.
    #[arg(long, default_value_t = 3)]
    pub accounts: usize,
    /// Anomalies injected: call-rate bursts on write APIs (60%) and error storms on write
    /// and read APIs.
    #[arg(long, default_value_t = 40)]
    pub anomalies: usize,
    /// Decoys injected: noisy but normal activity that must not be reported.
    #[arg(long, default_value_t = 15)]
    pub decoys: usize,
    #[command(flatten)]
    pub detection: DetectionArgs,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(command: InsightsCommand) -> anyhow::Result<Outcome> {
    match command {
        InsightsCommand::Detect(args) => detect(&args),
        InsightsCommand::Evaluate(args) => evaluate::run(&args),
    }
}

/// Reads the detection settings: defaults, then the file, then the flags.
pub(crate) fn detection_config(args: &DetectionArgs) -> anyhow::Result<InsightsConfig> {
    let mut config = match &args.config {
        None => InsightsConfig::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read `{}`", path.display()))?;
            parse_detection_config(&text)
                .with_context(|| format!("invalid detection settings in `{}`", path.display()))?
        }
    };
    if let Some(days) = args.min_baseline_days {
        config.min_baseline_days = days;
    }
    if let Err(message) = config.check() {
        bail!("{message}");
    }
    Ok(config)
}

/// Parses `[insights.detection]` of a server config, or the settings at the top level.
fn parse_detection_config(text: &str) -> anyhow::Result<InsightsConfig> {
    let table: toml::Table = toml::from_str(text)?;
    let detection = table
        .get("insights")
        .and_then(|insights| insights.get("detection"))
        .cloned();
    Ok(match detection {
        Some(value) => value.try_into()?,
        None => toml::Value::Table(table).try_into()?,
    })
}

fn detect(args: &DetectArgs) -> anyhow::Result<Outcome> {
    let config = detection_config(&args.detection)?;
    let loading = Instant::now();
    let mut records = Records::default();
    records.load(&args.paths);
    if records.files == 0 && !records.failures.is_empty() {
        bail!("no log file could be read: {}", records.failures.join("; "));
    }
    records.sort();
    let (first, last) = records.time_range();
    let quiet_scopes = if args.assume_quiet_days > 0 {
        let added = records.assume_quiet_history(args.assume_quiet_days);
        records.sort();
        added
    } else {
        0
    };
    let loaded = loading.elapsed();
    let replayed = replay(&records, config.clone());
    let mut out = std::io::stdout().lock();
    let mut summary_lines = Vec::new();
    if args.records {
        for insight in &replayed.insights {
            out.write_all(&insight.to_record())?;
            out.write_all(b"\n")?;
        }
    } else {
        for insight in &replayed.insights {
            writeln!(out, "{}", describe(insight))?;
        }
    }
    let counted = replayed.events - quiet_scopes;
    summary_lines.push(format!(
        "read {} records from {} files in {:.2} s ({} not counted: not management or data events, or missing members); {counted} counted, {first} to {last}",
        records.read,
        records.files,
        loaded.as_secs_f64(),
        records.skipped,
    ));
    if quiet_scopes > 0 {
        summary_lines.push(format!(
            "assumed {} quiet days of history before the first record of each of {quiet_scopes} accounts and Regions",
            args.assume_quiet_days
        ));
    }
    for failure in &records.failures {
        summary_lines.push(format!("failed: {failure}"));
    }
    let starts = replayed
        .insights
        .iter()
        .filter(|insight| insight.state == InsightState::Start)
        .count();
    summary_lines.push(format!(
        "insights: {starts} started, {} ended, on {} series (min_baseline_days {}, start_minutes {}, end_minutes {}); analyzer {:.0} events/s",
        replayed.insights.len() - starts,
        replayed.series,
        config.min_baseline_days,
        config.start_minutes,
        config.end_minutes,
        replayed.events_per_second(),
    ));
    if starts == 0 && args.assume_quiet_days == 0 && !records.judgeable(config.min_baseline_days) {
        summary_lines.push(format!(
            "nothing can be detected: the logs cover fewer than {} whole days before their last day (see --assume-quiet-days)",
            config.min_baseline_days.max(1)
        ));
    }
    if args.records {
        drop(out);
        let mut err = std::io::stderr().lock();
        for line in summary_lines {
            writeln!(err, "{line}")?;
        }
    } else {
        for line in summary_lines {
            writeln!(out, "{line}")?;
        }
    }
    Ok(Outcome::Success)
}

/// One line for people: time, state, type, API, error code, averages, duration, top
/// contributor.
fn describe(insight: &InsightEvent) -> String {
    let key = &insight.key;
    let top = insight
        .attributions
        .iter()
        .find(|attribution| attribution.attribute == "userIdentityArn")
        .or_else(|| insight.attributions.first())
        .and_then(|attribution| {
            attribution
                .insight
                .first()
                .map(|(value, average)| format!("{value} ({average:.2}/min)"))
        })
        .unwrap_or_else(|| String::from("-"));
    format!(
        "{}  {:<5}  {}  {} {} {}  account {} {}  baseline {:.4}/min  insight {:.2}/min  {} min  top {}  (decided {})",
        insight.event_time.format_event_time(),
        insight.state.as_str(),
        key.insight_type.as_str(),
        key.event_source,
        key.event_name,
        key.error_code.as_deref().unwrap_or("-"),
        key.account,
        key.region,
        insight.baseline_average,
        insight.insight_average,
        insight.insight_duration,
        top,
        insight.emitted_at.format_event_time(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_settings_come_from_either_form() {
        let plain = parse_detection_config("start_minutes = 3\n").unwrap();
        assert_eq!(plain.start_minutes, 3);
        assert_eq!(plain.end_minutes, InsightsConfig::default().end_minutes);
        let server = parse_detection_config(
            "data_dir = \"x\"\n[insights.detection]\nmin_baseline_days = 1\n",
        )
        .unwrap();
        assert_eq!(server.min_baseline_days, 1);
        assert!(parse_detection_config("no_such_setting = 1\n").is_err());
    }
}
