//! Delivery to `DeliveryS3Uri`: the CSV golden, key layout, statuses, failing sinks.

use std::io::Read;
use std::path::Path;

use opentrail_queries::{DeliveryError, DeliveryStatus, QueryStatus, StartRequest, results_csv};

use crate::common::{ACCOUNT, Harness, golden_output, request, wait_until};

fn golden(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

#[expect(
    clippy::disallowed_methods,
    reason = "the test reads back its own gzip output"
)]
fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn with_uri(statement: &str) -> StartRequest {
    StartRequest {
        delivery_s3_uri: Some("s3://results-bucket/lake/".to_owned()),
        ..request(statement)
    }
}

fn wait_delivery(harness: &Harness, id: &str) -> Option<DeliveryStatus> {
    wait_until(|| {
        harness
            .queries
            .describe(ACCOUNT, id)
            .unwrap()
            .delivery_status
            != Some(DeliveryStatus::Pending)
    });
    harness
        .queries
        .describe(ACCOUNT, id)
        .unwrap()
        .delivery_status
}

#[test]
fn csv_quotes_per_rfc_4180_and_writes_null_as_an_empty_field() {
    let output = golden_output();
    let csv = results_csv(&output.columns, &output.rows);
    opentrail_testkit::golden::assert_golden(&golden("results.csv"), &csv);
}

#[test]
fn finished_results_are_delivered_as_gzip_csv_under_the_cloudtrail_layout() {
    let harness = Harness::new();
    let id = harness.queries.start(with_uri("golden")).unwrap();
    assert_eq!(harness.wait_ended(&id), QueryStatus::Finished);
    assert_eq!(wait_delivery(&harness, &id), Some(DeliveryStatus::Success));

    let delivered = harness.sink.delivered.lock().unwrap();
    assert_eq!(delivered.len(), 1);
    let (uri, query_id, account, files) = &delivered[0];
    assert_eq!(
        (query_id.as_str(), account.as_str()),
        (id.as_str(), ACCOUNT)
    );
    assert_eq!(
        (uri.bucket.as_str(), uri.prefix.as_str()),
        ("results-bucket", "lake")
    );
    assert_eq!(files.len(), 1);
    let (key, bytes) = &files[0];
    assert_eq!(
        *key,
        format!("AWSLogs/{ACCOUNT}/CloudTrail-Lake/Query/2026/03/04/{id}/result_1.csv.gz")
    );
    assert_eq!(
        uri.object_key(key),
        format!("lake/AWSLogs/{ACCOUNT}/CloudTrail-Lake/Query/2026/03/04/{id}/result_1.csv.gz")
    );
    let expected = std::fs::read_to_string(golden("results.csv")).unwrap();
    assert_eq!(gunzip(bytes), expected);
}

#[test]
fn delivery_is_pending_while_the_query_runs() {
    let harness = Harness::new();
    let id = harness.queries.start(with_uri("block")).unwrap();
    harness.wait_for(&id, QueryStatus::Running);
    let description = harness.queries.describe(ACCOUNT, &id).unwrap();
    assert_eq!(description.delivery_status, Some(DeliveryStatus::Pending));
    assert_eq!(
        description.delivery_s3_uri.as_deref(),
        Some("s3://results-bucket/lake/")
    );
    harness
        .executor
        .released
        .store(true, std::sync::atomic::Ordering::SeqCst);
    harness.wait_ended(&id);
    assert_eq!(wait_delivery(&harness, &id), Some(DeliveryStatus::Success));
}

#[test]
fn a_failing_sink_sets_the_delivery_status_it_reports() {
    let cases = [
        (DeliveryStatus::AccessDenied, DeliveryStatus::AccessDenied),
        (
            DeliveryStatus::ResourceNotFound,
            DeliveryStatus::ResourceNotFound,
        ),
        (DeliveryStatus::Failed, DeliveryStatus::Failed),
        (DeliveryStatus::Success, DeliveryStatus::Failed),
    ];
    for (reported, expected) in cases {
        let harness = Harness::new();
        *harness.sink.fail_with.lock().unwrap() = Some(DeliveryError {
            status: reported,
            message: String::from("bucket said no"),
        });
        let id = harness.queries.start(with_uri("rows 2")).unwrap();
        assert_eq!(harness.wait_ended(&id), QueryStatus::Finished);
        assert_eq!(wait_delivery(&harness, &id), Some(expected), "{reported:?}");
        // The results stay readable whatever happened to the delivery.
        assert_eq!(
            harness
                .queries
                .results(ACCOUNT, &id, None, None)
                .unwrap()
                .rows
                .len(),
            2
        );
    }
}

#[test]
fn queries_that_do_not_finish_deliver_nothing() {
    let harness = Harness::new();
    let timed_out = harness.queries.start(with_uri("stall")).unwrap();
    harness.wait_for(&timed_out, QueryStatus::Running);
    harness.clock.advance_millis(3_600_000);
    assert_eq!(harness.wait_ended(&timed_out), QueryStatus::TimedOut);

    let failed = harness.queries.start(with_uri("fail")).unwrap();
    assert_eq!(harness.wait_ended(&failed), QueryStatus::Failed);

    let cancelled = harness.queries.start(with_uri("stall")).unwrap();
    harness.queries.cancel(ACCOUNT, &cancelled).unwrap();

    let statuses: Vec<_> = [&timed_out, &failed, &cancelled]
        .iter()
        .map(|id| {
            harness
                .queries
                .describe(ACCOUNT, id)
                .unwrap()
                .delivery_status
        })
        .collect();
    assert_eq!(
        statuses,
        vec![
            Some(DeliveryStatus::Failed),
            Some(DeliveryStatus::Failed),
            Some(DeliveryStatus::Cancelled)
        ]
    );
    assert!(harness.sink.delivered.lock().unwrap().is_empty());
}
