//! The driver: splits the period into 5-minute delivery windows, generates each window
//! on a worker thread from its own seeded stream, and writes its gzipped log files.
//!
//! A window depends only on the plan and its own index, so the output is the same for
//! any number of threads.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use flate2::Compression;
use flate2::write::GzEncoder;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use opentrail_archive::layout::{FileKind, LogFileKey};
use opentrail_types::{IdGenerator, SeededIds, Timestamp};

use crate::plan::{Plan, minute_overlap};
use crate::random::{below, mix3, uniform};
use crate::rate::{MINUTE_MS, WINDOW_MS, apportion};
use crate::record::{Call, RecordWriter};
use crate::summary::{Progress, Summary};
use crate::{Error, Result};

/// Largest uncompressed log file; CloudTrail's limit is 50 MB.
const MAX_FILE_BYTES: usize = 48 * 1024 * 1024;
/// Stream tags, so the window streams differ from every other use of the seed.
const WINDOW_STREAM: u64 = 0x5749_4E44_4F57;
const FILE_NAME_STREAM: u64 = 0x4649_4C45;

/// One call placed in a window, before its record is written.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// `group << 32 | offset_ms`: sorting by it groups by (account, region), then time.
    key: u64,
    principal: u32,
    op: u16,
    /// Burst index + 1, or 0 for background traffic.
    burst: u16,
}

/// Totals shared by the workers.
#[derive(Debug, Default)]
struct Totals {
    files: AtomicU64,
    events: AtomicU64,
    bytes_uncompressed: AtomicU64,
    bytes_compressed: AtomicU64,
    background: AtomicU64,
    bursts: AtomicU64,
}

/// Generates the run described by `plan` into `out_dir`.
pub(crate) fn run(
    plan: &Plan,
    out_dir: &Path,
    progress: &(impl Fn(Progress) + Sync),
) -> Result<Summary> {
    let totals = Totals::default();
    let next_window = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let first_error: Mutex<Option<Error>> = Mutex::new(None);
    let windows = plan.window_events.len();
    let threads = plan.threads.clamp(1, windows.max(1));

    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut worker = Worker::new(plan, out_dir, &totals, progress);
                loop {
                    if failed.load(Ordering::Relaxed) {
                        break;
                    }
                    let window = next_window.fetch_add(1, Ordering::Relaxed);
                    if window >= windows {
                        break;
                    }
                    if let Err(error) = worker.window(window) {
                        failed.store(true, Ordering::Relaxed);
                        let mut slot = first_error
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        if slot.is_none() {
                            *slot = Some(error);
                        }
                        break;
                    }
                }
            });
        }
    });
    if let Some(error) = first_error
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        return Err(error);
    }

    let background = totals.background.load(Ordering::Relaxed);
    let bursts = totals.bursts.load(Ordering::Relaxed);
    if background != plan.background_events || bursts != plan.burst_events {
        return Err(Error::Internal(format!(
            "wrote {background} background and {bursts} burst records, planned {} and {}",
            plan.background_events, plan.burst_events
        )));
    }
    Ok(Summary {
        files: totals.files.load(Ordering::Relaxed),
        events: totals.events.load(Ordering::Relaxed),
        background_events: background,
        burst_events: bursts,
        bytes_uncompressed: totals.bytes_uncompressed.load(Ordering::Relaxed),
        bytes_compressed: totals.bytes_compressed.load(Ordering::Relaxed),
        account_ids: plan
            .world
            .accounts
            .iter()
            .map(|account| account.id.clone())
            .collect(),
        regions: plan.regions.clone(),
        bursts: plan.truths.clone(),
    })
}

/// One worker thread's state: reusable buffers and the directories it has created.
struct Worker<'a, F> {
    plan: &'a Plan,
    out_dir: &'a Path,
    totals: &'a Totals,
    progress: &'a F,
    writer: RecordWriter<'a>,
    slots: Vec<Slot>,
    weights: Vec<f64>,
    counts: Vec<u64>,
    json: Vec<u8>,
    compressed: Vec<u8>,
    directories: HashSet<PathBuf>,
}

impl<'a, F: Fn(Progress) + Sync> Worker<'a, F> {
    fn new(plan: &'a Plan, out_dir: &'a Path, totals: &'a Totals, progress: &'a F) -> Self {
        Worker {
            plan,
            out_dir,
            totals,
            progress,
            writer: RecordWriter::new(plan),
            slots: Vec::new(),
            weights: Vec::with_capacity(5),
            counts: Vec::with_capacity(5),
            json: Vec::with_capacity(4 << 20),
            compressed: Vec::with_capacity(1 << 20),
            directories: HashSet::new(),
        }
    }

