//! The writer thread: group commit, deduplication, segment rolling.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError};
use std::time::Instant;

use opentrail_types::SharedClock;
use tokio::sync::{mpsc, oneshot};

use crate::frame::{
    BODY_FIXED_LEN, FRAME_PREFIX_LEN, MAX_EVENT_ID_LEN, MAX_PAYLOAD_LEN, SEGMENT_HEADER_LEN,
    encode_frame,
};
use crate::ids::{IdTable, id_hash};
use crate::reader::{read_entry_at, replay_ids};
use crate::segment::{create_segment, segment_file_name};
use crate::{
    AppendEntry, AppendOutcome, Committed, Error, JournalConfig, Location, Position, Result, Shared,
};

/// One append request and where to send its outcome.
#[derive(Debug)]
pub(crate) struct Request {
    pub entries: Vec<AppendEntry>,
    pub reply: oneshot::Sender<Result<Vec<AppendOutcome>>>,
}

/// The state owned by the writer thread.
pub(crate) struct Writer {
    shared: Arc<Shared>,
    config: JournalConfig,
    clock: SharedClock,
    file: File,
    path: PathBuf,
    ordinal: u32,
    len: u64,
    next_seq: u64,
    last_arrival_millis: i64,
    ids: IdTable,
    buffer: Vec<u8>,
    last_checkpoint: Instant,
}

/// An accepted entry waiting for the sync that makes it durable.
struct Pending {
    location: Location,
    hash: u64,
    attachment: Option<crate::Attachment>,
}

impl Writer {
    /// Opens the last segment for appending and brings the event ID table up to date.
    pub fn open(
        shared: Arc<Shared>,
        config: JournalConfig,
        clock: SharedClock,
        (ordinal, first_seq): (u32, u64),
        len: u64,
        next_seq: u64,
        last_arrival_millis: i64,
    ) -> Result<Writer> {
        let path = shared.dir.join(segment_file_name(ordinal, first_seq));
        let file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(|error| Error::io(&path, error))?;
        let table_path = shared.dir.join("ids.tbl");
        let (mut ids, mut covered) = IdTable::open(&table_path, config.id_table_initial_slots)?;
        if covered.is_some_and(|covered| covered.next_seq > next_seq) {
            // The table knows frames that recovery cut: start it afresh rather than keep
            // slots that point at bytes now reused.
            tracing::warn!("event ID table is ahead of the journal; rebuilding it");
            ids = IdTable::create_empty(&table_path, config.id_table_initial_slots)?;
            covered = None;
        }
        let committed = Committed {
            next_seq,
            end: Location::new(ordinal, len),
        };
        let start = match covered {
            Some(covered) if covered.next_seq <= next_seq && covered.next_seq > 0 => Some(covered),
            _ => None,
        };
        let start = start.unwrap_or_else(|| match shared.first_segment() {
            Some(segment) => Position {
                next_seq: segment.first_seq,
                location: Location::new(segment.ordinal, SEGMENT_HEADER_LEN),
            },
            None => committed.position(),
        });
        let replayed = replay_ids(&shared, start, &mut ids)?;
        if replayed > 0 {
            tracing::info!(
                replayed,
                "event ID table brought up to date from the journal"
            );
        }
        ids.checkpoint(committed.position())?;
        Ok(Writer {
            shared,
            config,
            clock,
            file,
            path,
            ordinal,
            len,
            next_seq,
            last_arrival_millis,
            ids,
            buffer: Vec::new(),
            last_checkpoint: Instant::now(),
        })
    }

    /// Serves requests until every sender is gone, then saves the event ID table.
    pub fn run(mut self, mut receiver: mpsc::Receiver<Request>) {
        while let Some(first) = receiver.blocking_recv() {
            let mut group_bytes = request_bytes(&first);
            let mut requests = vec![first];
            while group_bytes < self.config.max_group_bytes {
                match receiver.try_recv() {
                    Ok(request) => {
                        group_bytes += request_bytes(&request);
                        requests.push(request);
                    }
                    Err(_) => break,
                }
            }
            if let Some(reason) = self.shared.failure() {
                for request in requests {
                    let _ = request.reply.send(Err(Error::Closed {
                        reason: reason.clone(),
                    }));
                }
                continue;
            }
            self.commit_group(requests);
        }
        if self.shared.failure().is_none() {
            let position = self.shared.committed().position();
            if let Err(error) = self.ids.checkpoint(position) {
                tracing::warn!(error = %error, "could not save the event ID table at shutdown");
            }
        }
    }

