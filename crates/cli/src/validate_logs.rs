//! `opentrail validate-logs`: `aws cloudtrail validate-logs` with the same options, output
//! and exit status (0 valid, 1 something invalid or missing, 255 aborted, with the aws CLI's
//! error text), over an S3-compatible store or local bucket directories, plus offline
//! public keys and a strict mode.
//!
//! Like the aws CLI, `--endpoint-url` reaches CloudTrail only (`DescribeTrails`,
//! `ListPublicKeys`); S3 is found through `AWS_ENDPOINT_URL_S3`/`AWS_ENDPOINT_URL` and the
//! AWS profile, Organizations through `AWS_ENDPOINT_URL_ORGANIZATIONS`/`AWS_ENDPOINT_URL`.

use std::io::{BufWriter, Write as _};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use opentrail_types::SystemClock;
use opentrail_validate::{
    AwsClient, AwsClientConfig, Error, ErrorKind, KeySource, ObjectStore, Output, Sources,
    TrailSource, ValidateOptions, parse_cli_date, run_validate_logs, write_abort,
};

use crate::Outcome;

/// `opentrail validate-logs`.
#[derive(Debug, Args)]
pub struct ValidateLogsArgs {
    /// ARN of the trail: `arn:aws:cloudtrail:<home-region>:<account>:trail/<name>`.
    #[arg(long)]
    pub trail_arn: String,
    /// Validate log files delivered on or after this time: ISO 8601 (`2026-03-02T10:00:00Z`),
    /// a date, `YYYY-MM-DD HH:MM:SS`... A zone is replaced by UTC, not converted, as the aws
    /// CLI does.
    #[arg(long)]
    pub start_time: String,
    /// Validate log files delivered on or before this time (same forms); default now.
    #[arg(long)]
    pub end_time: Option<String>,
    /// Bucket holding the digests; skips `DescribeTrails`.
    #[arg(long)]
    pub s3_bucket: Option<String>,
    /// Key prefix of the digests; used only with `--s3-bucket` (as in the aws CLI).
    #[arg(long)]
    pub s3_prefix: Option<String>,
    /// Account whose files to validate; required for organization trails; default the
    /// ARN's account.
    #[arg(long)]
    pub account_id: Option<String>,
    /// Also print the valid files.
    #[arg(long)]
    pub verbose: bool,
    /// Source region: validates the digests under `CloudTrail-Digest/<region>/` and reads
    /// public keys there; default `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's region,
    /// `us-east-1`.
    #[arg(long)]
    pub region: Option<String>,
    /// CloudTrail endpoint (for `DescribeTrails` and `ListPublicKeys` only), e.g. an
    /// OpenTrail server.
    #[arg(long)]
    pub endpoint_url: Option<String>,
    /// Offline public keys: a file holding a `ListPublicKeys` response
    /// (`{"PublicKeyList":[{"Value","ValidityStartTime","ValidityEndTime","Fingerprint"}]}`);
    /// CloudTrail is then not asked for keys.
    #[arg(long)]
    pub public_keys: Option<PathBuf>,
    /// Read buckets from local directories: bucket `b` is `DIR/b/` (OpenTrail's
    /// `<data dir>/buckets`), instead of an S3-compatible store.
    #[arg(long, value_name = "DIR")]
    pub local_buckets: Option<PathBuf>,
    /// Strict mode: also cross-check previous-digest hashes and signatures, report every
    /// missing hourly digest and log files no digest lists (each on a `STRICT:` line; any
    /// finding makes the exit status 1).
    #[arg(long)]
    pub strict: bool,
    /// Log files fetched and hashed at once; default twice the number of CPUs.
    #[arg(long)]
    pub concurrency: Option<usize>,
}

pub fn run(args: ValidateLogsArgs) -> anyhow::Result<Outcome> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("opentrail-validate")
        .build()
        .context("cannot start the async runtime")?;
    let mut stdout = BufWriter::new(std::io::stdout());
    let mut stderr = std::io::stderr();
    let code = {
        let mut output = Output {
            stdout: &mut stdout,
            stderr: &mut stderr,
        };
        runtime.block_on(validate(&args, std::env::vars().collect(), &mut output))
    };
    stdout.flush().context("cannot write to stdout")?;
    match code {
        0 => Ok(Outcome::Success),
        1 => Ok(Outcome::Problems),
        // The aws CLI's general error status; its text is already on stderr.
        other => Ok(Outcome::Exit(other)),
    }
}

/// Builds the run from the arguments and the environment, runs it, and returns the exit
/// status (an abort's text is written to `output.stderr`).
async fn validate(
    args: &ValidateLogsArgs,
    vars: Vec<(String, String)>,
    output: &mut Output<'_>,
) -> u8 {
    let prepared = prepare(args, vars);
    match prepared {
        Ok((options, sources)) => run_validate_logs(&options, &sources, output).await,
        Err(error) => {
            let _ = write_abort(&error, output.stderr);
            error.exit_code()
        }
    }
}