    /// Generates and writes the delivery window at `index`.
    fn window(&mut self, index: usize) -> Result<()> {
        let plan = self.plan;
        let window_start = plan.window_start(index);
        let window_number = window_start.div_euclid(WINDOW_MS) as u64;
        let mut rng = ChaCha8Rng::seed_from_u64(mix3(plan.seed, WINDOW_STREAM, window_number));
        self.slots.clear();
        self.place_background(&mut rng, index, window_start);
        self.place_bursts(&mut rng, window_start);
        if self.slots.is_empty() {
            return Ok(());
        }
        self.slots.sort_unstable_by_key(|slot| slot.key);

        let ids = SeededIds::new(mix3(plan.seed, FILE_NAME_STREAM, window_number));
        let delivered = Timestamp::from_millis(window_start + WINDOW_MS);
        let slots = std::mem::take(&mut self.slots);
        let mut start = 0;
        while start < slots.len() {
            let group = slots[start].key >> 32;
            let mut end = start;
            while end < slots.len() && slots[end].key >> 32 == group {
                end += 1;
            }
            self.write_group(&mut rng, &ids, delivered, window_start, &slots[start..end])?;
            start = end;
        }
        self.slots = slots;
        Ok(())
    }

    fn place_background(&mut self, rng: &mut ChaCha8Rng, index: usize, window_start: i64) {
        let plan = self.plan;
        let count = plan.window_events[index];
        if count == 0 {
            return;
        }
        self.weights.clear();
        let mut shares = [0.0f64; 5];
        for (minute, share) in shares.iter_mut().enumerate() {
            let minute_start = window_start + minute as i64 * MINUTE_MS;
            let inside = minute_overlap(minute_start, plan.start_ms, plan.end_ms);
            let weight = plan.rate.minute(minute_start);
            *share = weight.human / weight.total().max(f64::MIN_POSITIVE);
            self.weights
                .push(weight.total() * inside as f64 / MINUTE_MS as f64);
        }
        apportion(count, &self.weights, &mut self.counts);
        let region_count = plan.regions.len();
        for (minute, share) in shares.iter().enumerate() {
            let minute_start = window_start + minute as i64 * MINUTE_MS;
            let low = minute_start.max(plan.start_ms);
            let high = (minute_start + MINUTE_MS).min(plan.end_ms);
            for _ in 0..self.counts[minute] {
                let time = low + below(rng, (high - low).max(1) as usize) as i64;
                let data =
                    plan.data_event_fraction > 0.0 && uniform(rng) < plan.data_event_fraction;
                let (principal, op) = if data {
                    let Some(table) = &plan.data else { continue };
                    let principal = table.sample(rng);
                    let profile = plan.world.principals[principal].profile as usize;
                    match (plan.data_override[principal], &plan.data_ops[profile]) {
                        (Some(op), _) => (principal, op),
                        (None, Some(ops)) => (principal, ops.sample(rng)),
                        (None, None) => continue,
                    }
                } else {
                    let human = match (&plan.human, &plan.machine) {
                        (Some(_), Some(_)) => uniform(rng) < *share,
                        (Some(_), None) => true,
                        _ => false,
                    };
                    let table = if human { &plan.human } else { &plan.machine };
                    let Some(table) = table else { continue };
                    let principal = table.sample(rng);
                    let profile = plan.world.principals[principal].profile as usize;
                    match &plan.management_ops[profile] {
                        Some(ops) => (principal, ops.sample(rng)),
                        None => continue,
                    }
                };
                let details = &plan.world.principals[principal];
                let region = match plan.us_east_1 {
                    Some(us_east_1) if plan.ops[op].global => us_east_1,
                    _ if region_count > 1 && uniform(rng) >= 0.85 => below(rng, region_count),
                    _ => details.home_region.min(region_count - 1),
                };
                let group = (details.account * region_count + region) as u64;
                self.slots.push(Slot {
                    key: group << 32 | (time - window_start) as u64,
                    principal: principal as u32,
                    op: op as u16,
                    burst: 0,
                });
            }
        }
    }

    fn place_bursts(&mut self, rng: &mut ChaCha8Rng, window_start: i64) {
        let plan = self.plan;
        let window_end = window_start + WINDOW_MS;
        for (index, burst) in plan.bursts.iter().enumerate() {
            let first = burst.first_minute_ms.max(window_start);
            let end = burst.end_minute_ms.min(window_end);
            let mut minute = first;
            while minute < end {
                let low = minute.max(plan.start_ms);
                let high = (minute + MINUTE_MS).min(plan.end_ms);
                if high > low {
                    let group = (burst.account * plan.regions.len() + burst.region) as u64;
                    for _ in 0..burst.per_minute {
                        let time = low + below(rng, (high - low) as usize) as i64;
                        self.slots.push(Slot {
                            key: group << 32 | (time - window_start) as u64,
                            principal: burst.principal as u32,
                            op: burst.op as u16,
                            burst: index as u16 + 1,
                        });
                    }
                }
                minute += MINUTE_MS;
            }
        }
    }

