//! `make-trail`: writes a complete, valid trail into a local bucket directory exactly as
//! OpenTrail's delivery would, for the `validate-logs` benchmark (`bench/validate.sh`).
//!
//! What `DIR` holds afterwards:
//!
//! - `buckets/<bucket>/`: a local bucket directory (spec §1.9). Log files in CloudTrail's
//!   key layout (`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/…json.gz`),
//!   `--files-per-hour` per hour (12 unless told: one per 5-minute slot; a realistic busy
//!   trail has many per slot, from several delivery hosts, see [`logs::Schedule`]), one
//!   gzip member each, realistic records (templates made by `opentrail-generate` with
//!   fresh `eventID`s and `eventTime`s), sized so their gzipped total reaches `--bytes`.
//!   One digest per hour (`CloudTrail-Digest/…`), chained from a starting digest, signed
//!   with a freshly generated RSA-2048 key; each signature in the digest's
//!   `<key>.meta.json` sidecar. Digest `k` covers `start + k h + 30 s` to
//!   `start + (k + 1) h + 30 s` and lists the files delivered in it.
//! - `public-keys.json`: the signing key in `ListPublicKeys` response form,
//!   `{"PublicKeyList":[{"Value","ValidityStartTime","ValidityEndTime","Fingerprint"}]}`.
//! - `trail.json`: what validators need: `Trail` (the trail in `DescribeTrails` form),
//!   `StartTime` and `EndTime` (ISO, the range to validate), and the counts (`LogFiles`,
//!   `LogFileBytes` gzipped, `LogFileJsonBytes`, `Records`, `DigestFiles`).
//!
//! The same seed and options give the same records, IDs, times and keys of log files, so
//! the same log files byte for byte; only the signing key (hence the signatures) is new on
//! every run.

mod logs;

pub use logs::DEFAULT_FILES_PER_HOUR;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use bytes::Bytes;
use opentrail_blob::{Bucket, PutOptions};
use opentrail_digest::{DigestFile, DigestKey, PreviousDigest, Signer, sign_digest};
use opentrail_generate::GenerateConfig;
use opentrail_types::Timestamp;
use serde_json::json;

use crate::records::{RecordTemplate, generated_records, recipient_account, templates};

/// Events generated to take record templates from.
const TEMPLATE_EVENTS: u64 = 20_000;
/// How far past the hour each digest window ends (validation "enabled" at `start + 30 s`).
const DIGEST_OFFSET_MS: i64 = 30_000;
const HOUR_MS: i64 = 3_600_000;
/// The gzipped total aims this much above `--bytes`, so estimation noise cannot fall short.
const SIZE_MARGIN: f64 = 1.02;
/// Validity of the signing key (AWS rotates every 30 days).
const KEY_VALIDITY_MS: i64 = 30 * 24 * HOUR_MS;

/// Flags of `make-trail`.
#[derive(Debug)]
pub struct Args {
    /// Output folder, emptied first.
    pub out: PathBuf,
    /// Hours of the trail: one digest each.
    pub hours: u32,
    /// Log files delivered per hour (at least 1).
    pub files_per_hour: usize,
    /// Gzipped log data to reach, in bytes.
    pub bytes: u64,
    /// Seed of every random choice.
    pub seed: u64,
    /// Bucket name.
    pub bucket: String,
    /// 12-digit account.
    pub account: String,
    /// Home and source region.
    pub region: String,
    /// Trail name.
    pub trail: String,
    /// Start of the trail's period (whole seconds).
    pub start: Timestamp,
    /// Worker threads; 0 means one per CPU.
    pub threads: usize,
}

