//! Statuses, statistics, failures, cancellation, the concurrency bound and the time-out.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use opentrail_queries::{ErrorKind, Queries, QueryLimits, QueryStatus, StartRequest};
use opentrail_types::{Clock, ManualClock, SeededIds};

use crate::common::{ACCOUNT, FakeExecutor, Harness, OTHER_ACCOUNT, STATS, STORE, request};

fn one_worker() -> QueryLimits {
    QueryLimits {
        workers: 1,
        ..QueryLimits::default()
    }
}

#[test]
fn a_query_moves_from_queued_through_running_to_finished() {
    let harness = Harness::with_limits(one_worker());
    let blocking = harness.start("block");
    harness.wait_for(&blocking, QueryStatus::Running);
    let queued = harness.start("rows 2");

    let description = harness.queries.describe(ACCOUNT, &queued).unwrap();
    assert_eq!(description.status, QueryStatus::Queued);
    assert_eq!(description.query_string, "rows 2");
    assert_eq!(description.statistics.creation_time, harness.clock.now());
    assert_eq!(description.statistics.execution_time_millis, 0);
    assert_eq!(description.store_ids, vec![STORE.to_owned()]);
    let page = harness
        .queries
        .results(ACCOUNT, &queued, None, None)
        .unwrap();
    assert_eq!(
        (page.status, page.rows.len(), page.next_token),
        (QueryStatus::Queued, 0, None)
    );

    harness.clock.advance_millis(1500);
    let running = harness.queries.describe(ACCOUNT, &blocking).unwrap();
    assert_eq!(running.status, QueryStatus::Running);
    assert_eq!(running.statistics.execution_time_millis, 1500);
    let page = harness
        .queries
        .results(ACCOUNT, &blocking, None, None)
        .unwrap();
    assert_eq!((page.status, page.rows.len()), (QueryStatus::Running, 0));

    harness.executor.released.store(true, Ordering::SeqCst);
    assert_eq!(harness.wait_ended(&blocking), QueryStatus::Finished);
    assert_eq!(harness.wait_ended(&queued), QueryStatus::Finished);
    let finished = harness.queries.describe(ACCOUNT, &blocking).unwrap();
    assert_eq!(finished.statistics.execution_time_millis, 1500);
    assert_eq!(finished.statistics.events_matched, STATS.events_matched);
    assert_eq!(finished.statistics.events_scanned, STATS.events_scanned);
    assert_eq!(finished.statistics.bytes_scanned, STATS.bytes_scanned);
    assert_eq!(finished.error_message, None);
    assert_eq!(finished.delivery_status, None);

    let page = harness
        .queries
        .results(ACCOUNT, &queued, None, None)
        .unwrap();
    assert_eq!(page.status, QueryStatus::Finished);
    assert_eq!(page.columns, vec!["n", "label"]);
    assert_eq!(page.rows, crate::common::rows(2));
    assert_eq!((page.results_count, page.total_results_count), (2, 2));
    assert_eq!(page.bytes_scanned, STATS.bytes_scanned);
    assert_eq!(page.next_token, None);
}

#[test]
fn query_ids_are_lowercase_uuids() {
    let harness = Harness::new();
    let id = harness.start("rows 0");
    assert_eq!(id.len(), 36);
    assert!(
        id.bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte) || byte == b'-')
    );
    assert_eq!(harness.wait_ended(&id), QueryStatus::Finished);
    let page = harness.queries.results(ACCOUNT, &id, None, None).unwrap();
    assert_eq!(
        (page.rows.len(), page.total_results_count, page.next_token),
        (0, 0, None)
    );
}

#[test]
fn a_failing_statement_ends_failed_with_its_message() {
    let harness = Harness::new();
    let id = harness.start("fail");
    assert_eq!(harness.wait_ended(&id), QueryStatus::Failed);
    let description = harness.queries.describe(ACCOUNT, &id).unwrap();
    assert_eq!(
        description.error_message.as_deref(),
        Some("table `nope` does not exist")
    );
    let page = harness.queries.results(ACCOUNT, &id, None, None).unwrap();
    assert_eq!(page.status, QueryStatus::Failed);
    assert_eq!(
        page.error_message.as_deref(),
        Some("table `nope` does not exist")
    );
    assert!(page.rows.is_empty());
}

#[test]
fn a_panicking_engine_fails_the_query_and_keeps_the_worker() {
    let harness = Harness::with_limits(one_worker());
    let id = harness.start("panic");
    assert_eq!(harness.wait_ended(&id), QueryStatus::Failed);
    let message = harness
        .queries
        .describe(ACCOUNT, &id)
        .unwrap()
        .error_message;
    assert_eq!(
        message.as_deref(),
        Some("the query engine failed unexpectedly")
    );
    let next = harness.start("rows 1");
    assert_eq!(harness.wait_ended(&next), QueryStatus::Finished);
}

#[test]
fn cancel_stops_running_and_queued_queries_and_refuses_ended_ones() {
    let harness = Harness::with_limits(one_worker());
    let running = harness.start("stall");
    harness.wait_for(&running, QueryStatus::Running);
    let queued = harness.start("rows 1");

    let outcome = harness.queries.cancel(ACCOUNT, &queued).unwrap();
    assert_eq!(outcome.status, QueryStatus::Cancelled);
    assert_eq!(outcome.query_id, queued);
    let outcome = harness.queries.cancel(ACCOUNT, &running).unwrap();
    assert_eq!(outcome.status, QueryStatus::Cancelled);
    assert_eq!(
        harness.queries.describe(ACCOUNT, &running).unwrap().status,
        QueryStatus::Cancelled
    );

    let after = harness.start("rows 1");
    assert_eq!(harness.wait_ended(&after), QueryStatus::Finished);
    // The cancelled queued query never reached the executor: stall and the last one did.
    assert_eq!(harness.executor.started.load(Ordering::SeqCst), 2);
    assert_eq!(
        harness.queries.describe(ACCOUNT, &queued).unwrap().status,
        QueryStatus::Cancelled
    );
    let page = harness
        .queries
        .results(ACCOUNT, &running, None, None)
        .unwrap();
    assert_eq!((page.status, page.rows.len()), (QueryStatus::Cancelled, 0));

    for id in [&running, &queued, &after] {
        let error = harness.queries.cancel(ACCOUNT, id).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InactiveQuery, "{id}");
    }
}

