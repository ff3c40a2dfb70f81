//! The log files of `make-trail`: how many records each holds, what they look like, and
//! writing them on worker threads.
//!
//! Delivery follows CloudTrail's cadence: every hour has twelve 5-minute slots, and each
//! slot's files are delivered in the minute before the slot ends, as if by that many
//! delivery hosts ([`Schedule`]). With the default 12 files an hour, file `i` (from 0) is
//! delivered at `start + 5 min × (i + 1)`; with 600, each slot gets 50 files, 1.2 s apart.
//! The hour's digest (which ends 30 s past the hour) lists the hour's files. A file's
//! records carry `eventTime`s spread over the 5 minutes before `delivered − 2 min`, sorted,
//! and fresh `eventID`s. Everything random comes from a stream seeded by the seed and the
//! file's index, so the files are the same whatever the thread count.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::Context;
use bytes::Bytes;
use opentrail_archive::layout::{FileKind, LogFileKey};
use opentrail_blob::{Bucket, PutOptions};
use opentrail_digest::{LogFileEntry, sha256_hex};
use opentrail_types::Timestamp;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::records::{RecordTemplate, random_alphanumeric, random_uuid};

/// Log files per hour unless told: one per 5-minute delivery slot.
pub const DEFAULT_FILES_PER_HOUR: usize = 12;
/// A delivery slot: CloudTrail delivers about every 5 minutes (spec §1.3); a file's
/// records span the 5 minutes before it.
const SLOT_MS: i64 = 300_000;
const SLOTS_PER_HOUR: usize = 12;
const HOUR_MS: i64 = 3_600_000;
/// The files of one slot are delivered within this long before the slot ends.
const SLOT_DELIVERY_SPREAD_MS: i64 = 60_000;
/// How long before its delivery the newest record of a file happened.
const DELIVERY_LAG_MS: i64 = 120_000;
/// Records of the calibration file, which measures gzipped bytes per record.
const CALIBRATION_RECORDS: usize = 10_000;
/// Stream tags, so the streams of files, weights and calibration differ.
const FILE_STREAM: u64 = 0x004c_4f47_4649_4c45;
const WEIGHT_STREAM: u64 = 0x5745_4947_4854;
const CALIBRATION_STREAM: u64 = 0x4341_4c49_4252;

/// When each log file is delivered.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    /// Start of the trail's period; the first slot ends 5 minutes later.
    pub start: Timestamp,
    /// Log files per hour (at least 1): spread evenly over the hour's twelve slots (or over
    /// as many slots as files, when fewer than 12).
    pub files_per_hour: usize,
}

impl Schedule {
    /// Delivery time of file `index`: in its hour, file `j` goes to slot
    /// `⌊j × slots / files_per_hour⌋`; the `k` files of a slot are delivered
    /// `60 s / k` apart, the last one as the slot ends.
    pub fn delivered(&self, index: usize) -> Timestamp {
        let per_hour = self.files_per_hour.max(1);
        let slots = per_hour.min(SLOTS_PER_HOUR);
        let (hour, in_hour) = (index / per_hour, index % per_hour);
        let slot = in_hour * slots / per_hour;
        // The first file of slot `s` is the smallest `j` with `j × slots ≥ s × per_hour`.
        let first_of = |slot: usize| (slot * per_hour).div_ceil(slots);
        let in_slot = first_of(slot + 1) - first_of(slot);
        let after_this = (first_of(slot + 1) - 1 - in_hour) as i64;
        let slot_end = hour as i64 * HOUR_MS + (slot as i64 + 1) * HOUR_MS / slots as i64;
        let spacing = SLOT_DELIVERY_SPREAD_MS / in_slot as i64;
        self.start
            .saturating_add_millis(slot_end - after_this * spacing)
    }
}

