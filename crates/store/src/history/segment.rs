//! The history index segment: an immutable, newest-first index of a set of events.
//!
//! Docs (one per event) are ordered by event time, newest first, then by journal sequence
//! number, highest first — the order `LookupEvents` returns. A doc's position in that order
//! is its *ordinal*. Layout (little-endian):
//!
//! ```text
//! header (104 bytes)
//!   0 magic b"OTHIDX\0\0"  8 version u32 (1)  12 reserved u32
//!  16 doc count u64   24 total postings u64   32 fst length u64
//!  40 first seq u64   48 last seq u64   56 min time i64   64 max time i64
//!  72 min arrival i64 80 max arrival i64  88 reserved (16)
//! columns, one value per ordinal
//!   event time (ms, i64) | journal seq (u64) | journal location (u64) | arrival (ms, i64) | flags (u8)
//! event ID hashes: xxh3-64 of every eventID (u64), sorted; then the matching ordinals (u32)
//! postings: u32 ordinals, ascending within each list, lists in term order
//! term dictionary: an fst map from `[kind byte] ++ value` to `(first posting << 24) | length`
//! footer: CRC-32 of everything before it (u32)
//! ```
//!
//! Flags: bits 0–2 the category code ([`opentrail_event::EventCategory::code`]), bits 3–4
//! `readOnly` (0 absent, 1 false, 2 true).

use std::io::{self, Write};
use std::sync::Arc;

#[cfg(test)]
use fst::IntoStreamer;
use fst::Streamer;

/// Magic bytes opening a segment.
const MAGIC: &[u8; 8] = b"OTHIDX\0\0";
/// Current format version.
const VERSION: u32 = 1;
const HEADER_LEN: usize = 104;
/// Most docs in one segment: posting lengths are stored in 24 bits.
pub(crate) const MAX_SEGMENT_DOCS: usize = (1 << 24) - 1;

/// `readOnly` as stored in the flags.
pub(crate) const READ_ONLY_ABSENT: u8 = 0;
pub(crate) const READ_ONLY_FALSE: u8 = 1;
pub(crate) const READ_ONLY_TRUE: u8 = 2;

/// Packs a doc's flags.
pub(crate) fn pack_flags(category_code: u8, read_only: u8) -> u8 {
    (category_code & 0b111) | ((read_only & 0b11) << 3)
}

/// The category code stored in `flags`.
pub(crate) fn flags_category(flags: u8) -> u8 {
    flags & 0b111
}

/// The `readOnly` value stored in `flags`.
pub(crate) fn flags_read_only(flags: u8) -> u8 {
    (flags >> 3) & 0b11
}

/// One event to index.
#[derive(Debug, Clone)]
pub(crate) struct DocInput {
    pub time_ms: i64,
    pub seq: u64,
    pub location: u64,
    pub arrival_ms: i64,
    pub flags: u8,
    pub id_hash: u64,
    /// Index keys: `[kind byte] ++ value`.
    pub terms: Vec<Vec<u8>>,
}

/// The columns of a segment being written, in ordinal order.
#[derive(Debug, Default)]
struct Columns {
    times: Vec<i64>,
    seqs: Vec<u64>,
    locations: Vec<u64>,
    arrivals: Vec<i64>,
    flags: Vec<u8>,
}

impl Columns {
    fn with_capacity(count: usize) -> Columns {
        Columns {
            times: Vec::with_capacity(count),
            seqs: Vec::with_capacity(count),
            locations: Vec::with_capacity(count),
            arrivals: Vec::with_capacity(count),
            flags: Vec::with_capacity(count),
        }
    }

    fn push(&mut self, time: i64, seq: u64, location: u64, arrival: i64, flags: u8) {
        self.times.push(time);
        self.seqs.push(seq);
        self.locations.push(location);
        self.arrivals.push(arrival);
        self.flags.push(flags);
    }

    fn len(&self) -> usize {
        self.times.len()
    }
}

