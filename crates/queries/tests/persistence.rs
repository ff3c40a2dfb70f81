//! Records and results across restarts; the restart rule; purging after the retention.

use std::sync::atomic::Ordering;

use opentrail_queries::{
    DeliveryStatus, ErrorKind, Queries, QueryLimits, QueryStatus, RESTART_MESSAGE, StartRequest,
};

use crate::common::{ACCOUNT, Harness, request, rows};

const DAY_MS: i64 = 24 * 3600 * 1000;

#[test]
fn records_results_and_tokens_survive_a_restart() {
    let mut harness = Harness::new();
    let finished = harness.start("rows 5");
    let failed = harness.start("fail");
    harness.wait_ended(&finished);
    harness.wait_ended(&failed);
    let before = harness.queries.describe(ACCOUNT, &finished).unwrap();
    let token = harness
        .queries
        .results(ACCOUNT, &finished, None, Some(2))
        .unwrap()
        .next_token
        .unwrap();

    harness.reopen();

    assert_eq!(
        harness.queries.describe(ACCOUNT, &finished).unwrap(),
        before
    );
    let page = harness
        .queries
        .results(ACCOUNT, &finished, Some(&token), None)
        .unwrap();
    assert_eq!(page.rows, rows(5)[2..].to_vec());
    assert_eq!(page.total_results_count, 5);
    let failed = harness.queries.describe(ACCOUNT, &failed).unwrap();
    assert_eq!(failed.status, QueryStatus::Failed);
    assert_eq!(
        failed.error_message.as_deref(),
        Some("table `nope` does not exist")
    );
}

#[test]
fn queued_and_running_queries_fail_on_restart() {
    let mut harness = Harness::with_limits(QueryLimits {
        workers: 1,
        ..QueryLimits::default()
    });
    let running = harness
        .queries
        .start(StartRequest {
            delivery_s3_uri: Some("s3://bucket/results".to_owned()),
            ..request("block")
        })
        .unwrap();
    harness.wait_for(&running, QueryStatus::Running);
    let queued = harness.start("rows 1");

    harness.reopen();
    // Released now, the executor of the previous process must not write anything.
    harness.executor.released.store(true, Ordering::SeqCst);

    for id in [&running, &queued] {
        let description = harness.queries.describe(ACCOUNT, id).unwrap();
        assert_eq!(description.status, QueryStatus::Failed, "{id}");
        assert_eq!(description.error_message.as_deref(), Some(RESTART_MESSAGE));
        let page = harness.queries.results(ACCOUNT, id, None, None).unwrap();
        assert_eq!(page.error_message.as_deref(), Some(RESTART_MESSAGE));
    }
    let description = harness.queries.describe(ACCOUNT, &running).unwrap();
    assert_eq!(description.delivery_status, Some(DeliveryStatus::Failed));
    assert_eq!(
        harness
            .queries
            .describe(ACCOUNT, &queued)
            .unwrap()
            .delivery_status,
        None
    );
    // The restart freed the account's slots.
    let next = harness.start("rows 1");
    assert_eq!(harness.wait_ended(&next), QueryStatus::Finished);
}

