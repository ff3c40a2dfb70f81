//! The journal: one durable, ordered log of accepted events.
//!
//! Every source (API calls, bulk ingest, imports) appends here, and every consumer (event
//! history, trails, Lake, Insights, rules) reads from here at its own saved position.
//!
//! - **Durable before acknowledged.** [`Journal::append`] returns only after the frames are
//!   written and `fdatasync`ed. Appends from many callers are grouped into one write and one
//!   sync (group commit) by a single writer thread.
//! - **Ordered and checksummed.** Frames carry a sequence number, an arrival time, the event
//!   ID and the payload, with a CRC-32 ([`frame`] documents the format). After a crash, a
//!   torn tail is cut; damage followed by good frames stops recovery with an error rather
//!   than dropping records.
//! - **Deduplicated.** An entry whose event ID the journal already holds is not appended
//!   again; the first copy wins and the caller learns the original's sequence number.
//! - **Consumers** read with a [`JournalReader`] from a [`Position`] they keep themselves
//!   or save with [`Journal::save_consumer_position`]; [`Journal::wait_for_commit`] and
//!   [`Journal::subscribe`] wake them when new frames are durable.
//! - **Attachments.** A producer that already parsed a record may attach what it derived
//!   ([`AppendEntry::with_attachment`]); consumers of recent frames get it back with
//!   [`Journal::attachments`] instead of parsing again. Attachments live in memory only,
//!   for the last [`JournalConfig::attachment_capacity`] frames: they are a shortcut, never
//!   the data.
//!
//! ```
//! use opentrail_journal::{AppendEntry, AppendOutcome, Journal, JournalConfig};
//! use opentrail_types::SystemClock;
//! use std::sync::Arc;
//!
//! let dir = tempfile::tempdir()?;
//! let journal = Journal::open(dir.path(), JournalConfig::default(), Arc::new(SystemClock))?;
//! let outcomes = journal.append(vec![
//!     AppendEntry::new("id-1", br#"{"eventID":"id-1"}"#.to_vec()),
//!     AppendEntry::new("id-1", br#"{"eventID":"id-1"}"#.to_vec()),
//! ])?;
//! assert!(matches!(outcomes[0], AppendOutcome::Appended { seq: 1, .. }));
//! assert!(matches!(outcomes[1], AppendOutcome::Duplicate { seq: 1 }));
//!
//! let mut reader = journal.reader(journal.start_position())?;
//! let batch = reader.read_batch(100, 1 << 20)?;
//! assert_eq!(batch.iter().map(|entry| entry.event_id).collect::<Vec<_>>(), ["id-1"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod consumer;
mod error;
pub mod frame;
mod ids;
mod reader;
mod segment;
mod writer;

use std::any::Any;
use std::collections::VecDeque;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use opentrail_types::{SharedClock, Timestamp};
use tokio::sync::{mpsc, oneshot, watch};

pub use error::{Error, ErrorKind, Result};
pub use reader::{Batch, Entry, JournalReader, OwnedEntry};

use crate::segment::SegmentFile;
use crate::writer::{Request, Writer};

/// Where a frame is: segment ordinal (high 24 bits) and byte offset in it (low 40 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Location(pub u64);

impl Location {
    const OFFSET_BITS: u32 = 40;

    /// Packs a segment ordinal and an offset.
    pub fn new(ordinal: u32, offset: u64) -> Location {
        Location(
            (u64::from(ordinal) << Location::OFFSET_BITS)
                | (offset & ((1 << Location::OFFSET_BITS) - 1)),
        )
    }

    /// The segment ordinal.
    pub fn ordinal(self) -> u32 {
        // 64 - 40 = 24 bits remain, which always fit in u32.
        u32::try_from(self.0 >> Location::OFFSET_BITS).unwrap_or(u32::MAX)
    }

    /// The byte offset within the segment.
    pub fn offset(self) -> u64 {
        self.0 & ((1 << Location::OFFSET_BITS) - 1)
    }
}

/// A place in the journal: the sequence number of the next frame to read and where it is
/// (or will be written).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Position {
    /// Sequence number of the next frame.
    pub next_seq: u64,
    /// Where that frame starts.
    pub location: Location,
}

