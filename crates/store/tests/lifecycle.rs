//! Restarts, flushes, merges, retention, damage, visibility.

use std::sync::Arc;
use std::time::{Duration, Instant};

use opentrail_journal::AppendEntry;
use opentrail_store::{HistoryConfig, LookupEventsInput};
use opentrail_testkit::records::management_event;
use opentrail_types::{ManualClock, SystemClock, Timestamp};

use crate::support::{Harness, ids};

fn records(prefix: &str, count: usize) -> Vec<String> {
    (0..count)
        .map(|index| {
            management_event(
                &format!("{prefix}-{index:05}"),
                "2026-03-01T00:00:00Z",
                "ec2.amazonaws.com",
                "DescribeInstances",
                "alice",
            )
            .to_string()
        })
        .collect()
}

#[test]
fn events_survive_restarts_whether_flushed_or_only_in_memory() {
    let config = HistoryConfig {
        flush_docs: 100,
        ..HistoryConfig::default()
    };
    let mut harness = Harness::new(config, Arc::new(SystemClock));
    harness.append(&records("a", 250));
    harness.restart();
    harness.append(&records("b", 30));
    harness.restart();
    let all = harness.lookup_all(LookupEventsInput::default());
    assert_eq!(all.len(), 280);
    let mut unique = ids(&all);
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        280,
        "an event was indexed twice after a restart"
    );
}

#[test]
fn merges_keep_every_event_and_reduce_segments() {
    let config = HistoryConfig {
        flush_docs: 50,
        merge_fan_in: 2,
        ..HistoryConfig::default()
    };
    let harness = Harness::new(config, Arc::new(SystemClock));
    for round in 0..8 {
        harness.append(&records(&format!("r{round}"), 60));
        harness.history().flush_now().unwrap();
    }
    harness.history().run_maintenance().unwrap();
    let after = harness.history().status();
    assert!(after.persisted_segments <= 2, "{after:?}");
    assert_eq!(harness.lookup_all(LookupEventsInput::default()).len(), 480);
    let history_dir = harness.dir.path().join("history");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(history_dir.join("MANIFEST")).unwrap()).unwrap();
    let files_written = manifest["next_file_id"].as_u64().unwrap() - 1;
    // At least eight files were flushed, and at most two are left: merges happened.
    assert!(
        files_written >= 8,
        "only {files_written} segment files were written"
    );
    let files = std::fs::read_dir(&history_dir).unwrap().count();
    assert_eq!(
        files,
        manifest["segments"].as_array().unwrap().len() + 1,
        "merged-away files must be removed"
    );
}

#[test]
fn retention_counts_from_arrival_and_old_archives_stay_searchable() {
    let clock = Arc::new(ManualClock::new(
        Timestamp::parse_event_time("2026-06-01T00:00:00Z").unwrap(),
    ));
    let config = HistoryConfig {
        flush_docs: 10,
        retention: Duration::from_secs(90 * 86_400),
        ..HistoryConfig::default()
    };
    let harness = Harness::new(config, clock.clone());
    // An imported archive from years ago: arrival is now, so it is kept.
    let archive: Vec<String> = (0..20)
        .map(|index| {
            management_event(
                &format!("archive-{index}"),
                "2019-01-01T00:00:00Z",
                "iam.amazonaws.com",
                "GetUser",
                "alice",
            )
            .to_string()
        })
        .collect();
    harness.append(&archive);
    clock.advance_millis(60 * 86_400_000);
    harness.append(&records("recent", 20));
    harness.history().run_maintenance().unwrap();
    assert_eq!(harness.lookup_all(LookupEventsInput::default()).len(), 40);

    // 91 days after the archive arrived, it is gone; the recent events are not.
    clock.advance_millis(31 * 86_400_000);
    let remaining = harness.lookup_all(LookupEventsInput::default());
    assert_eq!(remaining.len(), 20);
    assert!(
        remaining
            .iter()
            .all(|event| event.event_id.starts_with("recent-"))
    );
    // What is still only in memory is written (without the expired docs), then
    // maintenance removes the expired docs from the files.
    harness.history().flush_now().unwrap();
    harness.history().run_maintenance().unwrap();
    assert_eq!(
        harness.history().status().docs,
        20,
        "expired docs must be removed from disk too"
    );
}

#[test]
fn a_damaged_index_is_rebuilt_from_the_journal() {
    let config = HistoryConfig {
        flush_docs: 10,
        ..HistoryConfig::default()
    };
    let mut harness = Harness::new(config, Arc::new(SystemClock));
    harness.append(&records("x", 50));
    harness.history.take().unwrap().close();
    let history_dir = harness.dir.path().join("history");
    for entry in std::fs::read_dir(&history_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|extension| extension == "idx") {
            let mut bytes = std::fs::read(&path).unwrap();
            bytes[200] ^= 0xff;
            std::fs::write(&path, bytes).unwrap();
        }
    }
    harness.restart();
    assert_eq!(harness.lookup_all(LookupEventsInput::default()).len(), 50);
}

#[test]
fn acknowledged_events_are_visible_well_within_a_second() {
    let harness = Harness::new(HistoryConfig::default(), Arc::new(SystemClock));
    for round in 0..20 {
        let id = format!("v-{round}");
        let record = management_event(
            &id,
            "2026-03-01T00:00:00Z",
            "iam.amazonaws.com",
            "GetUser",
            "alice",
        )
        .to_string();
        let outcomes = harness
            .journal
            .append(vec![AppendEntry::new(id.clone(), record.into_bytes())])
            .unwrap();
        let opentrail_journal::AppendOutcome::Appended { seq, .. } = outcomes[0] else {
            panic!("not appended")
        };
        let started = Instant::now();
        assert!(
            harness
                .history()
                .wait_indexed(seq + 1, Duration::from_secs(1)),
            "not visible within 1 s"
        );
        assert!(started.elapsed() < Duration::from_secs(1));
        let found = harness.lookup_all(crate::support::attributes(&[("EventId", &id)]));
        assert_eq!(ids(&found), [id]);
    }
}