fn prepare(
    args: &ValidateLogsArgs,
    vars: Vec<(String, String)>,
) -> Result<(ValidateOptions, Sources), Error> {
    let start = parse_cli_date(&args.start_time)?;
    let end = args.end_time.as_deref().map(parse_cli_date).transpose()?;
    let config_error =
        |error: opentrail_blob::Error| Error::new(ErrorKind::Config, error.to_string());
    let s3_settings = opentrail_blob::S3Settings::from_env(vars.clone()).map_err(config_error)?;
    let region = match &args.region {
        Some(region) => region.clone(),
        None => s3_settings
            .region
            .clone()
            .unwrap_or_else(|| opentrail_blob::DEFAULT_REGION.to_owned()),
    };
    let clock = Arc::new(SystemClock);
    let client = AwsClient::new(
        AwsClientConfig::from_env(vars, args.endpoint_url.as_deref(), &region)?,
        clock.clone(),
    )?;
    let keys = match &args.public_keys {
        Some(path) => KeySource::from_file(path)?,
        None => KeySource::Api(client.clone()),
    };
    let objects = match &args.local_buckets {
        Some(root) => ObjectStore::local(root),
        None => ObjectStore::s3(s3_settings),
    };
    let mut options = ValidateOptions::new(args.trail_arn.clone(), start);
    options.end = end;
    options.s3_bucket.clone_from(&args.s3_bucket);
    options.s3_prefix.clone_from(&args.s3_prefix);
    options.account_id.clone_from(&args.account_id);
    options.verbose = args.verbose;
    options.source_region = Some(region);
    options.strict = args.strict;
    options.concurrency = args.concurrency.unwrap_or(0);
    let sources = Sources {
        trails: TrailSource::Api(client),
        keys,
        objects,
        clock,
    };
    Ok((options, sources))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    /// A public key from the aws CLI's unit tests (`VALID_TEST_KEY`), as an offline key file.
    const KEYS: &str = r#"{"PublicKeyList":[{"Value":"MIIBCgKCAQEAn11L2YZ9h7onug2ILi1MWyHiMRsTQjfWE+pHVRLk1QjfWhirG+lpOa8NrwQ/r7Ah5bNL6HepznOU9XTDSfmmnP97mqyc7z/upfZdS/AHhYcGaz7n6Wc/RRBU6VmiPCrAUojuSk6/GjvA8iOPFsYDuBtviXarvuLPlrT9kAd4Lb+rFfR5peEgBEkhlzc5HuWO7S0y+KunqxX6jQBnXGMtxmPBPP0FylgWGNdFtks/4YSKcgqwH0YDcawP9GGGDAeCIqPWIXDLG1jOjRRzWfCmD0iJUkz8vTsn4hq/5ZxRFE7UBAUiVcGbdnDdvVfhF9C3dQiDq3k7adQIziLT0cShgQIDAQAB","Fingerprint":"8eba5db5bea9b640d1c96a77256fe7f2"}]}"#;

    fn parse(arguments: &[&str]) -> ValidateLogsArgs {
        let mut all = vec!["opentrail", "validate-logs"];
        all.extend_from_slice(arguments);
        match Cli::try_parse_from(all).unwrap().command {
            Command::ValidateLogs(args) => args,
            other => panic!("parsed as {other:?}"),
        }
    }

    fn run_in(args: &ValidateLogsArgs) -> (u8, String, String) {
        let vars = vec![("HOME".to_owned(), "/nonexistent-home".to_owned())];
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let code = {
            let mut output = Output {
                stdout: &mut stdout,
                stderr: &mut stderr,
            };
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(validate(args, vars, &mut output))
        };
        (
            code,
            String::from_utf8(stdout).unwrap(),
            String::from_utf8(stderr).unwrap(),
        )
    }

    #[test]
    fn options_are_the_aws_clis() {
        let args = parse(&[
            "--trail-arn",
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/main",
            "--start-time",
            "2026-03-02",
            "--end-time",
            "2026-03-03 10:00:00",
            "--s3-bucket",
            "audit",
            "--s3-prefix",
            "p",
            "--account-id",
            "444455556666",
            "--verbose",
            "--region",
            "eu-west-1",
            "--endpoint-url",
            "http://localhost:4571",
            "--public-keys",
            "keys.json",
            "--local-buckets",
            "data/buckets",
            "--strict",
            "--concurrency",
            "8",
        ]);
        assert_eq!(args.s3_prefix.as_deref(), Some("p"));
        assert!(args.verbose && args.strict);
        assert_eq!(args.concurrency, Some(8));
        assert!(
            Cli::try_parse_from(["opentrail", "validate-logs", "--start-time", "2026-03-02"])
                .is_err()
        );
    }

    #[test]
    fn an_empty_local_bucket_has_no_digests() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("audit")).unwrap();
        let keys = dir.path().join("keys.json");
        std::fs::write(&keys, KEYS).unwrap();
        let args = parse(&[
            "--trail-arn",
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/main",
            "--start-time",
            "2026-03-02T00:00:00+02:00",
            "--end-time",
            "2026-03-03",
            "--s3-bucket",
            "audit",
            "--public-keys",
            keys.to_str().unwrap(),
            "--local-buckets",
            dir.path().to_str().unwrap(),
        ]);
        let (code, stdout, stderr) = run_in(&args);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(
            stdout,
            "Validating log files for trail arn:aws:cloudtrail:us-east-1:111122223333:trail/main between 2026-03-02T00:00:00Z and 2026-03-03T00:00:00Z\n\n\
             Results requested for 2026-03-02T00:00:00Z to 2026-03-03T00:00:00Z\nNo digests found\n"
        );
        assert_eq!(stderr, "");
    }

    #[test]
    fn bad_times_abort_with_the_aws_cli_text() {
        let args = parse(&[
            "--trail-arn",
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/main",
            "--start-time",
            "soon",
        ]);
        let (code, stdout, stderr) = run_in(&args);
        assert_eq!((code, stdout.as_str()), (255, ""));
        assert_eq!(stderr, "\nUnable to parse date value: soon\n");
    }
}