impl serde::Serialize for Location {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Location {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        u64::deserialize(deserializer).map(Location)
    }
}

/// Something a producer derived from an entry, handed to consumers in memory.
pub type Attachment = Arc<dyn Any + Send + Sync>;

/// One entry to append.
#[derive(Clone)]
pub struct AppendEntry {
    /// The event ID (deduplication key). 1 to 1,024 bytes.
    pub event_id: String,
    /// The payload, normally the record's compact JSON. At most 4 MiB.
    pub payload: Vec<u8>,
    /// Kept in memory for consumers of this frame; never written.
    pub attachment: Option<Attachment>,
}

impl std::fmt::Debug for AppendEntry {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("AppendEntry")
            .field("event_id", &self.event_id)
            .field("payload_bytes", &self.payload.len())
            .field("attachment", &self.attachment.is_some())
            .finish()
    }
}

impl AppendEntry {
    /// Returns an entry.
    pub fn new(event_id: impl Into<String>, payload: Vec<u8>) -> AppendEntry {
        AppendEntry {
            event_id: event_id.into(),
            payload,
            attachment: None,
        }
    }

    /// Attaches `attachment` (see the crate docs).
    pub fn with_attachment(mut self, attachment: Attachment) -> AppendEntry {
        self.attachment = Some(attachment);
        self
    }
}

/// Attachments of the most recent frames, by sequence number.
#[derive(Debug)]
pub(crate) struct AttachmentRing {
    /// Sequence number of the first slot.
    start_seq: u64,
    slots: VecDeque<Option<Attachment>>,
    capacity: usize,
}

impl AttachmentRing {
    fn new(next_seq: u64, capacity: usize) -> AttachmentRing {
        AttachmentRing {
            start_seq: next_seq,
            slots: VecDeque::new(),
            capacity,
        }
    }

    /// Records the attachments of frames `first_seq..`, in order.
    pub fn push(&mut self, first_seq: u64, attachments: impl Iterator<Item = Option<Attachment>>) {
        if self.start_seq + self.slots.len() as u64 != first_seq {
            // Frames were committed without passing here (never expected): start afresh.
            self.slots.clear();
            self.start_seq = first_seq;
        }
        for attachment in attachments {
            self.slots.push_back(attachment);
        }
        while self.slots.len() > self.capacity {
            self.slots.pop_front();
            self.start_seq += 1;
        }
    }

    fn get(&self, seqs: Range<u64>) -> Vec<Option<Attachment>> {
        seqs.map(|seq| {
            let index = seq.checked_sub(self.start_seq)?;
            self.slots.get(usize::try_from(index).ok()?)?.clone()
        })
        .collect()
    }
}

/// What happened to one appended entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppendOutcome {
    /// Written and durable.
    Appended {
        /// Its sequence number.
        seq: u64,
        /// Where it is.
        location: Location,
    },
    /// Not written: the journal already holds an entry with this event ID.
    Duplicate {
        /// Sequence number of the copy already held.
        seq: u64,
    },
}

/// Tuning of a journal. Every field has a default fit for a 2-core machine.
#[derive(Debug, Clone)]
pub struct JournalConfig {
    /// Size at which a segment is closed and the next begun, in bytes. Default 256 MiB.
    pub segment_bytes: u64,
    /// Most bytes written by one group commit. Default 16 MiB.
    pub max_group_bytes: usize,
    /// Append requests that may wait for the writer before callers block. Default 1,024.
    pub queue_depth: usize,
    /// Initial slots of the event ID table (grows by doubling). Default 1,048,576.
    pub id_table_initial_slots: u64,
    /// How often the event ID table is made durable. Default 30 s.
    pub id_checkpoint_interval: Duration,
    /// Most recent frames whose attachments are kept in memory. Default 262,144.
    pub attachment_capacity: usize,
}

impl Default for JournalConfig {
    fn default() -> JournalConfig {
        JournalConfig {
            segment_bytes: 256 * 1024 * 1024,
            max_group_bytes: 16 * 1024 * 1024,
            queue_depth: 1024,
            id_table_initial_slots: 1 << 20,
            id_checkpoint_interval: Duration::from_secs(30),
            attachment_capacity: 262_144,
        }
    }
}