/// Writes a segment of `docs` (any order) to `out`.
pub(crate) fn build_segment<W: Write>(mut docs: Vec<DocInput>, out: W) -> io::Result<()> {
    docs.sort_unstable_by_key(|doc| std::cmp::Reverse((doc.time_ms, doc.seq)));
    let mut columns = Columns::with_capacity(docs.len());
    let mut ids = Vec::with_capacity(docs.len());
    // FxHash: the keys are short and not chosen by an adversary who could exploit it.
    let mut terms: rustc_hash::FxHashMap<Vec<u8>, Vec<u32>> = rustc_hash::FxHashMap::default();
    for (ordinal, doc) in docs.into_iter().enumerate() {
        let ordinal = ordinal_u32(ordinal)?;
        columns.push(
            doc.time_ms,
            doc.seq,
            doc.location,
            doc.arrival_ms,
            doc.flags,
        );
        ids.push((doc.id_hash, ordinal));
        for term in doc.terms {
            let postings = terms.entry(term).or_default();
            // A doc may list the same term twice (two resources of one name).
            if postings.last() != Some(&ordinal) {
                postings.push(ordinal);
            }
        }
    }
    let mut sorted: Vec<(Vec<u8>, Vec<u32>)> = terms.into_iter().collect();
    sorted.sort_unstable_by(|left, right| left.0.cmp(&right.0));
    write_segment(out, &columns, ids, |emit| {
        for (key, postings) in &sorted {
            emit(key, postings)?;
        }
        Ok(())
    })
}

fn ordinal_u32(ordinal: usize) -> io::Result<u32> {
    if ordinal >= MAX_SEGMENT_DOCS {
        return Err(io::Error::other(format!(
            "a segment holds at most {MAX_SEGMENT_DOCS} docs"
        )));
    }
    u32::try_from(ordinal).map_err(io::Error::other)
}

type TermEmitter<'a> = dyn FnMut(&[u8], &[u32]) -> io::Result<()> + 'a;