    fn commit_group(&mut self, requests: Vec<Request>) {
        let arrival = self.clock.now().as_millis().max(self.last_arrival_millis);
        let mut outcomes: Vec<Option<Result<Vec<AppendOutcome>>>> =
            Vec::with_capacity(requests.len());
        let mut pending: Vec<Pending> = Vec::new();
        let mut in_group: rustc_hash::FxHashMap<&str, u64> = rustc_hash::FxHashMap::default();
        for request in &requests {
            if let Err(error) = check_entries(&request.entries) {
                outcomes.push(Some(Err(error)));
                continue;
            }
            let mut request_outcomes = Vec::with_capacity(request.entries.len());
            for entry in &request.entries {
                if let Some(&seq) = in_group.get(entry.event_id.as_str()) {
                    request_outcomes.push(AppendOutcome::Duplicate { seq });
                    continue;
                }
                let hash = id_hash(&entry.event_id);
                match self.find_existing(hash, &entry.event_id) {
                    Ok(Some(seq)) => {
                        request_outcomes.push(AppendOutcome::Duplicate { seq });
                        continue;
                    }
                    Ok(None) => {}
                    Err(error) => return self.fail(requests, &error),
                }
                let frame_len = (FRAME_PREFIX_LEN
                    + BODY_FIXED_LEN
                    + entry.event_id.len()
                    + entry.payload.len()) as u64;
                let used = self.len + self.buffer.len() as u64;
                if used > SEGMENT_HEADER_LEN
                    && used + frame_len > self.config.segment_bytes
                    && let Err(error) = self.roll()
                {
                    return self.fail(requests, &error);
                }
                let seq = self.next_seq;
                let location = Location::new(self.ordinal, self.len + self.buffer.len() as u64);
                encode_frame(
                    &mut self.buffer,
                    seq,
                    arrival,
                    &entry.event_id,
                    &entry.payload,
                );
                self.next_seq += 1;
                in_group.insert(entry.event_id.as_str(), seq);
                pending.push(Pending {
                    location,
                    hash,
                    attachment: entry.attachment.clone(),
                });
                request_outcomes.push(AppendOutcome::Appended { seq, location });
            }
            outcomes.push(Some(Ok(request_outcomes)));
        }
        if let Err(error) = self.flush_and_sync() {
            return self.fail(requests, &error);
        }
        self.last_arrival_millis = arrival;
        let first_kept = self
            .shared
            .first_segment()
            .map_or(0, |segment| segment.ordinal);
        let keep = move |location: Location| location.ordinal() >= first_kept;
        for entry in &pending {
            if let Err(error) = self.ids.insert(entry.hash, entry.location, &keep) {
                // The frames are durable; a table that could not grow only loses
                // deduplication until the next start re-inserts them. Stop to be safe.
                return self.fail(requests, &error);
            }
        }
        let first_seq = self.next_seq - pending.len() as u64;
        self.shared
            .attachments
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(first_seq, pending.into_iter().map(|entry| entry.attachment));
        self.shared.publish(Committed {
            next_seq: self.next_seq,
            end: Location::new(self.ordinal, self.len),
        });
        if self.last_checkpoint.elapsed() >= self.config.id_checkpoint_interval {
            self.checkpoint_ids();
        }
        for (request, outcome) in requests.into_iter().zip(outcomes) {
            if let Some(outcome) = outcome {
                let _ = request.reply.send(outcome);
            }
        }
    }

    /// Finds an entry already in the journal with this event ID; returns its sequence number.
    ///
    /// Every candidate slot is checked against the frame it points at. A slot that points
    /// past the durable end, into a removed segment, or at bytes that are not a frame is
    /// stale (left by a cut tail or retention) and simply does not match.
    fn find_existing(&self, hash: u64, event_id: &str) -> Result<Option<u64>> {
        let end = Location::new(self.ordinal, self.len);
        for location in self.ids.candidates(hash) {
            if location >= end {
                continue;
            }
            match read_entry_at(&self.shared, location) {
                Ok(entry) if entry.event_id == event_id => return Ok(Some(entry.seq)),
                Ok(_) | Err(Error::Expired { .. } | Error::Corrupt { .. }) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(None)
    }

    fn flush_and_sync(&mut self) -> Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        self.file
            .write_all(&self.buffer)
            .map_err(|error| Error::io(&self.path, error))?;
        self.file
            .sync_data()
            .map_err(|error| Error::io(&self.path, error))?;
        self.len += self.buffer.len() as u64;
        self.buffer.clear();
        Ok(())
    }

    /// Makes the current segment durable and starts the next one.
    fn roll(&mut self) -> Result<()> {
        self.flush_and_sync()?;
        let ordinal = self.ordinal + 1;
        let (segment, writer) = create_segment(&self.shared.dir, ordinal, self.next_seq)?;
        self.path = segment.path.clone();
        self.shared
            .segments
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Arc::new(segment));
        self.file = writer;
        self.ordinal = ordinal;
        self.len = SEGMENT_HEADER_LEN;
        // Frames written so far are durable; the table's slots for them are not yet (they
        // are inserted after the group's sync), so the checkpoint waits for the next group.
        Ok(())
    }

    fn checkpoint_ids(&mut self) {
        let position = self.shared.committed().position();
        if let Err(error) = self.ids.checkpoint(position) {
            tracing::warn!(error = %error, "could not save the event ID table; it will be rebuilt from the journal");
        }
        self.last_checkpoint = Instant::now();
    }

    /// Stops the journal after a failed write: the file's state past the last sync is
    /// unknown, so nothing more is accepted until it is reopened (and recovered).
    fn fail(&mut self, requests: Vec<Request>, error: &Error) {
        tracing::error!(error = %error, "journal write failed; refusing further appends");
        let reason = error.to_string();
        *self
            .shared
            .failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(reason.clone());
        for request in requests {
            let _ = request.reply.send(Err(Error::Closed {
                reason: reason.clone(),
            }));
        }
    }
}

fn request_bytes(request: &Request) -> usize {
    request
        .entries
        .iter()
        .map(|entry| entry.payload.len() + entry.event_id.len() + 32)
        .sum()
}

fn check_entries(entries: &[AppendEntry]) -> Result<()> {
    for entry in entries {
        if entry.event_id.is_empty() || entry.event_id.len() > MAX_EVENT_ID_LEN {
            return Err(Error::InvalidEntry {
                reason: format!(
                    "event ID must be 1 to {MAX_EVENT_ID_LEN} bytes, got {}",
                    entry.event_id.len()
                ),
            });
        }
        if entry.payload.len() > MAX_PAYLOAD_LEN {
            return Err(Error::InvalidEntry {
                reason: format!(
                    "payload of {} bytes is over the {MAX_PAYLOAD_LEN}-byte limit",
                    entry.payload.len()
                ),
            });
        }
    }
    Ok(())
}
