//! One trail's delivery: a thread that reads the journal, batches the events the trail
//! selects, writes log files, keeps the digest chains, and uploads through the outbox.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use bytes::Bytes;
use opentrail_archive::layout::{FileKind, LogFileKey};
use opentrail_blob::{Encryption, PutOptions};
use opentrail_journal::Position;
use opentrail_selectors::CompiledSelectors;
use opentrail_trails::Trail;
use opentrail_types::Timestamp;

use crate::Context;
use crate::batch::{Batches, log_file_body};
use crate::chain::{self, Outbox};
use crate::error::{Error, Result};
use crate::events;
use crate::route::{self, STOP_GRACE_MILLIS};
use crate::state::{Delivered, Folder, Kind, LogFile, Pending, PendingObject, State};

/// Entries read from the journal per step.
const READ_ENTRIES: usize = 4_096;
/// Bytes read from the journal per step.
const READ_BYTES: usize = 8 << 20;
/// Longest sleep between steps: bounds how late a clock-driven deadline is noticed.
const TICK: Duration = Duration::from_millis(100);
/// First retry delay after a failed upload; doubles up to `MAX_BACKOFF`.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// The journal consumer name and folder name of a trail's delivery.
pub fn trail_id(arn: &str, created: Timestamp) -> String {
    let digest = opentrail_digest::sha256_hex(format!("{arn}\n{}", created.as_millis()).as_bytes());
    format!("trail-{}", &digest[..24])
}

