//! Generates synthetic CloudTrail logs and reports the throughput.
//!
//! ```text
//! cargo run --release -p opentrail-generate --example generate -- <out-dir> [events] [threads] [gzip-level] [data-fraction]
//! ```
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an example reports what it measured"
)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use opentrail_generate::{Burst, GenerateConfig, generate};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out_dir) = args.first().map(PathBuf::from) else {
        eprintln!("usage: generate <out-dir> [events] [threads] [gzip-level] [data-fraction]");
        return ExitCode::from(2);
    };
    let number = |index: usize, default: u64| -> u64 {
        args.get(index)
            .and_then(|text| text.parse().ok())
            .unwrap_or(default)
    };
    let defaults = GenerateConfig::default();
    let config = GenerateConfig {
        seed: 1,
        events: number(1, 1_000_000),
        threads: number(2, 0) as usize,
        gzip_level: number(3, u64::from(defaults.gzip_level)) as u32,
        data_event_fraction: args
            .get(4)
            .and_then(|text| text.parse().ok())
            .unwrap_or(0.2),
        bursts: vec![
            Burst::new(
                defaults.start.saturating_add_millis(14 * 3_600_000),
                20,
                "ec2.amazonaws.com",
                "RunInstances",
                300,
            ),
            Burst::new(
                defaults.start.saturating_add_millis(9 * 3_600_000),
                15,
                "s3.amazonaws.com",
                "GetBucketAcl",
                200,
            )
            .with_error_code("AccessDenied")
            .in_region("eu-west-1"),
        ],
        ..defaults
    };
    let started = Instant::now();
    let summary = match generate(&config, &out_dir, |_| {}) {
        Ok(summary) => summary,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} events in {} files, {:.1} MB JSON -> {:.1} MB gzip ({:.1}x), {:.2} s, {:.0} events/s, {:.0} MB/s JSON",
        summary.events,
        summary.files,
        summary.bytes_uncompressed as f64 / 1e6,
        summary.bytes_compressed as f64 / 1e6,
        summary.bytes_uncompressed as f64 / summary.bytes_compressed.max(1) as f64,
        seconds,
        summary.events as f64 / seconds,
        summary.bytes_uncompressed as f64 / 1e6 / seconds,
    );
    for burst in &summary.bursts {
        println!(
            "burst {} {} {} {} {:?}: {} events from {:?}",
            burst.account_id,
            burst.region,
            burst.event_source,
            burst.event_name,
            burst.error_code,
            burst.events,
            burst
                .first_minute()
                .map(|minute| minute.format_event_time())
        );
    }
    ExitCode::SUCCESS
}
