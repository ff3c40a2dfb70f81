//! Segment files: naming, creation, and recovery of the last one after a crash.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use crate::frame::{
    FrameProblem, SEGMENT_HEADER_LEN, check_segment_header, decode_frame, segment_header,
};
use crate::{Error, Result};

/// One segment file, open for reading.
#[derive(Debug)]
pub(crate) struct SegmentFile {
    /// Position in the sequence of segments (part of every [`crate::Location`]).
    pub ordinal: u32,
    /// Sequence number of its first frame.
    pub first_seq: u64,
    /// Where it is.
    pub path: PathBuf,
    /// A read handle, shared by readers (positional reads need no lock).
    pub file: File,
}

impl SegmentFile {
    /// Reads exactly `buffer.len()` bytes at `offset`.
    pub fn read_exact_at(&self, buffer: &mut [u8], offset: u64) -> Result<()> {
        self.file
            .read_exact_at(buffer, offset)
            .map_err(|error| Error::io(&self.path, error))
    }

    /// Reads up to `buffer.len()` bytes at `offset`; returns how many were read.
    pub fn read_at(&self, buffer: &mut [u8], offset: u64) -> Result<usize> {
        let mut filled = 0;
        while filled < buffer.len() {
            let read = self
                .file
                .read_at(&mut buffer[filled..], offset + filled as u64)
                .map_err(|error| Error::io(&self.path, error))?;
            if read == 0 {
                break;
            }
            filled += read;
        }
        Ok(filled)
    }
}

/// The file name of a segment: `<ordinal, 10 digits>-<first seq, 20 digits>.seg`.
pub(crate) fn segment_file_name(ordinal: u32, first_seq: u64) -> String {
    format!("{ordinal:010}-{first_seq:020}.seg")
}

fn parse_segment_file_name(name: &str) -> Option<(u32, u64)> {
    let stem = name.strip_suffix(".seg")?;
    let (ordinal, first_seq) = stem.split_once('-')?;
    if ordinal.len() != 10 || first_seq.len() != 20 {
        return None;
    }
    Some((ordinal.parse().ok()?, first_seq.parse().ok()?))
}

/// Creates a new, empty segment (header only), durable before it returns.
pub(crate) fn create_segment(
    dir: &Path,
    ordinal: u32,
    first_seq: u64,
) -> Result<(SegmentFile, File)> {
    let path = dir.join(segment_file_name(ordinal, first_seq));
    let mut writer = OpenOptions::new()
        .create_new(true)
        .append(true)
        .open(&path)
        .map_err(|error| Error::io(&path, error))?;
    writer
        .write_all(&segment_header())
        .map_err(|error| Error::io(&path, error))?;
    writer.sync_all().map_err(|error| Error::io(&path, error))?;
    sync_dir(dir)?;
    let file = File::open(&path).map_err(|error| Error::io(&path, error))?;
    Ok((
        SegmentFile {
            ordinal,
            first_seq,
            path,
            file,
        },
        writer,
    ))
}

/// Makes a folder's entries (created, renamed, removed files) durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|handle| handle.sync_all())
        .map_err(|error| Error::io(dir, error))
}

/// What recovery found.
#[derive(Debug)]
pub(crate) struct Recovered {
    /// Segments in order; the last is the one to append to.
    pub segments: Vec<SegmentFile>,
    /// Sequence number the next appended frame gets.
    pub next_seq: u64,
    /// Byte length of the last segment after any torn tail was cut.
    pub last_len: u64,
    /// Bytes cut from a torn tail (0 after a clean stop).
    pub cut_bytes: u64,
    /// Arrival time of the last good frame, to keep arrival times monotonic.
    pub last_arrival_millis: i64,
}