/// Writes the columns, the sorted ID table and the terms (which `write_terms` hands over
/// in ascending key order) as one segment.
fn write_segment<W: Write>(
    out: W,
    columns: &Columns,
    mut ids: Vec<(u64, u32)>,
    write_terms: impl FnOnce(&mut TermEmitter<'_>) -> io::Result<()>,
) -> io::Result<()> {
    let count = columns.len();
    // Postings and the dictionary are collected first: the header needs their sizes.
    let mut postings: Vec<u8> = Vec::new();
    let mut dictionary = fst::MapBuilder::memory();
    let mut total_postings: u64 = 0;
    write_terms(&mut |key, list| {
        let length = u64::try_from(list.len()).map_err(io::Error::other)?;
        dictionary
            .insert(key, (total_postings << 24) | length)
            .map_err(io::Error::other)?;
        for ordinal in list {
            postings.extend_from_slice(&ordinal.to_le_bytes());
        }
        total_postings += length;
        Ok(())
    })?;
    let dictionary = dictionary.into_inner().map_err(io::Error::other)?;
    ids.sort_unstable();

    let mut out = CrcWriter {
        inner: out,
        hasher: crc32fast::Hasher::new(),
    };
    let mut header = [0u8; HEADER_LEN];
    header[..8].copy_from_slice(MAGIC);
    header[8..12].copy_from_slice(&VERSION.to_le_bytes());
    let put_u64 = |header: &mut [u8; HEADER_LEN], at: usize, value: u64| {
        header[at..at + 8].copy_from_slice(&value.to_le_bytes());
    };
    put_u64(&mut header, 16, count as u64);
    put_u64(&mut header, 24, total_postings);
    put_u64(&mut header, 32, dictionary.len() as u64);
    put_u64(
        &mut header,
        40,
        columns.seqs.iter().copied().min().unwrap_or(0),
    );
    put_u64(
        &mut header,
        48,
        columns.seqs.iter().copied().max().unwrap_or(0),
    );
    let signed = |value: i64| u64::from_le_bytes(value.to_le_bytes());
    put_u64(
        &mut header,
        56,
        signed(columns.times.iter().copied().min().unwrap_or(0)),
    );
    put_u64(
        &mut header,
        64,
        signed(columns.times.iter().copied().max().unwrap_or(0)),
    );
    put_u64(
        &mut header,
        72,
        signed(columns.arrivals.iter().copied().min().unwrap_or(0)),
    );
    put_u64(
        &mut header,
        80,
        signed(columns.arrivals.iter().copied().max().unwrap_or(0)),
    );
    out.write_all(&header)?;
    let mut buffer = Vec::with_capacity(count * 8);
    for value in &columns.times {
        buffer.extend_from_slice(&value.to_le_bytes());
    }
    out.write_all(&buffer)?;
    buffer.clear();
    for value in &columns.seqs {
        buffer.extend_from_slice(&value.to_le_bytes());
    }
    out.write_all(&buffer)?;
    buffer.clear();
    for value in &columns.locations {
        buffer.extend_from_slice(&value.to_le_bytes());
    }
    out.write_all(&buffer)?;
    buffer.clear();
    for value in &columns.arrivals {
        buffer.extend_from_slice(&value.to_le_bytes());
    }
    out.write_all(&buffer)?;
    out.write_all(&columns.flags)?;
    buffer.clear();
    for (hash, _) in &ids {
        buffer.extend_from_slice(&hash.to_le_bytes());
    }
    out.write_all(&buffer)?;
    buffer.clear();
    for (_, ordinal) in &ids {
        buffer.extend_from_slice(&ordinal.to_le_bytes());
    }
    out.write_all(&buffer)?;
    out.write_all(&postings)?;
    out.write_all(&dictionary)?;
    let crc = out.hasher.clone().finalize();
    out.inner.write_all(&crc.to_le_bytes())?;
    out.inner.flush()
}

struct CrcWriter<W> {
    inner: W,
    hasher: crc32fast::Hasher,
}

impl<W: Write> Write for CrcWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.inner.write_all(bytes)?;
        self.hasher.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The bytes of a segment: in memory (just built) or mapped from its file.
#[derive(Debug)]
pub(crate) enum Storage {
    Memory(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl AsRef<[u8]> for Storage {
    fn as_ref(&self) -> &[u8] {
        match self {
            Storage::Memory(bytes) => bytes,
            Storage::Mapped(map) => map,
        }
    }
}

/// A range of a shared [`Storage`], so the fst can own its slice.
#[derive(Debug, Clone)]
pub(crate) struct SubSlice {
    storage: Arc<Storage>,
    start: usize,
    end: usize,
}

impl AsRef<[u8]> for SubSlice {
    fn as_ref(&self) -> &[u8] {
        let bytes: &[u8] = (*self.storage).as_ref();
        &bytes[self.start..self.end]
    }
}

/// A posting list: ascending ordinals.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Postings<'a> {
    bytes: &'a [u8],
}

impl<'a> Postings<'a> {
    /// A list of little-endian `u32` ordinals.
    #[cfg(test)]
    pub fn from_bytes(bytes: &'a [u8]) -> Postings<'a> {
        Postings { bytes }
    }

    pub fn len(&self) -> usize {
        self.bytes.len() / 4
    }

    pub fn get(&self, index: usize) -> u32 {
        read_u32(self.bytes, index * 4)
    }

    /// Index of the first ordinal ≥ `ordinal`.
    pub fn lower_bound(&self, ordinal: u32) -> usize {
        partition_point(self.len(), |index| self.get(index) < ordinal)
    }

    /// Whether `ordinal` is in the list.
    pub fn contains(&self, ordinal: u32) -> bool {
        let index = self.lower_bound(ordinal);
        index < self.len() && self.get(index) == ordinal
    }

    /// The part of the list inside `start..end`.
    pub fn within(&self, start: u32, end: u32) -> Postings<'a> {
        let len = self.len();
        if len == 0 || start >= end || self.get(0) >= end || self.get(len - 1) < start {
            return Postings { bytes: &[] };
        }
        let first = if self.get(0) >= start {
            0
        } else {
            self.lower_bound(start)
        };
        let last = if self.get(len - 1) < end {
            len
        } else {
            self.lower_bound(end)
        };
        Postings {
            bytes: &self.bytes[first * 4..last * 4],
        }
    }
}

/// Why a segment cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct SegmentError(pub String);

/// A readable segment.
#[derive(Debug)]
pub(crate) struct SegmentReader {
    storage: Arc<Storage>,
    count: usize,
    pub first_seq: u64,
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "part of the format; read by tests")
    )]
    pub last_seq: u64,
    pub min_time: i64,
    pub max_time: i64,
    pub min_arrival: i64,
    pub max_arrival: i64,
    times: usize,
    seqs: usize,
    locations: usize,
    arrivals: usize,
    flags: usize,
    id_hashes: usize,
    id_ordinals: usize,
    postings: usize,
    dictionary: fst::Map<SubSlice>,
}