/// What every log file shares.
#[derive(Debug)]
pub struct Plan {
    /// Seed of every random choice.
    pub seed: u64,
    /// Account of every file and record.
    pub account: String,
    /// Source (and home) region.
    pub region: String,
    /// Bucket name, recorded in the digest entries.
    pub bucket: String,
    /// When each file is delivered.
    pub schedule: Schedule,
    /// Records of each file, in delivery order.
    pub records_per_file: Vec<usize>,
}

/// Returns the records of each of `files` files: `total` spread with more in the working
/// hours (08:00 to 20:00 UTC count double) and ±10 % noise per file, each at least 1.
pub fn records_per_file(seed: u64, schedule: &Schedule, files: usize, total: u64) -> Vec<usize> {
    let mut rng = StdRng::seed_from_u64(seed ^ WEIGHT_STREAM);
    let weights: Vec<f64> = (0..files)
        .map(|index| {
            let delivered = schedule.delivered(index);
            let hour = delivered.as_secs().rem_euclid(86_400) / 3_600;
            let base = if (8..20).contains(&hour) { 1.5 } else { 0.75 };
            base * rng.random_range(0.9..1.1)
        })
        .collect();
    let sum: f64 = weights.iter().sum();
    weights
        .iter()
        .map(|weight| ((total as f64 * weight / sum).round() as usize).max(1))
        .collect()
}

/// Measures the gzipped size of one record, on average, by compressing a sample file.
pub fn gzipped_bytes_per_record(seed: u64, start: Timestamp, templates: &[RecordTemplate]) -> f64 {
    let mut rng = StdRng::seed_from_u64(seed ^ CALIBRATION_STREAM);
    let json = log_file_json(&mut rng, templates, CALIBRATION_RECORDS, start).json;
    opentrail_digest::gzip::gzip(&json).len() as f64 / CALIBRATION_RECORDS as f64
}

/// A log file's content before compression.
struct LogFileJson {
    json: Vec<u8>,
    oldest: Timestamp,
    newest: Timestamp,
}

/// Builds `{"Records":[…]}` of `count` records whose times lie in the 5 minutes before
/// `newest_bound`, sorted.
fn log_file_json(
    rng: &mut StdRng,
    templates: &[RecordTemplate],
    count: usize,
    newest_bound: Timestamp,
) -> LogFileJson {
    let window_start = newest_bound.saturating_add_millis(-SLOT_MS);
    let mut offsets: Vec<i64> = (0..count).map(|_| rng.random_range(0..SLOT_MS)).collect();
    offsets.sort_unstable();
    let picks: Vec<usize> = (0..count)
        .map(|_| rng.random_range(0..templates.len()))
        .collect();
    let bytes: usize = picks.iter().map(|pick| templates[*pick].len() + 1).sum();
    let mut json = Vec::with_capacity(bytes + 16);
    json.extend_from_slice(b"{\"Records\":[");
    // Times are written to the second; one text per second is enough.
    let mut current_second = i64::MIN;
    let mut time_text = [0u8; 20];
    for (index, (offset, pick)) in offsets.iter().zip(&picks).enumerate() {
        let second = window_start.saturating_add_millis(*offset).as_secs();
        if second != current_second {
            current_second = second;
            let text = Timestamp::from_secs(second).format_event_time();
            time_text.copy_from_slice(&text.as_bytes()[..20]);
        }
        if index > 0 {
            json.push(b',');
        }
        templates[*pick].write(&mut json, &random_uuid(rng), &time_text);
    }
    json.extend_from_slice(b"]}");
    let second_of = |offset: Option<&i64>| {
        Timestamp::from_secs(
            window_start
                .saturating_add_millis(offset.copied().unwrap_or(0))
                .as_secs(),
        )
    };
    LogFileJson {
        json,
        oldest: second_of(offsets.first()),
        newest: second_of(offsets.last()),
    }
}

/// One log file written.
#[derive(Debug, Clone)]
pub struct Written {
    /// Its digest entry.
    pub entry: LogFileEntry,
    /// Records in it.
    pub records: usize,
    /// Stored (gzipped) size.
    pub gzipped_bytes: u64,
    /// Inflated size.
    pub json_bytes: u64,
}

