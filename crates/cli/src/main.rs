//! `opentrail`: the command-line entry point. Only glue: every command calls library crates.
//!
//! Exit codes: 0 success; 1 the command ran but found a problem (an import with failed
//! files or rejected records, a query that timed out, an invalid or missing file for
//! `validate-logs`); 2 an error stopped it (for `query`: a refused statement, a query
//! that ended `FAILED` or `CANCELLED`). `validate-logs` uses the aws CLI's codes instead
//! of 2 (255 for an abort).

mod aws_output;
mod cli;
mod engine;
mod generate;
mod import;
mod insights;
mod lookup_events;
mod query;
mod serve;
mod validate_logs;

use std::process::ExitCode;

use clap::Parser;

// mimalloc is markedly faster on the allocation-heavy JSON paths (spec/dependencies.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How a command ended, when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// All went well.
    Success,
    /// It ran to the end but found problems (exit code 1).
    Problems,
    /// It ended with this exit code, its message already written (the aws CLI's codes).
    Exit(u8),
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_logging(&cli.log_level);
    match run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Ok(Outcome::Exit(code)) => ExitCode::from(code),
        Err(error) => {
            report_error(&error);
            ExitCode::from(2)
        }
    }
}

fn run(cli: cli::Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        cli::Command::Serve(args) => serve::run(args),
        cli::Command::Import(args) => import::run(args),
        cli::Command::LookupEvents(args) => lookup_events::run(args),
        cli::Command::Query(args) => query::run(args),
        cli::Command::Generate(args) => generate::run(args),
        cli::Command::ValidateLogs(args) => validate_logs::run(args),
        cli::Command::Insights(command) => insights::run(command),
    }
}

#[expect(
    clippy::print_stderr,
    reason = "the binary reports its fatal error on stderr"
)]
fn report_error(error: &anyhow::Error) {
    // The aws CLI's wording for the errors it also reports, so scripts that parse it
    // keep working.
    if let Some(service) = error.downcast_ref::<lookup_events::ServiceError>() {
        eprintln!("\n{service}");
    } else if let Some(paging) = error.downcast_ref::<lookup_events::PaginationError>() {
        eprintln!("\n{paging}");
    } else {
        eprintln!("opentrail: error: {error:#}");
    }
}

fn init_logging(level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("OPENTRAIL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