/// Opens the segments in `dir`, creating the first one in an empty journal, and repairs a
/// torn tail of the last segment.
///
/// Only the last segment can have been mid-write at a crash: earlier ones were synced
/// before the next was created. A bad frame in the last segment is a torn write when no
/// valid frame follows it, and is cut. When a valid frame follows, good records lie beyond
/// the damage: recovery stops with [`Error::Corrupt`] instead of dropping them.
pub(crate) fn recover(dir: &Path) -> Result<Recovered> {
    let mut found = Vec::new();
    let entries = fs::read_dir(dir).map_err(|error| Error::io(dir, error))?;
    for entry in entries {
        let entry = entry.map_err(|error| Error::io(dir, error))?;
        let name = entry.file_name();
        if let Some((ordinal, first_seq)) = name.to_str().and_then(parse_segment_file_name) {
            found.push((ordinal, first_seq, entry.path()));
        }
    }
    found.sort();
    for pair in found.windows(2) {
        let ((first_ordinal, first_seq, _), (second_ordinal, second_seq, path)) =
            (&pair[0], &pair[1]);
        if *second_ordinal != first_ordinal + 1 || second_seq < first_seq {
            return Err(Error::Corrupt {
                path: path.clone(),
                offset: 0,
                reason: String::from("segment files are not a contiguous sequence"),
            });
        }
    }
    // A crash while creating a segment can leave a file shorter than its header; it holds
    // nothing, so it is removed.
    while let Some((_, _, path)) = found.last() {
        let len = fs::metadata(path)
            .map_err(|error| Error::io(path, error))?
            .len();
        if len >= SEGMENT_HEADER_LEN || found.len() == 1 {
            break;
        }
        tracing::warn!(path = %path.display(), "removing a segment torn while being created");
        fs::remove_file(path).map_err(|error| Error::io(path, error))?;
        found.pop();
        sync_dir(dir)?;
    }
    let Some((last_ordinal, last_first_seq, last_path)) = found.last().cloned() else {
        let (segment, _) = create_segment(dir, 0, 1)?;
        return Ok(Recovered {
            segments: vec![segment],
            next_seq: 1,
            last_len: SEGMENT_HEADER_LEN,
            cut_bytes: 0,
            last_arrival_millis: i64::MIN,
        });
    };
    let mut bytes = fs::read(&last_path).map_err(|error| Error::io(&last_path, error))?;
    if bytes.len() < SEGMENT_HEADER_LEN as usize {
        // The only segment, torn while being created: rewrite its header.
        bytes = segment_header().to_vec();
        fs::write(&last_path, &bytes).map_err(|error| Error::io(&last_path, error))?;
    }
    check_segment_header(&bytes).map_err(|reason| Error::Corrupt {
        path: last_path.clone(),
        offset: 0,
        reason,
    })?;
    let scan = scan_frames(&bytes, last_first_seq);
    if let Some(bad_offset) = scan.bad_offset
        && let Some(later) = find_later_frame(&bytes, bad_offset, scan.next_seq)
    {
        return Err(Error::Corrupt {
            path: last_path,
            offset: bad_offset as u64,
            reason: format!(
                "damaged frame followed by a valid frame at byte {later}; refusing to drop good records"
            ),
        });
    }
    let good_len = scan.good_len as u64;
    let cut_bytes = bytes.len() as u64 - good_len;
    if cut_bytes > 0 {
        tracing::warn!(
            path = %last_path.display(),
            offset = good_len,
            cut_bytes,
            "cutting the torn tail of the journal"
        );
        let file = OpenOptions::new()
            .write(true)
            .open(&last_path)
            .map_err(|error| Error::io(&last_path, error))?;
        file.set_len(good_len)
            .map_err(|error| Error::io(&last_path, error))?;
        file.sync_all()
            .map_err(|error| Error::io(&last_path, error))?;
    }
    let mut segments = Vec::with_capacity(found.len());
    for (ordinal, first_seq, path) in found {
        let file = File::open(&path).map_err(|error| Error::io(&path, error))?;
        segments.push(SegmentFile {
            ordinal,
            first_seq,
            path,
            file,
        });
    }
    debug_assert_eq!(
        segments.last().map(|segment| segment.ordinal),
        Some(last_ordinal)
    );
    Ok(Recovered {
        segments,
        next_seq: scan.next_seq,
        last_len: good_len,
        cut_bytes,
        last_arrival_millis: scan.last_arrival_millis,
    })
}

struct Scan {
    good_len: usize,
    next_seq: u64,
    bad_offset: Option<usize>,
    last_arrival_millis: i64,
}

fn scan_frames(bytes: &[u8], first_seq: u64) -> Scan {
    let mut offset = SEGMENT_HEADER_LEN as usize;
    let mut next_seq = first_seq;
    let mut last_arrival_millis = i64::MIN;
    while offset < bytes.len() {
        match decode_frame(&bytes[offset..]) {
            Ok(frame) if frame.seq == next_seq => {
                offset += frame.frame_len;
                next_seq += 1;
                last_arrival_millis = frame.arrival_millis;
            }
            Ok(_) | Err(FrameProblem::Invalid(_)) => {
                return Scan {
                    good_len: offset,
                    next_seq,
                    bad_offset: Some(offset),
                    last_arrival_millis,
                };
            }
            Err(FrameProblem::Incomplete { .. }) => break,
        }
    }
    Scan {
        good_len: offset,
        next_seq,
        bad_offset: None,
        last_arrival_millis,
    }
}

/// Looks for a valid frame with a sequence number at or after `expected_seq` anywhere after
/// `bad_offset`: its presence means the damage is not a torn tail.
fn find_later_frame(bytes: &[u8], bad_offset: usize, expected_seq: u64) -> Option<usize> {
    ((bad_offset + 1)..bytes.len()).find(
        |&offset| matches!(decode_frame(&bytes[offset..]), Ok(frame) if frame.seq >= expected_seq),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        let name = segment_file_name(12, 345);
        assert_eq!(name, "0000000012-00000000000000000345.seg");
        assert_eq!(parse_segment_file_name(&name), Some((12, 345)));
        assert_eq!(parse_segment_file_name("12-345.seg"), None);
        assert_eq!(parse_segment_file_name("ids.tbl"), None);
    }

    #[test]
    fn an_empty_folder_gets_a_first_segment() {
        let dir = tempfile::tempdir().unwrap();
        let recovered = recover(dir.path()).unwrap();
        assert_eq!(recovered.next_seq, 1);
        assert_eq!(recovered.segments.len(), 1);
        assert_eq!(recovered.last_len, SEGMENT_HEADER_LEN);
        let again = recover(dir.path()).unwrap();
        assert_eq!(again.segments.len(), 1);
    }
}