impl SegmentReader {
    /// Opens a segment, checking its header, sizes and checksum.
    pub fn open(storage: Storage) -> Result<SegmentReader, SegmentError> {
        let storage = Arc::new(storage);
        let bytes: &[u8] = (*storage).as_ref();
        if bytes.len() < HEADER_LEN + 4 || &bytes[..8] != MAGIC {
            return Err(SegmentError(String::from("not a history segment")));
        }
        let version = read_u32(bytes, 8);
        if version != VERSION {
            return Err(SegmentError(format!(
                "unsupported history segment version {version}"
            )));
        }
        let body_len = bytes.len() - 4;
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(&bytes[..body_len]);
        if hasher.finalize() != read_u32(bytes, body_len) {
            return Err(SegmentError(String::from(
                "history segment checksum mismatch",
            )));
        }
        let too_big = |_| SegmentError(String::from("history segment sizes overflow"));
        let count = usize::try_from(read_u64(bytes, 16)).map_err(too_big)?;
        let total_postings = usize::try_from(read_u64(bytes, 24)).map_err(too_big)?;
        let dictionary_len = usize::try_from(read_u64(bytes, 32)).map_err(too_big)?;
        let times = HEADER_LEN;
        let seqs = times + count * 8;
        let locations = seqs + count * 8;
        let arrivals = locations + count * 8;
        let flags = arrivals + count * 8;
        let id_hashes = flags + count;
        let id_ordinals = id_hashes + count * 8;
        let postings = id_ordinals + count * 4;
        let dictionary_start = postings + total_postings * 4;
        if dictionary_start + dictionary_len != body_len {
            return Err(SegmentError(String::from(
                "history segment sections do not add up",
            )));
        }
        let dictionary = fst::Map::new(SubSlice {
            storage: Arc::clone(&storage),
            start: dictionary_start,
            end: body_len,
        })
        .map_err(|error| SegmentError(format!("history segment dictionary: {error}")))?;
        let signed = |at: usize| i64::from_le_bytes(read_u64(bytes, at).to_le_bytes());
        Ok(SegmentReader {
            count,
            first_seq: read_u64(bytes, 40),
            last_seq: read_u64(bytes, 48),
            min_time: signed(56),
            max_time: signed(64),
            min_arrival: signed(72),
            max_arrival: signed(80),
            times,
            seqs,
            locations,
            arrivals,
            flags,
            id_hashes,
            id_ordinals,
            postings,
            dictionary,
            storage,
        })
    }

    fn bytes(&self) -> &[u8] {
        (*self.storage).as_ref()
    }

