//! Reading the journal: in order from a position, or one entry at a location.

use std::sync::Arc;

use opentrail_types::Timestamp;

use crate::frame::{FrameProblem, SEGMENT_HEADER_LEN, decode_frame};
use crate::ids::{IdTable, id_hash};
use crate::segment::SegmentFile;
use crate::{Error, Location, Position, Result, Shared};

/// One entry of a [`Batch`], borrowed from it.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// Sequence number.
    pub seq: u64,
    /// When the journal accepted it.
    pub arrival: Timestamp,
    /// Where it is.
    pub location: Location,
    /// The event ID.
    pub event_id: &'a str,
    /// The payload (the record's JSON).
    pub payload: &'a [u8],
}

/// One entry, owning its bytes.
#[derive(Debug, Clone)]
pub struct OwnedEntry {
    /// Sequence number.
    pub seq: u64,
    /// When the journal accepted it.
    pub arrival: Timestamp,
    /// Where it is.
    pub location: Location,
    /// The event ID.
    pub event_id: String,
    /// The payload.
    pub payload: Vec<u8>,
}

#[derive(Debug, Clone, Copy)]
struct FrameSpan {
    seq: u64,
    arrival_millis: i64,
    location: Location,
    id: (usize, usize),
    payload: (usize, usize),
}

/// Consecutive entries read in one go. Iterate with [`Batch::iter`].
#[derive(Debug, Default)]
pub struct Batch {
    data: Vec<u8>,
    frames: Vec<FrameSpan>,
    end: Option<Position>,
}

impl Batch {
    /// The entries, in sequence order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Entry<'_>> + '_ {
        self.frames.iter().map(|span| Entry {
            seq: span.seq,
            arrival: Timestamp::from_millis(span.arrival_millis),
            location: span.location,
            // Spans were cut at UTF-8-checked boundaries by the decoder.
            event_id: std::str::from_utf8(&self.data[span.id.0..span.id.1]).unwrap_or_default(),
            payload: &self.data[span.payload.0..span.payload.1],
        })
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    /// Whether the batch holds no entry.
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// The position just after the last entry (where the next read starts); `None` when
    /// empty.
    pub fn end(&self) -> Option<Position> {
        self.end
    }
}

/// Reads the journal in order, never past what is durable.
#[derive(Debug)]
pub struct JournalReader {
    shared: Arc<Shared>,
    position: Position,
    segment: Option<Arc<SegmentFile>>,
}

/// Bytes read per request when the caller's byte budget is larger.
const READ_CHUNK: usize = 4 * 1024 * 1024;

impl JournalReader {
    pub(crate) fn new(shared: Arc<Shared>, position: Position) -> Result<JournalReader> {
        let oldest = shared.first_segment();
        if let Some(oldest) = &oldest
            && (position.location.ordinal() < oldest.ordinal
                || position.next_seq < oldest.first_seq)
        {
            return Err(Error::Expired {
                seq: position.next_seq,
                oldest: oldest.first_seq,
            });
        }
        Ok(JournalReader {
            shared,
            position,
            segment: None,
        })
    }

    /// The position the next read starts at.
    pub fn position(&self) -> Position {
        self.position
    }

    /// Reads what is durable from the current position, up to `max_entries` entries and
    /// about `max_bytes` bytes (at least one entry when one is durable). Returns an empty
    /// batch when the reader is caught up.
    ///
    /// # Errors
    ///
    /// I/O errors; [`Error::Corrupt`] for a frame that fails its checksum or breaks the
    /// sequence (it is never skipped).
    pub fn read_batch(&mut self, max_entries: usize, max_bytes: usize) -> Result<Batch> {
        let mut batch = Batch::default();
        self.read_batch_into(&mut batch, max_entries, max_bytes)?;
        Ok(batch)
    }