    /// Writes the calls of one (account, region) in one window, over as many files as the
    /// record limit needs.
    fn write_group(
        &mut self,
        rng: &mut ChaCha8Rng,
        ids: &SeededIds,
        delivered: Timestamp,
        window_start: i64,
        slots: &[Slot],
    ) -> Result<()> {
        let plan = self.plan;
        let group = (slots[0].key >> 32) as usize;
        let account = group / plan.regions.len();
        let region = group % plan.regions.len();
        let files = slots.len().div_ceil(plan.max_records_per_file);
        let per_file = slots.len().div_ceil(files.max(1));
        let mut in_file = 0usize;
        let mut background = 0u64;
        let mut bursts = 0u64;
        self.json.clear();
        self.json.extend_from_slice(b"{\"Records\":[");
        for slot in slots {
            if in_file > 0 {
                self.json.push(b',');
            }
            let call = Call {
                principal: slot.principal as usize,
                op: usize::from(slot.op),
                region,
                time_ms: window_start + (slot.key & 0xFFFF_FFFF) as i64,
                burst: slot.burst.checked_sub(1).map(usize::from),
            };
            self.writer.write(&mut self.json, rng, &call);
            in_file += 1;
            if slot.burst == 0 {
                background += 1;
            } else {
                bursts += 1;
            }
            if in_file == per_file || self.json.len() >= MAX_FILE_BYTES {
                self.flush_file(
                    ids,
                    account,
                    region,
                    delivered,
                    in_file as u64,
                    background,
                    bursts,
                )?;
                in_file = 0;
                background = 0;
                bursts = 0;
                self.json.clear();
                self.json.extend_from_slice(b"{\"Records\":[");
            }
        }
        if in_file > 0 {
            self.flush_file(
                ids,
                account,
                region,
                delivered,
                in_file as u64,
                background,
                bursts,
            )?;
        }
        Ok(())
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "the counts are reported together with the file"
    )]
    fn flush_file(
        &mut self,
        ids: &SeededIds,
        account: usize,
        region: usize,
        delivered: Timestamp,
        records: u64,
        background: u64,
        bursts: u64,
    ) -> Result<()> {
        let plan = self.plan;
        self.json.extend_from_slice(b"]}");
        let key = LogFileKey {
            prefix: None,
            org_id: None,
            account_id: plan.world.accounts[account].id.clone(),
            kind: FileKind::CloudTrail,
            region: plan.regions[region].clone(),
            delivered,
            unique: ids.unique16(),
        };
        let path = self.out_dir.join(key.object_key());
        let io_error = |source: std::io::Error, path: &Path| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut buffer = std::mem::take(&mut self.compressed);
        buffer.clear();
        let mut encoder = GzEncoder::new(buffer, Compression::new(plan.gzip_level));
        encoder
            .write_all(&self.json)
            .map_err(|source| io_error(source, &path))?;
        let compressed = encoder.finish().map_err(|source| io_error(source, &path))?;
        if let Some(parent) = path.parent()
            && !self.directories.contains(parent)
        {
            std::fs::create_dir_all(parent).map_err(|source| io_error(source, parent))?;
            self.directories.insert(parent.to_path_buf());
        }
        std::fs::write(&path, &compressed).map_err(|source| io_error(source, &path))?;

        let totals = self.totals;
        let files = totals.files.fetch_add(1, Ordering::Relaxed) + 1;
        let events = totals.events.fetch_add(records, Ordering::Relaxed) + records;
        let raw_bytes = self.json.len() as u64;
        let bytes_uncompressed = totals
            .bytes_uncompressed
            .fetch_add(raw_bytes, Ordering::Relaxed)
            + raw_bytes;
        let bytes_compressed = totals
            .bytes_compressed
            .fetch_add(compressed.len() as u64, Ordering::Relaxed)
            + compressed.len() as u64;
        totals.background.fetch_add(background, Ordering::Relaxed);
        totals.bursts.fetch_add(bursts, Ordering::Relaxed);
        self.compressed = compressed;
        (self.progress)(Progress {
            files,
            events,
            bytes_uncompressed,
            bytes_compressed,
            total_events: plan.total_events(),
        });
        Ok(())
    }
}