    /// Number of docs.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn time(&self, ordinal: usize) -> i64 {
        i64::from_le_bytes(read_u64(self.bytes(), self.times + ordinal * 8).to_le_bytes())
    }

    pub fn seq(&self, ordinal: usize) -> u64 {
        read_u64(self.bytes(), self.seqs + ordinal * 8)
    }

    pub fn location(&self, ordinal: usize) -> u64 {
        read_u64(self.bytes(), self.locations + ordinal * 8)
    }

    pub fn arrival(&self, ordinal: usize) -> i64 {
        i64::from_le_bytes(read_u64(self.bytes(), self.arrivals + ordinal * 8).to_le_bytes())
    }

    pub fn flags(&self, ordinal: usize) -> u8 {
        self.bytes()[self.flags + ordinal]
    }

    /// The postings of term `key`, or `None` when no doc has it.
    pub fn postings(&self, key: &[u8]) -> Option<Postings<'_>> {
        let value = self.dictionary.get(key)?;
        Some(self.postings_at(value))
    }

    /// The postings a dictionary value (as streamed by [`SegmentReader::kind_terms`])
    /// points to.
    pub fn postings_at(&self, value: u64) -> Postings<'_> {
        let (start, length) = unpack_postings(value);
        let start = self.postings + start * 4;
        Postings {
            bytes: &self.bytes()[start..start + length * 4],
        }
    }

    /// The flags of ordinals `start..end`.
    pub fn flags_column(&self, start: usize, end: usize) -> &[u8] {
        &self.bytes()[self.flags + start..self.flags + end]
    }

    /// The terms of one kind (keys starting with byte `kind`), in key order, with their
    /// dictionary values.
    pub fn kind_terms(&self, kind: u8) -> fst::map::StreamBuilder<'_> {
        let range = self.dictionary.range().ge([kind]);
        match kind.checked_add(1) {
            Some(next) => range.lt([next]),
            None => range,
        }
    }

    /// Ordinals of docs whose eventID hashes to `hash`.
    pub fn ordinals_with_id_hash(&self, hash: u64) -> Vec<u32> {
        let bytes = self.bytes();
        let hash_at = |index: usize| read_u64(bytes, self.id_hashes + index * 8);
        let mut index = partition_point(self.count, |index| hash_at(index) < hash);
        let mut found = Vec::new();
        while index < self.count && hash_at(index) == hash {
            found.push(read_u32(bytes, self.id_ordinals + index * 4));
            index += 1;
        }
        found.sort_unstable();
        found
    }

    /// The first ordinal whose doc comes after `(time, seq)` in newest-first order.
    pub fn first_after(&self, time: i64, seq: u64) -> usize {
        partition_point(self.count, |ordinal| {
            let (doc_time, doc_seq) = (self.time(ordinal), self.seq(ordinal));
            doc_time > time || (doc_time == time && doc_seq >= seq)
        })
    }

    /// The first ordinal whose event time is ≤ `time`.
    pub fn first_at_or_before(&self, time: i64) -> usize {
        partition_point(self.count, |ordinal| self.time(ordinal) > time)
    }

    /// The first ordinal whose event time is < `time`.
    pub fn first_before(&self, time: i64) -> usize {
        partition_point(self.count, |ordinal| self.time(ordinal) >= time)
    }

    /// Streams every term with its postings, in key order.
    fn terms(&self) -> fst::map::Stream<'_> {
        self.dictionary.stream()
    }
}

fn unpack_postings(value: u64) -> (usize, usize) {
    let start = usize::try_from(value >> 24).unwrap_or(usize::MAX);
    let length = usize::try_from(value & ((1 << 24) - 1)).unwrap_or(0);
    (start, length)
}