/// Builds, compresses and stores file `index`.
fn write_log_file(
    plan: &Plan,
    templates: &[RecordTemplate],
    bucket: &Bucket,
    runtime: &tokio::runtime::Handle,
    index: usize,
) -> anyhow::Result<Written> {
    let mut rng = StdRng::seed_from_u64(plan.seed ^ FILE_STREAM ^ ((index as u64) << 20));
    let delivered = plan.schedule.delivered(index);
    let key = LogFileKey {
        prefix: None,
        org_id: None,
        account_id: plan.account.clone(),
        kind: FileKind::CloudTrail,
        region: plan.region.clone(),
        delivered,
        unique: random_alphanumeric(&mut rng, 16),
    }
    .object_key();
    let count = plan.records_per_file[index];
    let content = log_file_json(
        &mut rng,
        templates,
        count,
        delivered.saturating_add_millis(-DELIVERY_LAG_MS),
    );
    let hash_value = sha256_hex(&content.json);
    let gzipped = opentrail_digest::gzip::gzip(&content.json);
    let gzipped_bytes = gzipped.len() as u64;
    runtime
        .block_on(bucket.put(&key, Bytes::from(gzipped), &PutOptions::default()))
        .with_context(|| format!("cannot store `{key}`"))?;
    Ok(Written {
        entry: LogFileEntry {
            s3_bucket: plan.bucket.clone(),
            s3_object: key,
            hash_value,
            newest_event_time: content.newest,
            oldest_event_time: content.oldest,
        },
        records: count,
        gzipped_bytes,
        json_bytes: content.json.len() as u64,
    })
}

/// Writes every file of `plan` on `threads` threads and returns them in delivery order.
/// `progress` is called with the number of files written so far.
pub fn write_all(
    plan: &Plan,
    templates: &[RecordTemplate],
    bucket: &Bucket,
    runtime: &tokio::runtime::Handle,
    threads: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> anyhow::Result<Vec<Written>> {
    let files = plan.records_per_file.len();
    let slots: Vec<Mutex<Option<Written>>> = (0..files).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let first_error: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, files.max(1)) {
            scope.spawn(|| {
                while !failed.load(Ordering::Relaxed) {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= files {
                        break;
                    }
                    match write_log_file(plan, templates, bucket, runtime, index) {
                        Ok(written) => {
                            *lock(&slots[index]) = Some(written);
                            progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                        }
                        Err(error) => {
                            failed.store(true, Ordering::Relaxed);
                            lock(&first_error).get_or_insert(error);
                        }
                    }
                }
            });
        }
    });
    if let Some(error) = lock(&first_error).take() {
        return Err(error);
    }
    let mut written = Vec::with_capacity(files);
    for (index, slot) in slots.into_iter().enumerate() {
        let file = slot
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .with_context(|| format!("log file {index} was not written (a bug)"))?;
        written.push(file);
    }
    Ok(written)
}