#[test]
fn queries_are_purged_seven_days_after_they_end() {
    let mut harness = Harness::new();
    let old = harness.start("rows 3");
    harness.wait_ended(&old);
    harness.clock.advance_millis(DAY_MS);
    let young = harness.start("rows 3");
    harness.wait_ended(&young);

    harness.clock.advance_millis(6 * DAY_MS - 1);
    assert_eq!(harness.queries.purge_expired().unwrap(), 0);
    assert_eq!(
        harness
            .queries
            .results(ACCOUNT, &old, None, None)
            .unwrap()
            .rows,
        rows(3)
    );

    harness.clock.advance_millis(1);
    assert_eq!(harness.queries.purge_expired().unwrap(), 1);
    let error = harness.queries.describe(ACCOUNT, &old).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::QueryIdNotFound);
    assert_eq!(
        harness
            .queries
            .results(ACCOUNT, &young, None, None)
            .unwrap()
            .rows,
        rows(3)
    );
    let results = harness.dir.path().join("results");
    assert_eq!(std::fs::read_dir(&results).unwrap().count(), 1);

    // Open purges too.
    harness.clock.advance_millis(DAY_MS);
    harness.reopen();
    let error = harness.queries.describe(ACCOUNT, &young).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::QueryIdNotFound);
    assert_eq!(std::fs::read_dir(&results).unwrap().count(), 0);
    assert_eq!(
        std::fs::read_dir(harness.dir.path().join("records"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn running_queries_are_never_purged() {
    // A time-out longer than the clock jump, so the query is still running afterwards.
    let harness = Harness::with_limits(QueryLimits {
        timeout: std::time::Duration::from_secs(30 * 24 * 3600),
        ..QueryLimits::default()
    });
    let running = harness.start("stall");
    harness.wait_for(&running, QueryStatus::Running);
    harness.clock.advance_millis(8 * DAY_MS);
    assert_eq!(harness.queries.purge_expired().unwrap(), 0);
    let description = harness.queries.describe(ACCOUNT, &running).unwrap();
    assert_eq!(description.status, QueryStatus::Running);
}

#[test]
fn a_damaged_record_is_an_error_not_an_empty_state() {
    let harness = Harness::new();
    let id = harness.start("rows 1");
    harness.wait_ended(&id);
    harness.queries.shutdown();
    let record = harness
        .dir
        .path()
        .join("records")
        .join(format!("{id}.json"));
    std::fs::write(&record, b"{\"version\":1,").unwrap();
    let error = Queries::open(
        harness.dir.path(),
        std::sync::Arc::new(harness.clock.clone()),
        std::sync::Arc::new(opentrail_types::SeededIds::new(9)),
        harness.executor.clone(),
        None,
        QueryLimits::default(),
    )
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Corrupt);
    std::fs::write(&record, b"{\"version\":99}").unwrap();
    let error = Queries::open(
        harness.dir.path(),
        std::sync::Arc::new(harness.clock.clone()),
        std::sync::Arc::new(opentrail_types::SeededIds::new(9)),
        harness.executor.clone(),
        None,
        QueryLimits::default(),
    )
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Corrupt);
}

#[test]
fn version_1_state_is_read_by_todays_code() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1");
    let dir = tempfile::tempdir().unwrap();
    for folder in ["records", "results"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        for entry in std::fs::read_dir(fixture.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(
                &path,
                dir.path().join(folder).join(path.file_name().unwrap()),
            )
            .unwrap();
        }
    }
    let clock = opentrail_types::ManualClock::new(
        opentrail_types::Timestamp::parse_event_time("2026-03-05T00:00:00Z").unwrap(),
    );
    let queries = Queries::open(
        dir.path(),
        std::sync::Arc::new(clock),
        std::sync::Arc::new(opentrail_types::SeededIds::new(9)),
        std::sync::Arc::new(crate::common::FakeExecutor::default()),
        None,
        QueryLimits::default(),
    )
    .unwrap();
    let id = "5f0c2a8e-6f4b-4e8a-9c1d-2b7e4a9d0c31";
    let description = queries.describe(ACCOUNT, id).unwrap();
    assert_eq!(description.status, QueryStatus::Finished);
    assert_eq!(description.delivery_status, Some(DeliveryStatus::Success));
    assert_eq!(description.statistics.execution_time_millis, 1500);
    assert_eq!(description.statistics.events_matched, 42);
    let page = queries.results(ACCOUNT, id, None, None).unwrap();
    assert_eq!(page.columns, vec!["eventName", "errorCode"]);
    assert_eq!(
        page.rows,
        vec![
            vec![Some("ListBuckets".to_owned()), None],
            vec![
                Some("Put\nObject".to_owned()),
                Some("AccessDenied".to_owned())
            ],
        ]
    );
    queries.shutdown();
}
