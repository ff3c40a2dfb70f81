//! `opentrail generate`: synthetic CloudTrail log files in the S3 layout.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use opentrail_generate::{Burst, GenerateConfig, Progress, generate};
use opentrail_types::Timestamp;

use crate::Outcome;
use crate::cli::GenerateArgs;

pub fn run(args: GenerateArgs) -> anyhow::Result<Outcome> {
    let start = Timestamp::parse_cli_time(&args.start).context("invalid value for --start")?;
    let duration = parse_duration(&args.duration)?;
    let end = start.saturating_add_millis(i64::try_from(duration.as_millis()).unwrap_or(i64::MAX));
    let mut bursts = Vec::new();
    for text in &args.burst {
        bursts.push(parse_burst(text)?);
    }
    let config = GenerateConfig {
        seed: args.seed,
        events: args.events,
        start,
        end,
        accounts: args.accounts,
        principals: args.principals,
        regions: args.regions.clone(),
        data_event_fraction: args.data_event_fraction,
        bursts,
        ..GenerateConfig::default()
    };
    let show_progress = !args.no_progress && std::io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(
        Some(args.events),
        if show_progress {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} events  {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let summary = generate(&config, &args.out, |progress: Progress| {
        bar.set_length(progress.total_events);
        bar.set_position(progress.events);
        bar.set_message(format!("{} files", progress.files));
    })
    .with_context(|| format!("cannot generate into `{}`", args.out.display()))?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64().max(0.001);
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "wrote {} events in {} files under {} in {:.1} s ({:.0} events/s; {:.1} MB, {:.1} MB gzipped)",
        summary.events,
        summary.files,
        args.out.display(),
        seconds,
        summary.events as f64 / seconds,
        summary.bytes_uncompressed as f64 / 1e6,
        summary.bytes_compressed as f64 / 1e6,
    )?;
    for burst in &summary.bursts {
        writeln!(
            out,
            "  burst: {} {} {}{} in {} {}: {} events over {} minutes",
            burst.event_source,
            burst.event_name,
            burst.principal_arn,
            burst
                .error_code
                .as_deref()
                .map(|code| format!(" ({code})"))
                .unwrap_or_default(),
            burst.account_id,
            burst.region,
            burst.events,
            burst.minutes.len(),
        )?;
    }
    Ok(Outcome::Success)
}

fn parse_duration(text: &str) -> anyhow::Result<std::time::Duration> {
    let duration = humantime::parse_duration(text)
        .with_context(|| format!("invalid duration `{text}`; use e.g. `7d`, `36h`, `90m`"))?;
    if duration.is_zero() {
        bail!("duration `{text}` must be longer than zero");
    }
    Ok(duration)
}

/// `START,MINUTES,EVENT_SOURCE,EVENT_NAME,PER_MINUTE[,ERROR_CODE]`.
fn parse_burst(text: &str) -> anyhow::Result<Burst> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let (start, minutes, source, name, per_minute, error) = match parts.as_slice() {
        [start, minutes, source, name, per_minute] => {
            (start, minutes, source, name, per_minute, None)
        }
        [start, minutes, source, name, per_minute, error] => {
            (start, minutes, source, name, per_minute, Some(error))
        }
        _ => bail!(
            "invalid --burst `{text}`; use START,MINUTES,EVENT_SOURCE,EVENT_NAME,PER_MINUTE[,ERROR_CODE]"
        ),
    };
    let start = Timestamp::parse_cli_time(start)
        .with_context(|| format!("invalid start in --burst `{text}`"))?;
    let minutes: u32 = minutes
        .parse()
        .with_context(|| format!("invalid minutes in --burst `{text}`"))?;
    let per_minute: u32 = per_minute
        .parse()
        .with_context(|| format!("invalid per-minute rate in --burst `{text}`"))?;
    let burst = Burst::new(start, minutes, *source, *name, per_minute);
    Ok(match error {
        Some(code) => burst.with_error_code(*code),
        None => burst,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_and_durations_parse() {
        let burst = parse_burst(
            "2026-01-02T03:00:00Z,10,ec2.amazonaws.com,RunInstances,50,ThrottlingException",
        )
        .unwrap();
        assert_eq!((burst.minutes, burst.per_minute), (10, 50));
        assert_eq!(burst.error_code.as_deref(), Some("ThrottlingException"));
        assert!(parse_burst("2026-01-02,10,ec2").is_err());
        assert_eq!(parse_duration("7d").unwrap().as_secs(), 604_800);
        assert_eq!(parse_duration("90m").unwrap().as_secs(), 5_400);
        assert!(parse_duration("7 fortnights").is_err());
        assert!(parse_duration("0h").is_err());
    }
}