/// Merges `segments` into one written to `out`, dropping docs for which `keep` is false.
/// Returns the number of docs written.
pub(crate) fn merge_segments<W: Write>(
    segments: &[&SegmentReader],
    keep: &dyn Fn(&SegmentReader, usize) -> bool,
    out: W,
) -> io::Result<usize> {
    let total: usize = segments.iter().map(|segment| segment.len()).sum();
    // New ordinals: a k-way merge of the inputs' newest-first orders.
    let mut remap: Vec<Vec<u32>> = segments
        .iter()
        .map(|segment| vec![u32::MAX; segment.len()])
        .collect();
    let mut columns = Columns::with_capacity(total);
    let mut ids = Vec::with_capacity(total);
    let mut heads = vec![0usize; segments.len()];
    let mut heap = std::collections::BinaryHeap::new();
    for (index, segment) in segments.iter().enumerate() {
        if segment.len() > 0 {
            heap.push((segment.time(0), segment.seq(0), std::cmp::Reverse(index)));
        }
    }
    while let Some((_, _, std::cmp::Reverse(index))) = heap.pop() {
        let segment = segments[index];
        let ordinal = heads[index];
        heads[index] += 1;
        if heads[index] < segment.len() {
            let next = heads[index];
            heap.push((
                segment.time(next),
                segment.seq(next),
                std::cmp::Reverse(index),
            ));
        }
        if !keep(segment, ordinal) {
            continue;
        }
        let new_ordinal = ordinal_u32(columns.len())?;
        remap[index][ordinal] = new_ordinal;
        columns.push(
            segment.time(ordinal),
            segment.seq(ordinal),
            segment.location(ordinal),
            segment.arrival(ordinal),
            segment.flags(ordinal),
        );
    }
    // The ID tables are sorted by hash, not ordinal: carry them over in a second pass.
    for (index, segment) in segments.iter().enumerate() {
        let bytes = segment.bytes();
        for position in 0..segment.len() {
            let ordinal =
                usize::try_from(read_u32(bytes, segment.id_ordinals + position * 4)).unwrap_or(0);
            let new_ordinal = remap[index][ordinal];
            if new_ordinal != u32::MAX {
                ids.push((
                    read_u64(bytes, segment.id_hashes + position * 8),
                    new_ordinal,
                ));
            }
        }
    }
    let written = columns.len();
    let mut union = fst::map::OpBuilder::new();
    for segment in segments {
        union.push(segment.terms());
    }
    let mut union = union.union();
    write_segment(out, &columns, ids, |emit| {
        let mut merged: Vec<u32> = Vec::new();
        while let Some((key, values)) = union.next() {
            merged.clear();
            for value in values {
                let segment = segments[value.index];
                let (start, length) = unpack_postings(value.value);
                let postings = Postings {
                    bytes: &segment.bytes()
                        [segment.postings + start * 4..segment.postings + (start + length) * 4],
                };
                for position in 0..postings.len() {
                    let new_ordinal = remap[value.index][postings.get(position) as usize];
                    if new_ordinal != u32::MAX {
                        merged.push(new_ordinal);
                    }
                }
            }
            if merged.is_empty() {
                continue;
            }
            merged.sort_unstable();
            emit(key, &merged)?;
        }
        Ok(())
    })?;
    Ok(written)
}

/// Streams a term dictionary for tests.
#[cfg(test)]
pub(crate) fn all_terms(segment: &SegmentReader) -> Vec<(Vec<u8>, Vec<u32>)> {
    let mut stream = segment.terms().into_stream();
    let mut all = Vec::new();
    while let Some((key, _)) = stream.next() {
        let postings = segment
            .postings(key)
            .map(|list| (0..list.len()).map(|index| list.get(index)).collect());
        all.push((key.to_vec(), postings.unwrap_or_default()));
    }
    all
}

