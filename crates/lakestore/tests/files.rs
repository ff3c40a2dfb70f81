//! Files and the manifest: compaction, retention, garbage, orphans, imports.

use opentrail_columnar::RowsBuilder;
use opentrail_lakestore::Importer;

use crate::support::{World, column_strings, event_id, record, stored_ids};

fn batch_of(range: std::ops::Range<usize>, day: &str) -> arrow::array::RecordBatch {
    let mut builder = RowsBuilder::new(opentrail_columnar::TableKind::CloudTrail);
    for index in range {
        builder.push(&record(index, day)).unwrap();
    }
    builder.finish().unwrap()
}

#[test]
fn compaction_merges_small_files_sorted_by_event_time_and_keeps_every_row() {
    let world = World::new();
    let files = world.files();
    // Sixteen small files, written newest first, so that sorting shows.
    for chunk in (0..16).rev() {
        let range = chunk * 10..chunk * 10 + 10;
        files
            .add(
                vec![("2026-11-20".into(), vec![batch_of(range, "2026-11-20")])],
                None,
            )
            .unwrap();
    }
    assert_eq!(files.snapshot().len(), 16);
    let change = files.compact().unwrap();
    assert_eq!(change.removed.len(), 16);
    let snapshot = files.snapshot();
    assert_eq!(snapshot.len(), 2, "{snapshot:?}");
    assert!(snapshot.iter().all(|file| file.level == 1));
    let expected: Vec<String> = (0..160).map(event_id).collect();
    assert_eq!(stored_ids(&files), expected);
    for file in &snapshot {
        let batches = files.read(&file.key).unwrap();
        let ids: Vec<String> = batches
            .iter()
            .flat_map(|batch| column_strings(batch, "eventid"))
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(
            ids, sorted,
            "rows of a compacted file are in eventtime order"
        );
    }
    // The replaced objects stay for the grace period, then go.
    assert_eq!(world.objects().len(), 18);
    assert_eq!(files.collect_garbage().unwrap(), 0);
    world.clock.advance_millis(61_000);
    assert_eq!(files.collect_garbage().unwrap(), 16);
    assert_eq!(world.objects().len(), 2);
}

#[test]
fn retention_removes_old_rows_and_rewrites_straddling_files() {
    let world = World::new();
    let files = world.files();
    files
        .add(
            vec![
                ("2026-11-18".into(), vec![batch_of(0..10, "2026-11-18")]),
                ("2026-11-19".into(), vec![batch_of(10..3610, "2026-11-19")]),
            ],
            None,
        )
        .unwrap();
    // Cut at 2026-11-19T00:30:00Z: the 18th goes, the 19th loses its first 30 minutes
    // (events 10..1800 fall before 00:30:00 since event i is at second i of the day).
    let cutoff = opentrail_types::Timestamp::parse_event_time("2026-11-19T00:30:00Z")
        .unwrap()
        .as_millis();
    files.expire(cutoff).unwrap();
    let ids = stored_ids(&files);
    let expected: Vec<String> = (1800..3610).map(event_id).collect();
    assert_eq!(ids, expected);
    assert!(files.snapshot().iter().all(|file| file.min_ms >= cutoff));
}

#[test]
fn files_no_manifest_lists_are_removed_at_open() {
    let world = World::new();
    let files = world.files();
    files
        .add(
            vec![("2026-11-20".into(), vec![batch_of(0..5, "2026-11-20")])],
            None,
        )
        .unwrap();
    drop(files);
    // As if a crash came between an upload and its manifest write.
    let orphan = world.bucket_dir().join(format!(
        "stores/{}/eventday=2026-11-20/part-9999999999-l0.parquet",
        crate::support::STORE
    ));
    std::fs::write(&orphan, b"PAR1 half a file").unwrap();
    let files = world.files();
    assert!(!orphan.try_exists().unwrap());
    assert_eq!(files.totals().0, 5);
}

#[test]
fn importing_the_same_records_twice_stores_them_once() {
    let world = World::new();
    let files = std::sync::Arc::new(world.files());
    let records: Vec<Vec<u8>> = (0..100).map(|index| record(index, "2026-11-20")).collect();
    let mut doubled: Vec<&[u8]> = records.iter().map(Vec::as_slice).collect();
    doubled.push(&records[0]);
    let (counts, rejected) = Importer::new(files.clone(), 0).add(&doubled).unwrap();
    assert!(rejected.is_empty());
    assert_eq!((counts.added, counts.duplicates), (100, 1));
    // A new importer (a second import) sees what the first stored.
    let slices: Vec<&[u8]> = records.iter().map(Vec::as_slice).collect();
    let (counts, _) = Importer::new(files.clone(), 0).add(&slices).unwrap();
    assert_eq!((counts.added, counts.duplicates), (0, 100));
    assert_eq!(files.totals().0, 100);
}

#[test]
fn imports_leave_out_expired_records_and_report_bad_ones() {
    let world = World::new();
    let files = std::sync::Arc::new(world.files());
    let old = record(1, "2020-01-01");
    let fresh = record(2, "2026-11-20");
    let cutoff = opentrail_types::Timestamp::parse_event_time("2026-01-01T00:00:00Z")
        .unwrap()
        .as_millis();
    let (counts, rejected) = Importer::new(files.clone(), cutoff)
        .add(&[&old, &fresh, b"not json", br#"{"eventID":"x"}"#])
        .unwrap();
    assert_eq!((counts.added, counts.expired), (1, 1));
    let indexes: Vec<usize> = rejected.iter().map(|rejected| rejected.index).collect();
    assert_eq!(indexes, [2, 3]);
    assert_eq!(stored_ids(&files), [event_id(2)]);
}

#[test]
fn records_without_an_event_id_are_told_apart_by_their_content() {
    let world = World::new();
    let files = std::sync::Arc::new(world.files());
    let strip = |index: usize| {
        let mut value: serde_json::Value =
            serde_json::from_slice(&record(index, "2026-11-20")).unwrap();
        value.as_object_mut().unwrap().remove("eventID");
        serde_json::to_vec(&value).unwrap()
    };
    let (first, second) = (strip(1), strip(2));
    let (counts, rejected) = Importer::new(files.clone(), 0)
        .add(&[&first, &second, &first])
        .unwrap();
    assert!(rejected.is_empty());
    assert_eq!((counts.added, counts.duplicates), (2, 1));
}
