//! The journal writer: records reach Parquet once, across stops and restarts; stopped
//! stores take nothing; destroyed stores leave nothing.

use opentrail_columnar::TableKind;

use crate::support::{STORE, World, event_id, eventually, spec, stored_ids};

#[test]
fn journal_records_become_rows_exactly_once_across_restarts() {
    let world = World::new();
    let storage = world.storage();
    storage.sync(vec![spec()]).unwrap();
    world.append(0, 500, "2026-11-20");
    world.append(500, 300, "2026-11-19");
    let files = storage.files(STORE, TableKind::CloudTrail).unwrap();
    eventually("800 rows", || files.totals().0 == 800);
    storage.stop();
    // The records went to their day partitions, under the store's prefix.
    let objects = world.objects();
    assert!(
        objects
            .iter()
            .any(|key| key.starts_with(&format!("stores/{STORE}/eventday=2026-11-19/")))
    );
    assert!(
        objects
            .iter()
            .any(|key| key.starts_with(&format!("stores/{STORE}/eventday=2026-11-20/")))
    );

    // A restarted writer resumes after what it stored, and takes what came meanwhile.
    world.append(800, 200, "2026-11-20");
    let storage = world.storage();
    storage.sync(vec![spec()]).unwrap();
    let files = storage.files(STORE, TableKind::CloudTrail).unwrap();
    eventually("1000 rows", || files.totals().0 == 1000);
    storage.stop();
    let expected: Vec<String> = (0..1000).map(event_id).collect();
    assert_eq!(stored_ids(&files), expected);
}

#[test]
fn a_store_starts_with_the_events_after_its_creation() {
    let world = World::new();
    world.append(0, 10, "2026-11-20");
    let storage = world.storage();
    storage.sync(vec![spec()]).unwrap();
    let files = storage.files(STORE, TableKind::CloudTrail).unwrap();
    // The start position is saved even before any record arrives.
    eventually("a saved position", || files.position().is_some());
    world.append(10, 5, "2026-11-20");
    eventually("5 rows", || files.totals().0 == 5);
    storage.stop();
    let expected: Vec<String> = (10..15).map(event_id).collect();
    assert_eq!(stored_ids(&files), expected);
}

#[test]
fn a_stopped_store_takes_nothing_and_resumes_after_the_stop() {
    let world = World::new();
    let storage = world.storage();
    let mut stopped = spec();
    stopped.ingesting = false;
    storage.sync(vec![stopped.clone()]).unwrap();
    let files = storage.files(STORE, TableKind::CloudTrail).unwrap();
    eventually("a saved position", || files.position().is_some());
    world.append(0, 20, "2026-11-20");
    eventually("the position past the events", || {
        files
            .position()
            .is_some_and(|position| position.next_seq > 20)
    });
    assert_eq!(files.totals().0, 0);
    storage.sync(vec![spec()]).unwrap();
    world.append(20, 3, "2026-11-20");
    eventually("3 rows", || files.totals().0 == 3);
    storage.stop();
}

#[test]
fn other_accounts_events_stay_out() {
    let world = World::new();
    let storage = world.storage();
    let mut other = spec();
    other.account_id = "999988887777".into();
    storage.sync(vec![other]).unwrap();
    let files = storage.files(STORE, TableKind::CloudTrail).unwrap();
    eventually("a saved position", || files.position().is_some());
    world.append(0, 20, "2026-11-20");
    eventually("the position past the events", || {
        files
            .position()
            .is_some_and(|position| position.next_seq > 20)
    });
    assert_eq!(files.totals().0, 0);
    storage.stop();
}

#[test]
fn destroy_removes_every_object_and_the_manifest() {
    let world = World::new();
    let storage = world.storage();
    storage.sync(vec![spec()]).unwrap();
    world.append(0, 50, "2026-11-20");
    let files = storage.files(STORE, TableKind::CloudTrail).unwrap();
    eventually("50 rows", || files.totals().0 == 50);
    storage.destroy(STORE, TableKind::CloudTrail).unwrap();
    assert!(world.objects().is_empty());
    assert!(
        !world
            .root
            .path()
            .join("lake-state")
            .join(STORE)
            .try_exists()
            .unwrap()
    );
    assert!(storage.open_store(STORE).is_none());
}

#[test]
fn a_failed_flush_loses_and_duplicates_nothing_once_the_bucket_recovers() {
    let world = World::new();
    // A file where the day's folder must go makes every upload of that day fail.
    let blocker = world
        .bucket_dir()
        .join(format!("stores/{STORE}/eventday=2026-11-20"));
    std::fs::create_dir_all(blocker.parent().unwrap()).unwrap();
    std::fs::write(&blocker, b"in the way").unwrap();
    let storage = world.storage();
    storage.sync(vec![spec()]).unwrap();
    let files = storage.files(STORE, TableKind::CloudTrail).unwrap();
    eventually("a saved position", || files.position().is_some());
    let start = files.position().unwrap();
    // Records of a blocked day and of a free one: each reading again after a failure
    // takes the blocked day's records too, so nothing is stored until it is free.
    for round in 0..4 {
        let day = if round % 2 == 0 {
            "2026-11-20"
        } else {
            "2026-11-19"
        };
        world.append(round * 50, 50, day);
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    assert_eq!(files.totals().0, 0);
    assert_eq!(
        files.position(),
        Some(start),
        "no position past unwritten rows"
    );
    std::fs::remove_file(&blocker).unwrap();
    world.append(200, 50, "2026-11-20");
    eventually("250 rows", || files.totals().0 == 250);
    storage.stop();
    let expected: Vec<String> = (0..250).map(event_id).collect();
    assert_eq!(stored_ids(&files), expected);
}
