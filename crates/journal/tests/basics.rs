//! Appending, reading, deduplication, consumers, retention.

use std::sync::Arc;
use std::time::Duration;

use opentrail_journal::{AppendEntry, AppendOutcome, Journal, JournalConfig, Position};
use opentrail_types::{ManualClock, Timestamp};

pub fn entry(id: &str) -> AppendEntry {
    AppendEntry::new(id, format!(r#"{{"eventID":"{id}"}}"#).into_bytes())
}

pub fn small_config() -> JournalConfig {
    JournalConfig {
        segment_bytes: 4096,
        id_table_initial_slots: 16,
        ..JournalConfig::default()
    }
}

pub fn read_all(journal: &Journal) -> Vec<(u64, String, Vec<u8>)> {
    let mut reader = journal.reader(journal.start_position()).unwrap();
    let mut all = Vec::new();
    loop {
        let batch = reader.read_batch(1000, 1 << 20).unwrap();
        if batch.is_empty() {
            return all;
        }
        for entry in batch.iter() {
            all.push((entry.seq, entry.event_id.to_owned(), entry.payload.to_vec()));
        }
    }
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(Timestamp::from_secs(1_700_000_000)))
}

#[test]
fn appends_are_read_back_in_order_across_segments() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path(), small_config(), clock()).unwrap();
    for chunk in 0..20 {
        let entries = (0..10)
            .map(|index| entry(&format!("e-{chunk}-{index}")))
            .collect();
        journal.append(entries).unwrap();
    }
    let all = read_all(&journal);
    assert_eq!(all.len(), 200);
    for (index, (seq, id, payload)) in all.iter().enumerate() {
        assert_eq!(*seq, index as u64 + 1);
        assert_eq!(*id, format!("e-{}-{}", index / 10, index % 10));
        assert_eq!(*payload, format!(r#"{{"eventID":"{id}"}}"#).into_bytes());
    }
    let segments = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|entry| {
            entry
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|ext| ext == "seg")
        })
        .count();
    assert!(
        segments > 2,
        "segment_bytes 4096 should have rolled, got {segments} segment(s)"
    );
}

#[test]
fn duplicates_keep_the_first_copy_within_and_across_appends_and_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path(), small_config(), clock()).unwrap();
    let first = journal
        .append(vec![entry("a"), entry("b"), entry("a")])
        .unwrap();
    assert!(matches!(first[0], AppendOutcome::Appended { seq: 1, .. }));
    assert!(matches!(first[1], AppendOutcome::Appended { seq: 2, .. }));
    assert_eq!(first[2], AppendOutcome::Duplicate { seq: 1 });
    let second = journal.append(vec![entry("b"), entry("c")]).unwrap();
    assert_eq!(second[0], AppendOutcome::Duplicate { seq: 2 });
    journal.close();

    let journal = Journal::open(dir.path(), small_config(), clock()).unwrap();
    let third = journal
        .append(vec![entry("c"), entry("a"), entry("d")])
        .unwrap();
    assert_eq!(third[0], AppendOutcome::Duplicate { seq: 3 });
    assert_eq!(third[1], AppendOutcome::Duplicate { seq: 1 });
    assert!(matches!(third[2], AppendOutcome::Appended { seq: 4, .. }));
    let ids: Vec<String> = read_all(&journal)
        .into_iter()
        .map(|(_, id, _)| id)
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
}

#[test]
fn a_lost_event_id_table_is_rebuilt_from_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path(), small_config(), clock()).unwrap();
    let entries = (0..300)
        .map(|index| entry(&format!("id-{index}")))
        .collect();
    journal.append(entries).unwrap();
    journal.close();
    std::fs::remove_file(dir.path().join("ids.tbl")).unwrap();
    let journal = Journal::open(dir.path(), small_config(), clock()).unwrap();
    let outcomes = journal
        .append(vec![entry("id-150"), entry("id-300")])
        .unwrap();
    assert_eq!(outcomes[0], AppendOutcome::Duplicate { seq: 151 });
    assert!(matches!(
        outcomes[1],
        AppendOutcome::Appended { seq: 301, .. }
    ));
}