/// How far the journal is durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Committed {
    /// Sequence number the next frame will get; every lower one is durable.
    pub next_seq: u64,
    /// Where the next frame will be written.
    pub end: Location,
}

impl Committed {
    /// The position just after the last durable frame.
    pub fn position(self) -> Position {
        Position {
            next_seq: self.next_seq,
            location: self.end,
        }
    }
}

/// State shared by the writer thread, readers and the handle.
#[derive(Debug)]
pub(crate) struct Shared {
    pub dir: PathBuf,
    pub segments: RwLock<Vec<Arc<SegmentFile>>>,
    pub committed: Mutex<Committed>,
    pub committed_changed: Condvar,
    pub committed_watch: watch::Sender<Committed>,
    pub failure: Mutex<Option<String>>,
    pub attachments: Mutex<AttachmentRing>,
}

impl Shared {
    pub fn committed(&self) -> Committed {
        *self
            .committed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub fn publish(&self, committed: Committed) {
        *self
            .committed
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = committed;
        self.committed_changed.notify_all();
        self.committed_watch.send_replace(committed);
    }

    pub fn segment(&self, ordinal: u32) -> Option<Arc<SegmentFile>> {
        let segments = self.segments.read().unwrap_or_else(PoisonError::into_inner);
        let first = segments.first()?.ordinal;
        let index = usize::try_from(ordinal.checked_sub(first)?).ok()?;
        segments.get(index).cloned()
    }

    pub fn first_segment(&self) -> Option<Arc<SegmentFile>> {
        self.segments
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .first()
            .cloned()
    }

    pub fn failure(&self) -> Option<String> {
        self.failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// An append handed to the writer by [`Journal::submit`], not yet known to be durable.
#[derive(Debug)]
pub struct PendingAppend {
    receiver: oneshot::Receiver<Result<Vec<AppendOutcome>>>,
    journal: Journal,
}

impl PendingAppend {
    /// Blocks until the entries are durable; returns their outcomes.
    ///
    /// # Errors
    ///
    /// As [`Journal::append`].
    ///
    /// # Panics
    ///
    /// Panics when called from inside an async runtime.
    pub fn wait(self) -> Result<Vec<AppendOutcome>> {
        self.receiver
            .blocking_recv()
            .map_err(|_| self.journal.closed_error())?
    }
}

/// The journal. Cloning the handle is cheap; the writer stops when the last handle is
/// dropped or [`Journal::close`] is called.
#[derive(Debug, Clone)]
pub struct Journal {
    shared: Arc<Shared>,
    sender: mpsc::Sender<Request>,
    writer: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl Journal {
    /// Opens (or creates) the journal in `dir`, recovering from a crash if needed.
    ///
    /// # Errors
    ///
    /// I/O errors, and [`Error::Corrupt`] when damage is found where good frames follow.
    pub fn open(dir: &Path, config: JournalConfig, clock: SharedClock) -> Result<Journal> {
        std::fs::create_dir_all(dir).map_err(|error| Error::io(dir, error))?;
        let recovered = segment::recover(dir)?;
        let last = recovered
            .segments
            .last()
            .map_or((0, 1), |segment| (segment.ordinal, segment.first_seq));
        let end = Location::new(last.0, recovered.last_len);
        let committed = Committed {
            next_seq: recovered.next_seq,
            end,
        };
        let segments: Vec<Arc<SegmentFile>> =
            recovered.segments.into_iter().map(Arc::new).collect();
        let (committed_watch, _) = watch::channel(committed);
        let shared = Arc::new(Shared {
            dir: dir.to_owned(),
            segments: RwLock::new(segments),
            committed: Mutex::new(committed),
            committed_changed: Condvar::new(),
            committed_watch,
            failure: Mutex::new(None),
            attachments: Mutex::new(AttachmentRing::new(
                recovered.next_seq,
                config.attachment_capacity,
            )),
        });
        let writer = Writer::open(
            Arc::clone(&shared),
            config.clone(),
            clock,
            last,
            recovered.last_len,
            recovered.next_seq,
            recovered.last_arrival_millis,
        )?;
        let (sender, receiver) = mpsc::channel(config.queue_depth.max(1));
        let handle = std::thread::Builder::new()
            .name(String::from("journal-writer"))
            .spawn(move || writer.run(receiver))
            .map_err(|error| Error::io(dir, error))?;
        if recovered.cut_bytes > 0 {
            tracing::warn!(
                cut_bytes = recovered.cut_bytes,
                "journal recovered from a torn write"
            );
        }
        Ok(Journal {
            shared,
            sender,
            writer: Arc::new(Mutex::new(Some(handle))),
        })
    }

    /// The folder the journal lives in.
    pub fn dir(&self) -> &Path {
        &self.shared.dir
    }

    /// Appends `entries` in order and returns once they are durable. Call from synchronous
    /// code; async code uses [`Journal::append_async`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidEntry`] (nothing of the request is written), [`Error::Closed`] after
    /// a failed write or shutdown.
    ///
    /// # Panics
    ///
    /// Panics when called from inside an async runtime (it blocks the thread).
    pub fn append(&self, entries: Vec<AppendEntry>) -> Result<Vec<AppendOutcome>> {
        let (reply, receiver) = oneshot::channel();
        self.sender
            .blocking_send(Request { entries, reply })
            .map_err(|_| self.closed_error())?;
        receiver.blocking_recv().map_err(|_| self.closed_error())?
    }

    /// Hands `entries` to the writer and returns at once; [`PendingAppend::wait`] blocks
    /// until they are durable. Lets a producer prepare its next batch while this one is
    /// written and synced. Call from synchronous code.
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] when the journal no longer accepts appends.
    ///
    /// # Panics
    ///
    /// Panics when called from inside an async runtime (it may block the thread).
    pub fn submit(&self, entries: Vec<AppendEntry>) -> Result<PendingAppend> {
        let (reply, receiver) = oneshot::channel();
        self.sender
            .blocking_send(Request { entries, reply })
            .map_err(|_| self.closed_error())?;
        Ok(PendingAppend {
            receiver,
            journal: self.clone(),
        })
    }

    /// Appends `entries` in order; resolves once they are durable.
    ///
    /// # Errors
    ///
    /// As [`Journal::append`].
    pub async fn append_async(&self, entries: Vec<AppendEntry>) -> Result<Vec<AppendOutcome>> {
        let (reply, receiver) = oneshot::channel();
        self.sender
            .send(Request { entries, reply })
            .await
            .map_err(|_| self.closed_error())?;
        receiver.await.map_err(|_| self.closed_error())?
    }

    /// Hands `entries` to the writer without waiting for them to be durable (they are
    /// written with the next group commit); waits only while the writer's queue is full.
    /// For records nobody is told were acknowledged, such as a read call's self-audit
    /// event.
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] when the journal no longer accepts appends.
    pub async fn submit_async(&self, entries: Vec<AppendEntry>) -> Result<()> {
        let (reply, _ignored) = oneshot::channel();
        self.sender
            .send(Request { entries, reply })
            .await
            .map_err(|_| self.closed_error())
    }

    fn closed_error(&self) -> Error {
        Error::Closed {
            reason: self
                .shared
                .failure()
                .unwrap_or_else(|| String::from("the journal writer has stopped")),
        }
    }

    /// How far the journal is durable now.
    pub fn committed(&self) -> Committed {
        self.shared.committed()
    }

    /// Blocks until a frame with sequence number ≥ `next_seq` is durable, or `timeout`
    /// passes; returns the state then.
    pub fn wait_for_commit(&self, next_seq: u64, timeout: Duration) -> Committed {
        let deadline = Instant::now() + timeout;
        let mut committed = self
            .shared
            .committed
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while committed.next_seq <= next_seq {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            committed = self
                .shared
                .committed_changed
                .wait_timeout(committed, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        *committed
    }

    /// The attachments of frames `seqs` (one element per sequence number; `None` where
    /// there was none or it is no longer kept).
    pub fn attachments(&self, seqs: Range<u64>) -> Vec<Option<Attachment>> {
        self.shared
            .attachments
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(seqs)
    }

    /// A receiver that sees every change of [`Journal::committed`].
    pub fn subscribe(&self) -> watch::Receiver<Committed> {
        self.shared.committed_watch.subscribe()
    }

    /// The position of the oldest frame kept.
    pub fn start_position(&self) -> Position {
        match self.shared.first_segment() {
            Some(segment) => Position {
                next_seq: segment.first_seq,
                location: Location::new(segment.ordinal, frame::SEGMENT_HEADER_LEN),
            },
            None => self.committed().position(),
        }
    }

    /// A reader starting at `position`.
    ///
    /// # Errors
    ///
    /// [`Error::Expired`] when retention removed the segment `position` points into.
    pub fn reader(&self, position: Position) -> Result<JournalReader> {
        JournalReader::new(Arc::clone(&self.shared), position)
    }

    /// Reads the one entry at `location` (as returned by an append or a reader).
    ///
    /// # Errors
    ///
    /// [`Error::Expired`] when its segment was removed; I/O and corruption errors.
    pub fn read_entry(&self, location: Location) -> Result<OwnedEntry> {
        reader::read_entry_at(&self.shared, location)
    }

    /// The saved position of consumer `name`, if it has saved one.
    ///
    /// # Errors
    ///
    /// I/O errors and unreadable position files.
    pub fn consumer_position(&self, name: &str) -> Result<Option<Position>> {
        consumer::load(&self.shared.dir, name)
    }

    /// Durably saves `position` as consumer `name`'s position. Segments wholly before
    /// the lowest saved position of all consumers may be removed by retention.
    ///
    /// # Errors
    ///
    /// I/O errors; an invalid consumer name.
    pub fn save_consumer_position(&self, name: &str, position: Position) -> Result<()> {
        consumer::save(&self.shared.dir, name, position)
    }

    /// Forgets consumer `name` (a deleted trail's delivery, say): its saved position no
    /// longer holds back retention.
    ///
    /// # Errors
    ///
    /// I/O errors; an invalid consumer name.
    pub fn remove_consumer_position(&self, name: &str) -> Result<()> {
        consumer::remove(&self.shared.dir, name)
    }

    /// Removes segments whose frames all arrived before `cutoff` and that every consumer
    /// has read past. The segment being written is never removed. Returns how many went.
    ///
    /// # Errors
    ///
    /// I/O errors.
    pub fn remove_segments_before(&self, cutoff: Timestamp) -> Result<usize> {
        let consumers = consumer::load_all(&self.shared.dir)?;
        let lowest_consumer = consumers
            .iter()
            .map(|(_, position)| position.next_seq)
            .min();
        let mut removed = 0;
        loop {
            let segments = self
                .shared
                .segments
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            let [first, second, ..] = segments.as_slice() else {
                break;
            };
            // Arrival times only grow, so the next segment's first arrival bounds this one.
            let next_first = reader::read_entry_at(
                &self.shared,
                Location::new(second.ordinal, frame::SEGMENT_HEADER_LEN),
            );
            let Ok(next_first) = next_first else { break };
            let all_consumed = lowest_consumer.is_none_or(|lowest| lowest >= second.first_seq);
            if next_first.arrival >= cutoff || !all_consumed {
                break;
            }
            std::fs::remove_file(&first.path).map_err(|error| Error::io(&first.path, error))?;
            self.shared
                .segments
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(0);
            removed += 1;
            tracing::info!(segment = %first.path.display(), "journal segment removed by retention");
        }
        if removed > 0 {
            segment::sync_dir(&self.shared.dir)?;
        }
        Ok(removed)
    }

    /// Stops accepting appends, waits for the writer to finish what it accepted, and saves
    /// the event ID table. Other handles see [`Error::Closed`] afterwards.
    pub fn close(self) {
        let writer = Arc::clone(&self.writer);
        drop(self);
        let handle = writer.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(handle) = handle {
            // The writer exits when every sender is gone; if other clones still exist it
            // keeps running for them, and joining here would wait for them too.
            if Arc::strong_count(&writer) == 1 {
                let _ = handle.join();
            } else {
                *writer.lock().unwrap_or_else(PoisonError::into_inner) = Some(handle);
            }
        }
    }
}