pub(crate) struct Worker {
    ctx: Arc<Context>,
    arn: String,
    created: Timestamp,
    id: String,
    folder: Folder,
    state: State,
    open: Batches,
    /// Position after the last entry read into `open`.
    read_position: Position,
    /// Arrival of the last entry read.
    last_arrival: Option<Timestamp>,
    compiled: Option<(u64, CompiledSelectors)>,
    retry_at: Option<Instant>,
    backoff: Duration,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Worker")
            .field("arn", &self.arn)
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Worker {
    /// Opens (or starts) the delivery state of `trail`.
    pub(crate) fn open(ctx: Arc<Context>, trail: &Trail) -> Result<Worker> {
        let id = trail_id(&trail.arn, trail.created);
        let folder = Folder::new(ctx.root.join(&id));
        let state = match folder.load()? {
            Some(state) => state,
            None => {
                let start = trail
                    .logging_history
                    .first()
                    .map_or(trail.created, |interval| interval.start);
                let position = ctx.position_before(start);
                let state = State::new(&trail.arn, trail.created, position);
                folder.save(&state)?;
                state
            }
        };
        folder.remove_orphans(&state)?;
        ctx.journal.save_consumer_position(&id, state.position)?;
        Ok(Worker {
            read_position: state.position,
            ctx,
            arn: trail.arn.clone(),
            created: trail.created,
            id,
            folder,
            state,
            open: Batches::default(),
            last_arrival: None,
            compiled: None,
            retry_at: None,
            backoff: FIRST_BACKOFF,
        })
    }

    /// Runs until the trail is gone (deleted and finished) or the engine stops.
    pub(crate) fn run(mut self) {
        while !self.ctx.stopping.load(Ordering::Acquire) {
            let Some(trail) = self.current_trail() else {
                return;
            };
            match self.step(&trail) {
                Ok(Step::Again) => {}
                Ok(Step::Idle) => {
                    self.ctx
                        .journal
                        .wait_for_commit(self.read_position.next_seq, TICK);
                }
                Ok(Step::Finished) => return,
                Err(error) => {
                    events::WorkerFailed {
                        trail: &self.arn,
                        error: &error,
                    }
                    .emit();
                    let code = error.status_code();
                    self.ctx.set_status(&trail.arn, |status| {
                        status.latest_delivery_error = Some(code);
                    });
                    // Start again from the saved state: nothing read since is lost,
                    // it is read again, and what the failed step changed in memory only
                    // is forgotten.
                    if let Ok(Some(saved)) = self.folder.load() {
                        self.state = saved;
                    }
                    self.open.clear();
                    self.read_position = self.state.position;
                    self.last_arrival = None;
                    std::thread::sleep(self.backoff);
                    self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }

    fn current_trail(&self) -> Option<Trail> {
        self.ctx
            .trails
            .snapshot()
            .into_iter()
            .find(|trail| trail.arn == self.arn && trail.created == self.created)
    }

    fn step(&mut self, trail: &Trail) -> Result<Step> {
        self.refresh_selectors(trail);
        // The home chain exists before anything is delivered, so its windows start at
        // the moment validation started, whenever this thread first runs.
        self.ensure_home_chain(trail)?;
        self.drain_outbox(trail)?;
        let read = self.read(trail)?;
        let now = self.ctx.clock.now();
        let window = self.ctx.config.delivery_interval.as_millis() as i64;
        let due = self
            .open
            .oldest_arrival()
            .is_some_and(|oldest| now.as_millis() >= oldest.as_millis() + window)
            || self.open.bytes() >= self.ctx.config.max_batch_bytes;
        if due {
            self.flush(trail)?;
            self.drain_outbox(trail)?;
        }
        self.keep_chains(trail)?;
        if trail.deleted_at.is_some() && self.settled(trail) && !self.open.is_empty() {
            // Nothing more will arrive for a deleted trail: write what is open now.
            self.flush(trail)?;
            self.drain_outbox(trail)?;
        }
        if trail.deleted_at.is_some() && self.finished(trail) {
            self.ctx.trails.purge(&trail.arn).map_err(Error::Trails)?;
            self.folder.remove()?;
            self.ctx.journal.remove_consumer_position(&self.id)?;
            return Ok(Step::Finished);
        }
        Ok(if read > 0 { Step::Again } else { Step::Idle })
    }

    fn refresh_selectors(&mut self, trail: &Trail) {
        if self
            .compiled
            .as_ref()
            .is_none_or(|(generation, _)| *generation != trail.generation)
        {
            self.compiled = Some((trail.generation, CompiledSelectors::new(&trail.selectors)));
        }
    }

    /// Reads what the journal has past `read_position` (one step's worth), routing each
    /// entry into the open batches. Returns how many entries were read.
    fn read(&mut self, trail: &Trail) -> Result<usize> {
        let committed = self.ctx.journal.committed();
        if committed.next_seq <= self.read_position.next_seq {
            return Ok(0);
        }
        let mut reader = self.ctx.journal.reader(self.read_position)?;
        let batch = reader.read_batch(READ_ENTRIES, READ_BYTES)?;
        let Some((_, selectors)) = self.compiled.as_ref() else {
            return Ok(0);
        };
        let mut count = 0;
        for entry in batch.iter() {
            count += 1;
            self.last_arrival = Some(entry.arrival);
            if let Some(routed) = route::route(trail, selectors, entry.arrival, entry.payload) {
                self.open.add(routed, entry.arrival, entry.payload);
            }
        }
        if let Some(end) = batch.end() {
            self.read_position = end;
        }
        if self.open.is_empty() && self.state.outbox.is_empty() {
            // Nothing of this trail is open: the saved position may move on, so a
            // restart does not read the skipped events again.
            self.save_position_only()?;
        }
        Ok(count)
    }

    fn save_position_only(&mut self) -> Result<()> {
        if self.state.position == self.read_position {
            return Ok(());
        }
        // Saving on every read would cost an fsync per step; every 4,096 entries or
        // on idle is enough, as reading again is harmless for skipped events.
        self.state.position = self.read_position;
        self.folder.save(&self.state)?;
        self.ctx
            .journal
            .save_consumer_position(&self.id, self.state.position)?;
        Ok(())
    }

    /// Closes every open batch into log files: spools them, then saves the state with the
    /// new journal position and the outbox entries in one atomic write.
    fn flush(&mut self, trail: &Trail) -> Result<()> {
        let streams = self.open.take();
        let now = self.ctx.clock.now();
        let mut spooled = Vec::new();
        for (stream, open) in streams {
            let body = log_file_body(&open);
            let sha256 = opentrail_digest::sha256_hex(&body);
            let gzipped = opentrail_digest::gzip::gzip(&body);
            let key = LogFileKey {
                prefix: trail
                    .s3_key_prefix
                    .clone()
                    .filter(|prefix| !prefix.is_empty()),
                org_id: None,
                account_id: stream.account.clone(),
                kind: match stream.kind {
                    Kind::CloudTrail => FileKind::CloudTrail,
                    Kind::Insight => FileKind::CloudTrailInsight,
                },
                region: stream.region.clone(),
                delivered: now,
                unique: self.ctx.ids.unique16(),
            }
            .object_key();
            let chain = match stream.kind {
                Kind::CloudTrail => self
                    .state
                    .chains
                    .iter()
                    .find(|chain| chain.account == stream.account && chain.region == stream.region)
                    .map(|chain| chain.since)
                    .or_else(|| self.wanted_chain(trail)),
                Kind::Insight => None,
            };
            let spool = format!("{}.gz", self.state.next_spool);
            self.state.next_spool += 1;
            self.folder.spool(&spool, &gzipped)?;
            events::FileSpooled {
                trail: &self.arn,
                events: open.count,
                bytes: gzipped.len(),
            }
            .emit();
            spooled.push(Pending {
                spool,
                bucket: trail.s3_bucket_name.clone(),
                key,
                object: PendingObject::Log(LogFile {
                    account: stream.account,
                    region: stream.region,
                    kind: stream.kind,
                    sha256,
                    newest: open.newest,
                    oldest: open.oldest,
                    named_at: now,
                    chain,
                }),
            });
        }
        self.state.outbox.extend(spooled);
        self.state.position = self.read_position;
        self.folder.save(&self.state)?;
        self.ctx
            .journal
            .save_consumer_position(&self.id, self.state.position)?;
        Ok(())
    }

    /// Uploads the outbox in order; stops at the first failure and retries it later
    /// with exponential backoff.
    fn drain_outbox(&mut self, trail: &Trail) -> Result<()> {
        if self
            .retry_at
            .is_some_and(|retry_at| Instant::now() < retry_at)
        {
            return Ok(());
        }
        while let Some(pending) = self.state.outbox.first().cloned() {
            match self.upload(trail, &pending) {
                Ok(()) => {
                    self.retry_at = None;
                    self.backoff = FIRST_BACKOFF;
                    self.state.outbox.remove(0);
                    self.uploaded(trail, pending)?;
                }
                Err(error) => {
                    let code = error.status_code();
                    let digest = matches!(pending.object, PendingObject::Digest { .. });
                    events::UploadFailed {
                        trail: &self.arn,
                        key: &pending.key,
                        error: &error,
                    }
                    .emit();
                    self.ctx.set_status(&trail.arn, |status| {
                        if digest {
                            status.latest_digest_delivery_error = Some(code);
                        } else {
                            status.latest_delivery_error = Some(code);
                        }
                    });
                    self.retry_at = Some(Instant::now() + self.backoff);
                    self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    fn upload(&self, trail: &Trail, pending: &Pending) -> Result<()> {
        let body = self.folder.read_spool(&pending.spool)?;
        let bucket = self
            .ctx
            .buckets
            .resolve(&pending.bucket)
            .map_err(|source| Error::Destination {
                bucket: pending.bucket.clone(),
                source,
            })?;
        let mut options = PutOptions::default();
        if let PendingObject::Digest { metadata, .. } = &pending.object {
            options.metadata = metadata.iter().cloned().collect();
        }
        if let Some(key_id) = &trail.kms_key_id {
            options.encryption = Some(Encryption::Kms {
                key_id: key_id.clone(),
            });
        }
        self.ctx
            .runtime
            .block_on(bucket.put(&pending.key, Bytes::from(body), &options))
            .map_err(|source| Error::Destination {
                bucket: pending.bucket.clone(),
                source,
            })
    }

    /// Books a finished upload: status, the digest chain, the state, the spool file.
    fn uploaded(&mut self, trail: &Trail, pending: Pending) -> Result<()> {
        let now = self.ctx.clock.now();
        match &pending.object {
            PendingObject::Log(file) => {
                self.ctx.set_status(&trail.arn, |status| {
                    status.latest_delivery_time = Some(now);
                    status.latest_delivery_error = None;
                });
                events::FileDelivered {
                    trail: &self.arn,
                    key: &pending.key,
                    named_at: file.named_at,
                    now,
                }
                .emit();
                if let Some(since) = file.chain {
                    let delivered = Delivered {
                        bucket: pending.bucket.clone(),
                        key: pending.key.clone(),
                        file: file.clone(),
                        delivered_at: now,
                    };
                    self.book_delivered(trail, since, delivered);
                }
            }
            PendingObject::Digest { backfill, .. } => {
                self.ctx.set_status(&trail.arn, |status| {
                    status.latest_digest_delivery_time = Some(now);
                    status.latest_digest_delivery_error = None;
                });
                events::DigestDelivered {
                    trail: &self.arn,
                    key: &pending.key,
                    backfill: *backfill,
                }
                .emit();
            }
        }
        self.folder.save(&self.state)?;
        self.folder.unspool(&pending.spool)
    }

    /// Puts a delivered file into its chain: the current window, or the backfill list if
    /// its window's digest is already written. A file whose chain has ended (validation
    /// turned off meanwhile) is never digested, as in CloudTrail.
    fn book_delivered(&mut self, trail: &Trail, since: Timestamp, delivered: Delivered) {
        let account = delivered.file.account.clone();
        let region = delivered.file.region.clone();
        if !self
            .state
            .chains
            .iter()
            .any(|chain| chain.account == account && chain.region == region && chain.since == since)
            && self.wanted_chain(trail) == Some(since)
        {
            // The window is the one the file was delivered in, however late this runs.
            self.state.chains.push(chain::new_chain(
                &account,
                &region,
                since,
                delivered.delivered_at,
                &self.ctx.config,
            ));
        }
        let Some(chain) = self.state.chains.iter_mut().find(|chain| {
            chain.account == account && chain.region == region && chain.since == since
        }) else {
            return;
        };
        if delivered.file.named_at < chain.window_start && chain.last.is_some() {
            chain.late.push(delivered);
        } else {
            chain.files.push(delivered);
        }
    }

    /// The chain start a trail wants now: while it logs with validation on.
    fn wanted_chain(&self, trail: &Trail) -> Option<Timestamp> {
        if trail.deleted_at.is_some() || !trail.logging || !trail.log_file_validation_enabled {
            return None;
        }
        // Digest times have whole seconds; chains are keyed by their start.
        trail
            .validation_since
            .map(|since| Timestamp::from_secs(since.as_millis().div_euclid(1_000)))
    }

    /// Whether the stop of logging (or the deletion) is far enough behind that every
    /// event of the trail has been read: the stop's own record has had its grace time.
    fn settled(&self, trail: &Trail) -> bool {
        let stop = trail
            .logging_history
            .last()
            .and_then(|interval| interval.stop)
            .or(trail.deleted_at);
        let Some(stop) = stop else {
            return true;
        };
        let horizon = stop.as_millis() + STOP_GRACE_MILLIS;
        let caught_up = self.ctx.journal.committed().next_seq <= self.read_position.next_seq;
        self.last_arrival
            .is_some_and(|arrival| arrival.as_millis() > horizon)
            || (caught_up && self.ctx.clock.now().as_millis() > horizon)
    }

    fn ensure_home_chain(&mut self, trail: &Trail) -> Result<()> {
        let Some(since) = self.wanted_chain(trail) else {
            return Ok(());
        };
        let home = (trail.account_id.as_str(), trail.home_region.as_str());
        let exists = self.state.chains.iter().any(|chain| {
            (chain.account.as_str(), chain.region.as_str()) == home && chain.since == since
        });
        if !exists {
            // Windows count from `since` even when this runs later (a restart): the hours
            // missed get their digests, empty or not, as the trail was logging.
            self.state.chains.push(chain::new_chain(
                home.0,
                home.1,
                since,
                since,
                &self.ctx.config,
            ));
            self.folder.save(&self.state)?;
        }
        Ok(())
    }

    /// Starts, advances and ends digest chains.
    fn keep_chains(&mut self, trail: &Trail) -> Result<()> {
        let wanted = self.wanted_chain(trail);
        let now = self.ctx.clock.now();
        // Chains that ended: a final digest once everything they cover is delivered.
        let ending: Vec<usize> = (0..self.state.chains.len())
            .filter(|index| Some(self.state.chains[*index].since) != wanted)
            .collect();
        if !ending.is_empty() {
            let stopped = !trail.logging || trail.deleted_at.is_some();
            if stopped && !self.settled(trail) {
                return self.due_digests(trail, now);
            }
            if !self.open.is_empty() {
                self.flush(trail)?;
            }
            self.drain_outbox(trail)?;
            let waiting = self.state.outbox.iter().any(|pending| {
                matches!(&pending.object, PendingObject::Log(file) if file.chain.is_some() && file.chain != wanted)
            });
            if waiting {
                return Ok(());
            }
            for index in ending.into_iter().rev() {
                let mut chain = self.state.chains.remove(index);
                let mut outbox = Outbox {
                    pending: &mut self.state.outbox,
                    next_spool: &mut self.state.next_spool,
                    folder: &self.folder,
                };
                chain::write_due(&self.ctx, trail, &mut chain, now, &mut outbox)?;
                chain::write_final(&self.ctx, trail, &mut chain, now, &mut outbox)?;
            }
            self.folder.save(&self.state)?;
            self.drain_outbox(trail)?;
        }
        self.due_digests(trail, now)
    }

    fn due_digests(&mut self, trail: &Trail, now: Timestamp) -> Result<()> {
        let mut wrote = false;
        for index in 0..self.state.chains.len() {
            let mut outbox = Outbox {
                pending: &mut self.state.outbox,
                next_spool: &mut self.state.next_spool,
                folder: &self.folder,
            };
            if chain::write_due(
                &self.ctx,
                trail,
                &mut self.state.chains[index],
                now,
                &mut outbox,
            )? {
                wrote = true;
            }
        }
        if wrote {
            self.folder.save(&self.state)?;
            self.drain_outbox(trail)?;
        }
        Ok(())
    }

    /// A deleted trail is finished when its events are read, written, uploaded and its
    /// final digests are out.
    fn finished(&self, trail: &Trail) -> bool {
        self.settled(trail)
            && self.open.is_empty()
            && self.state.outbox.is_empty()
            && self.state.chains.is_empty()
    }
}

enum Step {
    Again,
    Idle,
    Finished,
}
