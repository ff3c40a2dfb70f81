//! Recovery from torn and damaged segments.

use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use opentrail_journal::{ErrorKind, Journal, JournalConfig};
use opentrail_types::SystemClock;

use crate::basics::{entry, read_all};

fn last_segment(dir: &Path) -> PathBuf {
    let mut segments: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "seg"))
        .collect();
    segments.sort();
    segments.pop().unwrap()
}

fn write_ten(dir: &Path) -> u64 {
    let journal = Journal::open(dir, JournalConfig::default(), Arc::new(SystemClock)).unwrap();
    journal
        .append((0..10).map(|index| entry(&format!("id-{index}"))).collect())
        .unwrap();
    journal.close();
    fs::metadata(last_segment(dir)).unwrap().len()
}

#[test]
fn every_torn_tail_is_cut_back_to_whole_frames() {
    let template = tempfile::tempdir().unwrap();
    let full_len = write_ten(template.path());
    let frame_len = (full_len - 16) / 10;
    for cut in (16..full_len).step_by(7) {
        let dir = tempfile::tempdir().unwrap();
        for file in fs::read_dir(template.path()).unwrap() {
            let file = file.unwrap();
            fs::copy(file.path(), dir.path().join(file.file_name())).unwrap();
        }
        let segment = last_segment(dir.path());
        OpenOptions::new()
            .write(true)
            .open(&segment)
            .unwrap()
            .set_len(cut)
            .unwrap();
        let journal =
            Journal::open(dir.path(), JournalConfig::default(), Arc::new(SystemClock)).unwrap();
        let kept = read_all(&journal);
        assert_eq!(kept.len() as u64, (cut - 16) / frame_len, "cut at {cut}");
        // The journal goes on from the cut, with the next sequence number.
        let outcome = journal.append(vec![entry("after")]).unwrap();
        assert!(
            matches!(outcome[0], opentrail_journal::AppendOutcome::Appended { seq, .. } if seq == kept.len() as u64 + 1)
        );
        // IDs cut away can be appended again: they were never acknowledged.
        if kept.len() < 10 {
            let again = journal.append(vec![entry("id-9")]).unwrap();
            assert!(matches!(
                again[0],
                opentrail_journal::AppendOutcome::Appended { .. }
            ));
        }
    }
}

#[test]
fn a_damaged_last_frame_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    let full_len = write_ten(dir.path());
    let segment = last_segment(dir.path());
    let mut bytes = fs::read(&segment).unwrap();
    let index = usize::try_from(full_len).unwrap() - 3;
    bytes[index] ^= 0x55;
    fs::write(&segment, bytes).unwrap();
    let journal =
        Journal::open(dir.path(), JournalConfig::default(), Arc::new(SystemClock)).unwrap();
    assert_eq!(read_all(&journal).len(), 9);
}

#[test]
fn damage_followed_by_good_frames_is_refused_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write_ten(dir.path());
    let segment = last_segment(dir.path());
    let mut bytes = fs::read(&segment).unwrap();
    bytes[16 + 30] ^= 0x01;
    fs::write(&segment, bytes).unwrap();
    let error =
        Journal::open(dir.path(), JournalConfig::default(), Arc::new(SystemClock)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Corrupt);
    assert!(
        error.to_string().contains("refusing to drop good records"),
        "{error}"
    );
}

#[test]
fn garbage_appended_after_the_last_frame_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    write_ten(dir.path());
    let segment = last_segment(dir.path());
    let mut bytes = fs::read(&segment).unwrap();
    bytes.extend_from_slice(&[0u8; 4096]);
    bytes.extend_from_slice(b"\xff\xff\xff\x7fgarbage that is not a frame");
    fs::write(&segment, bytes).unwrap();
    let journal =
        Journal::open(dir.path(), JournalConfig::default(), Arc::new(SystemClock)).unwrap();
    assert_eq!(read_all(&journal).len(), 10);
}

#[test]
fn a_segment_torn_while_being_created_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    write_ten(dir.path());
    let torn = dir.path().join("0000000001-00000000000000000011.seg");
    fs::write(&torn, b"OTJR").unwrap();
    let journal =
        Journal::open(dir.path(), JournalConfig::default(), Arc::new(SystemClock)).unwrap();
    assert_eq!(read_all(&journal).len(), 10);
    assert!(!torn.try_exists().unwrap());
}