/// Parses a size: digits with an optional binary suffix `K`, `M`, `G`, `T` (powers of
/// 1,024; `KB`, `KiB` and lowercase are the same).
pub fn parse_size(text: &str) -> anyhow::Result<u64> {
    let trimmed = text.trim();
    let digits = trimmed
        .find(|character: char| !character.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let number: u64 = trimmed[..digits]
        .parse()
        .with_context(|| format!("invalid size `{text}`"))?;
    let unit = trimmed[digits..].to_ascii_lowercase();
    let shift = match unit.trim_end_matches('b').trim_end_matches('i') {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        _ => anyhow::bail!("invalid size `{text}`: the unit must be K, M, G or T"),
    };
    number
        .checked_mul(1 << shift)
        .with_context(|| format!("size `{text}` is too large"))
}

/// Runs `make-trail`.
pub fn run(args: &Args) -> anyhow::Result<()> {
    anyhow::ensure!(args.hours >= 1, "`--hours` must be at least 1");
    anyhow::ensure!(args.bytes >= 1, "`--bytes` must be at least 1");
    anyhow::ensure!(
        args.files_per_hour >= 1,
        "`--files-per-hour` must be at least 1"
    );
    anyhow::ensure!(
        args.account.len() == 12 && args.account.bytes().all(|byte| byte.is_ascii_digit()),
        "`--account` must be 12 digits, not `{}`",
        args.account
    );
    let started = Instant::now();
    crate::fresh_dir(&args.out)?;
    let bucket_dir = args.out.join("buckets").join(&args.bucket);
    std::fs::create_dir_all(&bucket_dir)
        .with_context(|| format!("cannot create `{}`", bucket_dir.display()))?;
    let templates = trail_templates(args)?;
    let bytes_per_record = logs::gzipped_bytes_per_record(args.seed, args.start, &templates);
    let files = args.hours as usize * args.files_per_hour;
    let schedule = logs::Schedule {
        start: args.start,
        files_per_hour: args.files_per_hour,
    };
    let total_records = (args.bytes as f64 * SIZE_MARGIN / bytes_per_record).ceil() as u64;
    let plan = logs::Plan {
        seed: args.seed,
        account: args.account.clone(),
        region: args.region.clone(),
        bucket: args.bucket.clone(),
        schedule,
        records_per_file: logs::records_per_file(args.seed, &schedule, files, total_records),
    };
    println!(
        "make-trail: {} record templates, {bytes_per_record:.0} gzipped bytes per record: {files} log files, {total_records} records",
        templates.len()
    );

    let runtime = crate::serve::runtime()?;
    let bucket = Bucket::local(&args.bucket, bucket_dir);
    let threads = match args.threads {
        0 => std::thread::available_parallelism().map_or(2, usize::from),
        threads => threads,
    };
    let tenth = (files / 10).max(1);
    let progress = |done: usize| {
        if done.is_multiple_of(tenth) {
            println!(
                "  {done}/{files} log files ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
    };
    let written = logs::write_all(
        &plan,
        &templates,
        &bucket,
        runtime.handle(),
        threads,
        &progress,
    )?;
    let gzipped: u64 = written.iter().map(|file| file.gzipped_bytes).sum();
    let json_bytes: u64 = written.iter().map(|file| file.json_bytes).sum();
    let records: usize = written.iter().map(|file| file.records).sum();
    anyhow::ensure!(
        gzipped >= args.bytes,
        "the log files hold {gzipped} gzipped bytes, short of `--bytes` {}: the size estimate was off",
        args.bytes
    );

    let signer = Signer::generate().context("cannot generate a signing key")?;
    let end = write_digests(args, &signer, &written, &bucket, &runtime)?;
    write_public_keys(&args.out, &signer, args.start, end)?;
    let trail_arn = format!(
        "arn:aws:cloudtrail:{}:{}:trail/{}",
        args.region, args.account, args.trail
    );
    let summary = json!({
        "Trail": {
            "Name": args.trail,
            "S3BucketName": args.bucket,
            "IncludeGlobalServiceEvents": true,
            "IsMultiRegionTrail": false,
            "HomeRegion": args.region,
            "TrailARN": trail_arn,
            "LogFileValidationEnabled": true,
            "HasCustomEventSelectors": false,
            "HasInsightSelectors": false,
            "IsOrganizationTrail": false,
        },
        "AccountId": args.account,
        "Region": args.region,
        "StartTime": args.start.format_event_time(),
        "EndTime": args.start.saturating_add_millis(i64::from(args.hours) * HOUR_MS).format_event_time(),
        "LogFiles": written.len(),
        "LogFileBytes": gzipped,
        "LogFileJsonBytes": json_bytes,
        "Records": records,
        "DigestFiles": args.hours,
        "Fingerprint": signer.fingerprint(),
        "Seed": args.seed,
    });
    write_json(&args.out.join("trail.json"), &summary)?;
    println!(
        "make-trail: {} log files ({:.2} GB gzipped, {:.2} GB of JSON, {records} records) and {} signed digests in {:.0} s into `{}`",
        written.len(),
        gzipped as f64 / 1e9,
        json_bytes as f64 / 1e9,
        args.hours,
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
    Ok(())
}

/// Record templates of one account and region: generated for the trail's period, the
/// generator's account ID replaced by `--account` everywhere (ARNs included).
fn trail_templates(args: &Args) -> anyhow::Result<Vec<RecordTemplate>> {
    let config = GenerateConfig {
        seed: args.seed,
        events: TEMPLATE_EVENTS,
        start: args.start,
        end: args
            .start
            .saturating_add_millis(i64::from(args.hours) * HOUR_MS),
        accounts: 1,
        regions: vec![args.region.clone()],
        ..GenerateConfig::default()
    };
    let records = generated_records(&args.out.join("templates"), &config)?;
    let generated_account = records
        .iter()
        .find_map(|record| recipient_account(record))
        .context("the generated records have no `recipientAccountId`")?;
    let records: Vec<String> = records
        .iter()
        .map(|record| record.replace(&generated_account, &args.account))
        .collect();
    let templates = templates(&records);
    anyhow::ensure!(
        !templates.is_empty(),
        "no generated record has a UUID `eventID` and a plain `eventTime`"
    );
    Ok(templates)
}

/// Signs and stores one digest per hour, chained; returns the last digest's end.
fn write_digests(
    args: &Args,
    signer: &Signer,
    written: &[logs::Written],
    bucket: &Bucket,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<Timestamp> {
    let mut previous: Option<PreviousDigest> = None;
    let mut end = args.start;
    for (hour, files) in written.chunks(args.files_per_hour).enumerate() {
        let start = args
            .start
            .saturating_add_millis(hour as i64 * HOUR_MS + DIGEST_OFFSET_MS);
        end = start.saturating_add_millis(HOUR_MS);
        let key = DigestKey {
            prefix: None,
            org_id: None,
            account_id: args.account.clone(),
            source_region: args.region.clone(),
            trail_name: args.trail.clone(),
            home_region: args.region.clone(),
            end,
            backfill: false,
        }
        .object_key();
        let log_files: Vec<_> = files.iter().map(|file| file.entry.clone()).collect();
        let (newest_event_time, oldest_event_time) = DigestFile::event_time_bounds(&log_files);
        let digest = DigestFile {
            aws_account_id: args.account.clone(),
            digest_start_time: start,
            digest_end_time: end,
            digest_s3_bucket: args.bucket.clone(),
            digest_s3_object: key.clone(),
            digest_public_key_fingerprint: signer.fingerprint().to_owned(),
            newest_event_time,
            oldest_event_time,
            previous: previous.take(),
            log_files,
        };
        let signed =
            sign_digest(&digest, signer, None).with_context(|| format!("cannot sign `{key}`"))?;
        let options = PutOptions {
            metadata: signed.metadata.clone(),
            ..PutOptions::default()
        };
        runtime
            .block_on(bucket.put(&key, Bytes::from(signed.gzipped.clone()), &options))
            .with_context(|| format!("cannot store `{key}`"))?;
        previous = Some(signed.as_previous(&args.bucket));
    }
    Ok(end)
}

/// Writes `public-keys.json`: the key, valid from `start` for 30 days (or until two hours
/// past `end`, when later).
fn write_public_keys(
    out: &Path,
    signer: &Signer,
    start: Timestamp,
    end: Timestamp,
) -> anyhow::Result<()> {
    let validity_end = start
        .saturating_add_millis(KEY_VALIDITY_MS)
        .max(end.saturating_add_millis(2 * HOUR_MS));
    let keys = json!({
        "PublicKeyList": [{
            "Value": signer.public_key_base64(),
            "ValidityStartTime": start.as_secs(),
            "ValidityEndTime": validity_end.as_secs(),
            "Fingerprint": signer.fingerprint(),
        }]
    });
    write_json(&out.join("public-keys.json"), &keys)
}

fn write_json(path: &Path, value: &serde_json::Value) -> anyhow::Result<()> {
    let mut text = serde_json::to_vec_pretty(value)?;
    text.push(b'\n');
    std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display()))
}

#[cfg(test)]
mod tests;