    /// As [`JournalReader::read_batch`], reusing `batch`'s memory (its previous entries are
    /// dropped). Readers that poll keep one batch, so each read does not fault in fresh
    /// pages.
    ///
    /// # Errors
    ///
    /// As [`JournalReader::read_batch`].
    pub fn read_batch_into(
        &mut self,
        batch: &mut Batch,
        max_entries: usize,
        max_bytes: usize,
    ) -> Result<()> {
        batch.data.clear();
        batch.frames.clear();
        batch.end = None;
        let max_bytes = max_bytes.max(1);
        while batch.frames.len() < max_entries && batch.data.len() < max_bytes {
            let committed = self.shared.committed();
            if self.position.next_seq >= committed.next_seq {
                break;
            }
            let ordinal = self.position.location.ordinal();
            let segment = match &self.segment {
                Some(segment) if segment.ordinal == ordinal => Arc::clone(segment),
                _ => {
                    let Some(segment) = self.shared.segment(ordinal) else {
                        let oldest = self
                            .shared
                            .first_segment()
                            .map_or(0, |segment| segment.first_seq);
                        return Err(Error::Expired {
                            seq: self.position.next_seq,
                            oldest,
                        });
                    };
                    self.segment = Some(Arc::clone(&segment));
                    segment
                }
            };
            // In the segment being written, only bytes up to the committed end are durable;
            // an earlier segment is complete up to its end of file.
            let limit = if ordinal == committed.end.ordinal() {
                Some(committed.end.offset())
            } else {
                None
            };
            let offset = self.position.location.offset();
            let want = (max_bytes - batch.data.len()).clamp(1, READ_CHUNK);
            let want = match limit {
                Some(limit) => {
                    want.min(usize::try_from(limit.saturating_sub(offset)).unwrap_or(usize::MAX))
                }
                None => want,
            };
            let start = batch.data.len();
            batch
                .data
                .resize(start + want.max(crate::frame::FRAME_PREFIX_LEN), 0);
            let read = segment.read_at(&mut batch.data[start..], offset)?;
            batch.data.truncate(start + read);
            if read == 0 {
                if limit.is_some() {
                    break;
                }
                // End of a finished segment: continue in the next one.
                self.position.location = Location::new(ordinal + 1, SEGMENT_HEADER_LEN);
                continue;
            }
            let consumed = self.decode_into(batch, start, max_entries, &segment)?;
            if consumed == 0 {
                // The next frame is larger than what was read: read exactly that frame.
                let needed = match decode_frame(&batch.data[start..]) {
                    Err(FrameProblem::Incomplete { needed }) if needed > 0 => needed,
                    _ => crate::frame::FRAME_PREFIX_LEN,
                };
                if limit.is_some_and(|limit| offset + needed as u64 > limit) {
                    return Err(corrupt(
                        &segment,
                        offset,
                        "frame runs past the committed end",
                    ));
                }
                batch.data.resize(start + needed, 0);
                segment
                    .read_exact_at(&mut batch.data[start..], offset)
                    .map_err(|_| {
                        corrupt(&segment, offset, "frame runs past the end of the segment")
                    })?;
                let consumed = self.decode_into(batch, start, max_entries, &segment)?;
                if consumed == 0 {
                    return Err(corrupt(&segment, offset, "frame does not decode"));
                }
                batch.data.truncate(start + consumed);
            } else {
                batch.data.truncate(start + consumed);
            }
        }
        if !batch.frames.is_empty() {
            batch.end = Some(self.position);
        }
        Ok(())
    }