/// Index of the first element of `0..len` for which `is_before` is false (`is_before`
/// must be true for a prefix and false after it).
pub(crate) fn partition_point(len: usize, is_before: impl Fn(usize) -> bool) -> usize {
    let (mut low, mut high) = (0, len);
    while low < high {
        let middle = low + (high - low) / 2;
        if is_before(middle) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    low
}

fn read_u64(bytes: &[u8], at: usize) -> u64 {
    let mut array = [0u8; 8];
    array.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(array)
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    let mut array = [0u8; 4];
    array.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(array)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(time: i64, seq: u64, terms: &[&str]) -> DocInput {
        DocInput {
            time_ms: time,
            seq,
            location: seq * 100,
            arrival_ms: 1_000 + i64::try_from(seq).unwrap(),
            flags: pack_flags(0, READ_ONLY_TRUE),
            id_hash: seq * 7,
            terms: terms.iter().map(|term| term.as_bytes().to_vec()).collect(),
        }
    }

    fn build(docs: Vec<DocInput>) -> SegmentReader {
        let mut bytes = Vec::new();
        build_segment(docs, &mut bytes).unwrap();
        SegmentReader::open(Storage::Memory(bytes)).unwrap()
    }

    #[test]
    fn docs_are_ordered_newest_first_with_their_columns() {
        let segment = build(vec![
            doc(10, 1, &["a"]),
            doc(30, 2, &["a", "b"]),
            doc(30, 3, &["b"]),
            doc(20, 4, &[]),
        ]);
        let order: Vec<(i64, u64)> = (0..segment.len())
            .map(|ordinal| (segment.time(ordinal), segment.seq(ordinal)))
            .collect();
        assert_eq!(order, [(30, 3), (30, 2), (20, 4), (10, 1)]);
        assert_eq!(segment.location(2), 400);
        assert_eq!(segment.arrival(3), 1_001);
        assert_eq!(flags_read_only(segment.flags(0)), READ_ONLY_TRUE);
        assert_eq!(
            (
                segment.first_seq,
                segment.last_seq,
                segment.min_time,
                segment.max_time
            ),
            (1, 4, 10, 30)
        );
        let postings = segment.postings(b"a").unwrap();
        assert_eq!(
            (0..postings.len())
                .map(|index| postings.get(index))
                .collect::<Vec<_>>(),
            [1, 3]
        );
        assert!(segment.postings(b"c").is_none());
        assert_eq!(segment.ordinals_with_id_hash(14), [1]);
        assert!(segment.ordinals_with_id_hash(15).is_empty());
    }

    #[test]
    fn cursors_and_time_bounds_find_their_ordinals() {
        let segment = build(vec![
            doc(10, 1, &[]),
            doc(30, 2, &[]),
            doc(30, 3, &[]),
            doc(20, 4, &[]),
        ]);
        assert_eq!(segment.first_after(30, 3), 1);
        assert_eq!(segment.first_after(30, 2), 2);
        assert_eq!(segment.first_after(25, 0), 2);
        assert_eq!(segment.first_at_or_before(20), 2);
        assert_eq!(segment.first_before(20), 3);
        assert_eq!(segment.first_before(5), 4);
    }

    #[test]
    fn damaged_segments_are_refused() {
        let mut bytes = Vec::new();
        build_segment(vec![doc(1, 1, &["x"])], &mut bytes).unwrap();
        for index in [0, 20, HEADER_LEN + 3, bytes.len() - 1] {
            let mut damaged = bytes.clone();
            damaged[index] ^= 0x10;
            assert!(
                SegmentReader::open(Storage::Memory(damaged)).is_err(),
                "{index}"
            );
        }
        assert!(SegmentReader::open(Storage::Memory(bytes[..bytes.len() - 2].to_vec())).is_err());
    }

    #[test]
    fn merging_equals_building_from_all_docs() {
        let first: Vec<DocInput> = (1..=50)
            .map(|seq| {
                doc(
                    i64::try_from(seq % 7).unwrap(),
                    seq,
                    &["a", if seq % 2 == 0 { "even" } else { "odd" }],
                )
            })
            .collect();
        let second: Vec<DocInput> = (51..=80)
            .map(|seq| doc(i64::try_from(seq % 5).unwrap(), seq, &["b", "odd"]))
            .collect();
        let all: Vec<DocInput> = first.iter().chain(second.iter()).cloned().collect();
        let left = build(first);
        let right = build(second);
        let mut merged_bytes = Vec::new();
        let written = merge_segments(&[&left, &right], &|_, _| true, &mut merged_bytes).unwrap();
        assert_eq!(written, 80);
        let merged = SegmentReader::open(Storage::Memory(merged_bytes)).unwrap();
        let expected = build(all);
        assert_eq!(all_terms(&merged), all_terms(&expected));
        for ordinal in 0..80 {
            assert_eq!(
                (merged.time(ordinal), merged.seq(ordinal)),
                (expected.time(ordinal), expected.seq(ordinal))
            );
        }
        assert_eq!(
            merged.ordinals_with_id_hash(7 * 60),
            expected.ordinals_with_id_hash(7 * 60)
        );
    }

    #[test]
    fn merging_can_drop_docs() {
        let segment = build((1..=10).map(|seq| doc(0, seq, &["t"])).collect());
        let mut bytes = Vec::new();
        let keep_even =
            |segment: &SegmentReader, ordinal: usize| segment.seq(ordinal).is_multiple_of(2);
        assert_eq!(
            merge_segments(&[&segment], &keep_even, &mut bytes).unwrap(),
            5
        );
        let merged = SegmentReader::open(Storage::Memory(bytes)).unwrap();
        assert_eq!(merged.len(), 5);
        assert_eq!(merged.postings(b"t").unwrap().len(), 5);
        assert_eq!(merged.ordinals_with_id_hash(7 * 3), Vec::<u32>::new());
        assert_eq!(merged.ordinals_with_id_hash(7 * 4).len(), 1);
    }
}