/// Locks `mutex`, ignoring poisoning: a panicking worker stops the whole run anyway.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: i64 = 1_772_409_600; // 2026-03-02T00:00:00Z

    fn templates() -> Vec<RecordTemplate> {
        [
            r#"{"eventVersion":"1.11","eventTime":"2026-03-02T09:58:12Z","eventSource":"iam.amazonaws.com","eventName":"ListUsers","eventID":"0b5a8f0e-1c2d-4e3f-9a8b-7c6d5e4f3a2b","recipientAccountId":"111122223333"}"#,
            r#"{"eventVersion":"1.11","eventTime":"2026-03-02T09:58:13Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","eventID":"1b5a8f0e-1c2d-4e3f-9a8b-7c6d5e4f3a2b","recipientAccountId":"111122223333"}"#,
        ]
        .iter()
        .map(|record| RecordTemplate::parse(record).unwrap())
        .collect()
    }

    #[test]
    fn records_are_spread_with_more_in_working_hours() {
        let schedule = Schedule {
            start: Timestamp::from_secs(START),
            files_per_hour: DEFAULT_FILES_PER_HOUR,
        };
        let counts = records_per_file(1, &schedule, 24 * DEFAULT_FILES_PER_HOUR, 288_000);
        assert_eq!(counts.len(), 288);
        let total: usize = counts.iter().sum();
        assert!((287_000..=289_000).contains(&total), "{total}");
        // File 9 × 12 + 5 is delivered at 09:30, file 5 at 00:30.
        assert!(counts[9 * 12 + 5] > counts[5] * 3 / 2, "{counts:?}");
        assert_eq!(counts, records_per_file(1, &schedule, 288, 288_000));
    }

    #[test]
    fn twelve_files_an_hour_are_delivered_every_five_minutes() {
        let schedule = Schedule {
            start: Timestamp::from_secs(START),
            files_per_hour: 12,
        };
        for index in 0..48 {
            assert_eq!(
                schedule.delivered(index),
                Timestamp::from_secs(START + 300 * (index as i64 + 1)),
                "{index}"
            );
        }
    }

    #[test]
    fn many_files_an_hour_share_the_five_minute_slots() {
        for per_hour in [1, 5, 13, 50, 600, 1000] {
            let schedule = Schedule {
                start: Timestamp::from_secs(START),
                files_per_hour: per_hour,
            };
            let times: Vec<i64> = (0..3 * per_hour)
                .map(|index| schedule.delivered(index).as_millis() - START * 1000)
                .collect();
            assert!(times.windows(2).all(|pair| pair[0] < pair[1]), "{per_hour}");
            let slots = per_hour.min(12);
            for hour in 0..3 {
                let hour_files = &times[hour * per_hour..(hour + 1) * per_hour];
                // Inside the hour's digest window, which ends 30 s past the hour.
                let hour_ms = hour as i64 * 3_600_000;
                assert!(
                    hour_files.iter().all(|time| *time > hour_ms + 30_000),
                    "{per_hour}"
                );
                assert_eq!(
                    *hour_files.last().unwrap(),
                    hour_ms + 3_600_000,
                    "{per_hour}"
                );
                // Each slot ends with a delivery and holds within one file of the others.
                let mut counts = vec![0_usize; slots];
                for time in hour_files {
                    let slot_ms = 3_600_000 / slots as i64;
                    let slot = ((time - hour_ms - 1) / slot_ms) as usize;
                    assert!((time - hour_ms) > (slot as i64 + 1) * slot_ms - 60_000);
                    counts[slot] += 1;
                }
                let (least, most) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
                assert!(most - least <= 1, "{per_hour}: {counts:?}");
            }
        }
    }

    #[test]
    fn log_file_json_is_sorted_and_bounded_in_time() {
        let mut rng = StdRng::seed_from_u64(5);
        let bound = Timestamp::from_secs(START + 600);
        let content = log_file_json(&mut rng, &templates(), 500, bound);
        #[derive(serde::Deserialize)]
        struct File {
            #[serde(rename = "Records")]
            records: Vec<serde_json::Value>,
        }
        let file: File = serde_json::from_slice(&content.json).unwrap();
        assert_eq!(file.records.len(), 500);
        let times: Vec<Timestamp> = file
            .records
            .iter()
            .map(|record| {
                Timestamp::parse_event_time(record["eventTime"].as_str().unwrap()).unwrap()
            })
            .collect();
        assert!(times.windows(2).all(|pair| pair[0] <= pair[1]));
        assert_eq!(times.first().copied(), Some(content.oldest));
        assert_eq!(times.last().copied(), Some(content.newest));
        assert!(content.oldest.as_secs() >= START + 300);
        assert!(content.newest.as_secs() < START + 600);
        let ids: std::collections::HashSet<&str> = file
            .records
            .iter()
            .map(|record| record["eventID"].as_str().unwrap())
            .collect();
        assert_eq!(ids.len(), 500);
    }
}