    /// Decodes whole frames from `batch.data[start..]`; returns the bytes they took.
    fn decode_into(
        &mut self,
        batch: &mut Batch,
        start: usize,
        max_entries: usize,
        segment: &SegmentFile,
    ) -> Result<usize> {
        let mut cursor = start;
        while batch.frames.len() < max_entries {
            let frame_offset = self.position.location.offset();
            match decode_frame(&batch.data[cursor..]) {
                Ok(frame) => {
                    if frame.seq != self.position.next_seq {
                        return Err(corrupt(
                            segment,
                            frame_offset,
                            &format!(
                                "expected sequence {} but found {}",
                                self.position.next_seq, frame.seq
                            ),
                        ));
                    }
                    let id_start =
                        cursor + crate::frame::FRAME_PREFIX_LEN + crate::frame::BODY_FIXED_LEN;
                    let payload_start = id_start + frame.event_id.len();
                    batch.frames.push(FrameSpan {
                        seq: frame.seq,
                        arrival_millis: frame.arrival_millis,
                        location: self.position.location,
                        id: (id_start, payload_start),
                        payload: (payload_start, cursor + frame.frame_len),
                    });
                    cursor += frame.frame_len;
                    self.position = Position {
                        next_seq: frame.seq + 1,
                        location: Location::new(
                            segment.ordinal,
                            frame_offset + frame.frame_len as u64,
                        ),
                    };
                }
                Err(FrameProblem::Incomplete { .. }) => break,
                Err(FrameProblem::Invalid(reason)) => {
                    return Err(corrupt(segment, frame_offset, reason));
                }
            }
        }
        Ok(cursor - start)
    }
}

fn corrupt(segment: &SegmentFile, offset: u64, reason: &str) -> Error {
    Error::Corrupt {
        path: segment.path.clone(),
        offset,
        reason: reason.to_owned(),
    }
}

/// Bytes read first when fetching one entry; most records are smaller.
const ENTRY_READ_GUESS: usize = 4096;

/// Reads the entry at `location`.
pub(crate) fn read_entry_at(shared: &Shared, location: Location) -> Result<OwnedEntry> {
    let Some(segment) = shared.segment(location.ordinal()) else {
        let oldest = shared
            .first_segment()
            .map_or(0, |segment| segment.first_seq);
        return Err(Error::Expired { seq: 0, oldest });
    };
    let mut buffer = vec![0u8; ENTRY_READ_GUESS];
    let read = segment.read_at(&mut buffer, location.offset())?;
    buffer.truncate(read);
    let needed = match decode_frame(&buffer) {
        Ok(frame) => return Ok(owned(frame, location)),
        Err(FrameProblem::Incomplete { needed }) if needed > buffer.len() => needed,
        Err(FrameProblem::Incomplete { .. }) => {
            return Err(corrupt(
                &segment,
                location.offset(),
                "no frame at this location",
            ));
        }
        Err(FrameProblem::Invalid(reason)) => {
            return Err(corrupt(&segment, location.offset(), reason));
        }
    };
    buffer.resize(needed, 0);
    segment
        .read_exact_at(&mut buffer, location.offset())
        .map_err(|_| {
            corrupt(
                &segment,
                location.offset(),
                "frame runs past the end of the segment",
            )
        })?;
    match decode_frame(&buffer) {
        Ok(frame) => Ok(owned(frame, location)),
        Err(_) => Err(corrupt(
            &segment,
            location.offset(),
            "frame does not decode",
        )),
    }
}

fn owned(frame: crate::frame::DecodedFrame<'_>, location: Location) -> OwnedEntry {
    OwnedEntry {
        seq: frame.seq,
        arrival: Timestamp::from_millis(frame.arrival_millis),
        location,
        event_id: frame.event_id.to_owned(),
        payload: frame.payload.to_vec(),
    }
}

/// Inserts the event ID of every durable frame from `start` on into `ids`; returns how
/// many frames were read.
pub(crate) fn replay_ids(shared: &Arc<Shared>, start: Position, ids: &mut IdTable) -> Result<u64> {
    let mut reader = JournalReader::new(Arc::clone(shared), start)?;
    let first_kept = shared.first_segment().map_or(0, |segment| segment.ordinal);
    let keep = move |location: Location| location.ordinal() >= first_kept;
    let mut replayed = 0;
    loop {
        let batch = reader.read_batch(65_536, 64 * 1024 * 1024)?;
        if batch.is_empty() {
            return Ok(replayed);
        }
        for entry in batch.iter() {
            ids.insert(id_hash(entry.event_id), entry.location, &keep)?;
            replayed += 1;
        }
    }
}