#[test]
fn many_threads_append_concurrently_without_gaps_or_repeats() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path(), JournalConfig::default(), clock()).unwrap();
    let threads: Vec<_> = (0..8)
        .map(|thread| {
            let journal = journal.clone();
            std::thread::spawn(move || {
                for round in 0..50 {
                    let entries = (0..20)
                        .map(|index| entry(&format!("t{thread}-{round}-{index}")))
                        .collect();
                    let outcomes = journal.append(entries).unwrap();
                    assert!(
                        outcomes
                            .iter()
                            .all(|outcome| matches!(outcome, AppendOutcome::Appended { .. }))
                    );
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let all = read_all(&journal);
    assert_eq!(all.len(), 8 * 50 * 20);
    let mut ids: Vec<&String> = all.iter().map(|(_, id, _)| id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all.len());
    assert!(
        all.iter()
            .enumerate()
            .all(|(index, (seq, _, _))| *seq == index as u64 + 1)
    );
}

#[test]
fn entries_are_read_by_location_and_arrival_is_stamped() {
    let dir = tempfile::tempdir().unwrap();
    let clock = clock();
    let journal = Journal::open(dir.path(), small_config(), clock.clone()).unwrap();
    journal.append(vec![entry("first")]).unwrap();
    clock.advance_millis(5_000);
    let outcomes = journal.append(vec![entry("second")]).unwrap();
    let AppendOutcome::Appended { location, .. } = outcomes[0] else {
        panic!("not appended")
    };
    let read = journal.read_entry(location).unwrap();
    assert_eq!(read.event_id, "second");
    assert_eq!(read.arrival, Timestamp::from_secs(1_700_000_005));
    // Arrival never goes back, even when the clock does.
    clock.advance_millis(-60_000);
    let outcomes = journal.append(vec![entry("third")]).unwrap();
    let AppendOutcome::Appended { location, .. } = outcomes[0] else {
        panic!("not appended")
    };
    assert_eq!(
        journal.read_entry(location).unwrap().arrival,
        Timestamp::from_secs(1_700_000_005)
    );
}

#[test]
fn invalid_entries_are_refused_without_writing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path(), small_config(), clock()).unwrap();
    let error = journal
        .append(vec![entry("ok"), AppendEntry::new("", Vec::new())])
        .unwrap_err();
    assert_eq!(error.kind(), opentrail_journal::ErrorKind::InvalidEntry);
    let error = journal
        .append(vec![AppendEntry::new("big", vec![b'x'; 5 * 1024 * 1024])])
        .unwrap_err();
    assert!(error.to_string().contains("over the"), "{error}");
    assert!(read_all(&journal).is_empty());
}

#[test]
fn readers_wake_when_new_frames_are_durable() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path(), small_config(), clock()).unwrap();
    let waiter = {
        let journal = journal.clone();
        std::thread::spawn(move || journal.wait_for_commit(1, Duration::from_secs(10)))
    };
    std::thread::sleep(Duration::from_millis(50));
    journal.append(vec![entry("x")]).unwrap();
    assert_eq!(waiter.join().unwrap().next_seq, 2);
    let timed_out = journal.wait_for_commit(5, Duration::from_millis(20));
    assert_eq!(timed_out.next_seq, 2);
}

#[tokio::test]
async fn async_appends_and_subscriptions_work() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path(), small_config(), clock()).unwrap();
    let mut changes = journal.subscribe();
    let outcomes = journal.append_async(vec![entry("async")]).await.unwrap();
    assert!(matches!(
        outcomes[0],
        AppendOutcome::Appended { seq: 1, .. }
    ));
    changes.changed().await.unwrap();
    assert_eq!(changes.borrow().next_seq, 2);
}