#[test]
fn an_account_may_have_ten_queued_or_running_queries() {
    let harness = Harness::with_limits(one_worker());
    let mut ids = Vec::new();
    for _ in 0..10 {
        ids.push(harness.start("stall"));
    }
    let error = harness.queries.start(request("rows 1")).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MaxConcurrentQueries);
    assert!(error.is_retryable());

    let other = StartRequest {
        account: OTHER_ACCOUNT.to_owned(),
        ..request("rows 1")
    };
    harness.queries.start(other).unwrap();

    harness.queries.cancel(ACCOUNT, &ids[9]).unwrap();
    let replacement = harness.start("rows 1");
    assert_eq!(
        harness.queries.start(request("rows 1")).unwrap_err().kind(),
        ErrorKind::MaxConcurrentQueries
    );
    for id in ids.iter().take(9).chain([&replacement]) {
        let _ = harness.queries.cancel(ACCOUNT, id);
    }
}

#[test]
fn a_query_past_the_time_limit_ends_timed_out_with_partial_rows() {
    let harness = Harness::new();
    let id = harness.start("stall");
    harness.wait_for(&id, QueryStatus::Running);
    harness.clock.advance_millis(3_600_000);
    assert_eq!(harness.wait_ended(&id), QueryStatus::TimedOut);

    let description = harness.queries.describe(ACCOUNT, &id).unwrap();
    assert_eq!(
        description.error_message.as_deref(),
        Some("the query ran longer than the time limit")
    );
    assert_eq!(description.statistics.execution_time_millis, 3_600_000);
    let page = harness.queries.results(ACCOUNT, &id, None, None).unwrap();
    assert_eq!(page.status, QueryStatus::TimedOut);
    assert_eq!(page.rows, crate::common::rows(3));
    assert_eq!(page.total_results_count, 3);
    let error = harness.queries.cancel(ACCOUNT, &id).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InactiveQuery);
}

#[test]
fn results_larger_than_the_limit_fail_the_query() {
    let harness = Harness::with_limits(QueryLimits {
        max_result_bytes: 200,
        ..QueryLimits::default()
    });
    let id = harness.start("rows 100");
    assert_eq!(harness.wait_ended(&id), QueryStatus::Failed);
    let message = harness
        .queries
        .describe(ACCOUNT, &id)
        .unwrap()
        .error_message
        .unwrap();
    assert!(
        message.contains("larger than the limit of 200 bytes"),
        "{message}"
    );
}

#[test]
fn unknown_ids_and_other_accounts_queries_are_not_found() {
    let harness = Harness::new();
    let id = harness.start("rows 1");
    harness.wait_ended(&id);
    let unknown = "00000000-0000-4000-8000-000000000000";
    for (account, query_id) in [(ACCOUNT, unknown), (OTHER_ACCOUNT, id.as_str())] {
        let kinds = [
            harness
                .queries
                .describe(account, query_id)
                .unwrap_err()
                .kind(),
            harness
                .queries
                .results(account, query_id, None, None)
                .unwrap_err()
                .kind(),
            harness
                .queries
                .cancel(account, query_id)
                .unwrap_err()
                .kind(),
            harness
                .queries
                .query_store_ids(account, query_id)
                .unwrap_err()
                .kind(),
        ];
        assert_eq!(
            kinds,
            [ErrorKind::QueryIdNotFound; 4],
            "{account} {query_id}"
        );
    }
    assert_eq!(
        harness.queries.query_store_ids(ACCOUNT, &id).unwrap(),
        vec![STORE.to_owned()]
    );
}

#[test]
fn start_checks_the_statement_and_the_delivery_uri() {
    let harness = Harness::new();
    let cases = [
        (request(""), ErrorKind::InvalidParameter),
        (request(&"x".repeat(10_001)), ErrorKind::InvalidParameter),
        (
            StartRequest {
                delivery_s3_uri: Some("s3://Bad_Bucket/x".to_owned()),
                ..request("rows 1")
            },
            ErrorKind::InvalidS3BucketName,
        ),
        (
            StartRequest {
                delivery_s3_uri: Some("http://bucket/x".to_owned()),
                ..request("rows 1")
            },
            ErrorKind::InvalidParameter,
        ),
    ];
    for (request, kind) in cases {
        assert_eq!(harness.queries.start(request).unwrap_err().kind(), kind);
    }
    harness.queries.start(request(&"x".repeat(10_000))).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let without_sink = Queries::open(
        dir.path(),
        Arc::new(ManualClock::new(crate::common::start_time())),
        Arc::new(SeededIds::new(3)),
        Arc::new(FakeExecutor::default()),
        None,
        QueryLimits::default(),
    )
    .unwrap();
    let error = without_sink
        .start(StartRequest {
            delivery_s3_uri: Some("s3://bucket/x".to_owned()),
            ..request("rows 1")
        })
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnsupportedOperation);
    without_sink.shutdown();
}