#[test]
fn consumer_positions_persist_and_retention_respects_them() {
    let dir = tempfile::tempdir().unwrap();
    let clock = clock();
    let journal = Journal::open(dir.path(), small_config(), clock.clone()).unwrap();
    for round in 0..10 {
        let entries = (0..10)
            .map(|index| entry(&format!("r{round}-{index}")))
            .collect();
        journal.append(entries).unwrap();
        clock.advance_millis(60_000);
    }
    assert_eq!(journal.consumer_position("history").unwrap(), None);
    let start = journal.start_position();
    journal.save_consumer_position("history", start).unwrap();
    assert_eq!(journal.consumer_position("history").unwrap(), Some(start));
    let cutoff = Timestamp::from_secs(1_700_000_000 + 600);
    assert_eq!(
        journal.remove_segments_before(cutoff).unwrap(),
        0,
        "the consumer has read nothing"
    );

    let end: Position = journal.committed().position();
    journal.save_consumer_position("history", end).unwrap();
    let removed = journal.remove_segments_before(cutoff).unwrap();
    assert!(removed > 0);
    let oldest = journal.start_position();
    assert!(oldest.next_seq > 1);
    let error = journal.reader(start).unwrap_err();
    assert_eq!(error.kind(), opentrail_journal::ErrorKind::Expired);
    // What is left still reads, and everything after the cutoff is kept.
    let kept = read_all(&journal);
    assert_eq!(kept.last().unwrap().1, "r9-9");
    assert!(kept.iter().any(|(_, id, _)| id == "r9-0"));
    // Removed IDs are no longer duplicates; kept ones still are.
    let outcomes = journal.append(vec![entry("r0-0"), entry("r9-9")]).unwrap();
    assert!(matches!(outcomes[0], AppendOutcome::Appended { .. }));
    assert!(matches!(outcomes[1], AppendOutcome::Duplicate { .. }));
    assert!(journal.save_consumer_position("../evil", start).is_err());
}

#[test]
fn submitted_appends_complete_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path(), small_config(), clock()).unwrap();
    let first = journal.submit(vec![entry("s-1"), entry("s-2")]).unwrap();
    let second = journal.submit(vec![entry("s-3"), entry("s-1")]).unwrap();
    let second = second.wait().unwrap();
    let first = first.wait().unwrap();
    assert!(matches!(first[1], AppendOutcome::Appended { seq: 2, .. }));
    assert!(matches!(second[0], AppendOutcome::Appended { seq: 3, .. }));
    assert_eq!(second[1], AppendOutcome::Duplicate { seq: 1 });
}

#[test]
fn attachments_of_recent_frames_are_kept_in_memory_only() {
    let dir = tempfile::tempdir().unwrap();
    let config = JournalConfig {
        attachment_capacity: 3,
        ..small_config()
    };
    let journal = Journal::open(dir.path(), config.clone(), clock()).unwrap();
    let with = |id: &str, value: u32| entry(id).with_attachment(Arc::new(value));
    journal
        .append(vec![with("a", 1), entry("b"), with("a", 9), with("c", 3)])
        .unwrap();
    let read = |journal: &Journal, seqs| -> Vec<Option<u32>> {
        journal
            .attachments(seqs)
            .into_iter()
            .map(|attachment| attachment.and_then(|any| any.downcast_ref::<u32>().copied()))
            .collect()
    };
    // The duplicate `a` took no sequence number, so seqs are a=1, b=2, c=3.
    assert_eq!(read(&journal, 1..4), [Some(1), None, Some(3)]);
    journal.append(vec![with("d", 4), with("e", 5)]).unwrap();
    // Only the last three frames keep theirs.
    assert_eq!(
        read(&journal, 1..6),
        [None, None, Some(3), Some(4), Some(5)]
    );
    journal.close();
    let reopened = Journal::open(dir.path(), config, clock()).unwrap();
    assert_eq!(read(&reopened, 1..6), [None, None, None, None, None]);
}
