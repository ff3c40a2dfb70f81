//! The runner on the test bucket: what is read, skipped, failed; time range; stop, resume
//! and retry; a plain directory and a local directory bucket give the same result.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use opentrail_blob::{Bucket, BucketResolver, S3Settings};
use opentrail_imports::{
    BucketSource, DirectorySource, ImportFailureStatus, ImportLocation, ImportStatistics,
    ImportStatus, Imports, RunOptions, RunOutcome, SinkError, SourceReader, StartImportRequest,
    open_source,
};

use crate::support::*;

fn quick_options() -> RunOptions {
    RunOptions {
        backoff: std::time::Duration::ZERO,
        max_backoff: std::time::Duration::ZERO,
        ..RunOptions::default()
    }
}

const CORRUPT: &str = "218007301253_CloudTrail_us-east-1_20230710T1230Z_CorruptGzip00000.json.gz";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

/// Runs a new import of `source` to its end; returns the final import and the sink.
fn import_all(
    imports: &Imports,
    uri: &str,
    source: &dyn SourceReader,
) -> (opentrail_imports::Import, RecordingSink) {
    let import = imports.start_import(new_import(STORE, uri)).unwrap();
    assert_eq!(import.import_status, ImportStatus::Initializing);
    let sink = RecordingSink::default();
    let outcome = imports
        .run_with(
            &import.import_id,
            source,
            &sink,
            &AtomicBool::new(false),
            &quick_options(),
        )
        .unwrap();
    assert_eq!(
        outcome,
        RunOutcome::Failed,
        "the corrupt file fails the import"
    );
    (imports.get_import(&import.import_id).unwrap(), sink)
}

#[test]
fn a_directory_import_reads_every_log_file_once_and_records_the_corrupt_one() {
    let state = tempfile::tempdir().unwrap();
    let (imports, _clock) = registry(state.path());
    let root = testdata_bucket();
    let source = DirectorySource::new(root.clone());
    let (import, sink) = import_all(&imports, &root.display().to_string(), &source);

    let expected = expected_records();
    assert_eq!(expected.len(), 182);
    sink.assert_each_once(&expected);
    assert!(
        sink.stores
            .lock()
            .unwrap()
            .iter()
            .all(|store| store == STORE)
    );
    assert_eq!(import.import_status, ImportStatus::Failed);
    assert_eq!(
        import.import_statistics,
        ImportStatistics {
            prefixes_found: 2,
            prefixes_completed: 2,
            files_completed: 7,
            events_completed: 182,
            failed_entries: 1,
        }
    );
    let page = imports
        .list_import_failures(&import.import_id, None, None)
        .unwrap();
    assert_eq!(page.failures.len(), 1);
    let failure = &page.failures[0];
    assert!(failure.location.ends_with(CORRUPT), "{}", failure.location);
    assert!(failure.location.starts_with('/'));
    assert_eq!(failure.status, ImportFailureStatus::Failed);
    assert_eq!(failure.error_type, "InvalidGzip");
    assert!(
        failure.error_message.contains("gzip"),
        "{}",
        failure.error_message
    );
}

#[test]
fn a_local_directory_bucket_gives_the_same_result_as_the_plain_path() {
    let runtime = runtime();
    let state = tempfile::tempdir().unwrap();
    let (imports, _clock) = registry(state.path());
    let root = testdata_bucket();
    let (by_path, path_sink) = import_all(
        &imports,
        &root.display().to_string(),
        &DirectorySource::new(root.clone()),
    );

    let bucket = Bucket::local("trail-bucket", root.clone());
    let source = BucketSource::new(bucket, String::new(), runtime.handle().clone());
    let (by_bucket, bucket_sink) = import_all(&imports, "s3://trail-bucket", &source);

    assert_eq!(path_sink.arrivals(), bucket_sink.arrivals());
    assert_eq!(by_path.import_statistics, by_bucket.import_statistics);
    let failures = imports
        .list_import_failures(&by_bucket.import_id, None, None)
        .unwrap()
        .failures;
    let expected_location =
        format!("s3://trail-bucket/AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2023/07/10/{CORRUPT}");
    assert_eq!(failures[0].location, expected_location);
    assert_eq!(failures[0].error_type, "InvalidGzip");
}

#[test]
fn open_source_resolves_buckets_and_directories() {
    let runtime = runtime();
    let buckets = tempfile::tempdir().unwrap();
    copy_tree(&testdata_bucket(), &buckets.path().join("trail-bucket"));
    let resolver = BucketResolver::new(
        buckets.path().to_path_buf(),
        Vec::new(),
        S3Settings::default(),
    );
    let stop = AtomicBool::new(false);
    // A prefix at or below the CloudTrail folder still reads its log files.
    let location = ImportLocation::parse(&format!(
        "s3://trail-bucket/AWSLogs/{ACCOUNT}/CloudTrail/us-west-2"
    ))
    .unwrap();
    let source = open_source(&location, &resolver, runtime.handle().clone()).unwrap();
    let keys = source.list(&stop).unwrap();
    assert_eq!(keys.len(), 1);
    assert!(keys[0].starts_with(&format!(
        "AWSLogs/{ACCOUNT}/CloudTrail/us-west-2/2023/07/11/"
    )));

    let directory =
        ImportLocation::parse(&format!("file://{}", testdata_bucket().display())).unwrap();
    let source = open_source(&directory, &resolver, runtime.handle().clone()).unwrap();
    let keys = source.list(&stop).unwrap();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "keys come in bytewise order");
    assert_eq!(keys.len(), 11);
}

#[test]
fn the_time_range_selects_files_by_name_and_records_by_event_time() {
    let state = tempfile::tempdir().unwrap();
    let (imports, _clock) = registry(state.path());
    let root = testdata_bucket();
    let (start, end) = (at("2023-07-10T11:50:00Z"), at("2023-07-10T12:00:00Z"));
    let request = StartImportRequest {
        start_event_time: Some(start),
        end_event_time: Some(end),
        ..new_import(STORE, &root.display().to_string())
    };
    let import = imports.start_import(request).unwrap();
    let sink = RecordingSink::default();
    let outcome = imports
        .run(
            &import.import_id,
            &DirectorySource::new(root),
            &sink,
            &AtomicBool::new(false),
        )
        .unwrap();
    // The corrupt file (12:30) and the second day lie outside the range and are not read.
    assert_eq!(outcome, RunOutcome::Completed);
    let expected: BTreeMap<_, _> = expected_records()
        .into_iter()
        .filter(|(_, time)| *time >= start && *time <= end)
        .collect();
    assert!(!expected.is_empty());
    sink.assert_each_once(&expected);
    let import = imports.get_import(&import.import_id).unwrap();
    assert_eq!(import.import_status, ImportStatus::Completed);
    assert_eq!(import.import_statistics.prefixes_found, 1);
    assert_eq!(import.import_statistics.files_completed, 4);
    assert_eq!(
        import.import_statistics.events_completed,
        expected.len() as u64
    );
    assert_eq!(import.import_statistics.failed_entries, 0);
}

#[test]
fn an_interrupted_import_resumes_after_reopen_without_reading_files_again() {
    let state = tempfile::tempdir().unwrap();
    let root = testdata_bucket();
    let stop = Arc::new(AtomicBool::new(false));
    let stop_in_sink = Arc::clone(&stop);
    // Shut down once the third file's records are in.
    let sink = RecordingSink::with_hook(move |call| {
        if call == 3 {
            stop_in_sink.store(true, Ordering::SeqCst);
        }
        None
    });
    let import_id = {
        let (imports, _clock) = registry(state.path());
        let import = imports
            .start_import(new_import(STORE, &root.display().to_string()))
            .unwrap();
        let options = RunOptions {
            checkpoint_files: 1000,
            ..quick_options()
        };
        let source = DirectorySource::new(root.clone());
        let outcome = imports
            .run_with(&import.import_id, &source, &sink, &stop, &options)
            .unwrap();
        assert_eq!(outcome, RunOutcome::Interrupted);
        let halfway = imports.get_import(&import.import_id).unwrap();
        assert_eq!(halfway.import_status, ImportStatus::InProgress);
        assert_eq!(halfway.import_statistics.files_completed, 3);
        import.import_id
    };
    let (imports, _clock) = registry(state.path());
    let runnable: Vec<String> = imports
        .runnable_imports()
        .into_iter()
        .map(|import| import.import_id)
        .collect();
    assert_eq!(runnable, std::slice::from_ref(&import_id));
    let halfway = imports.get_import(&import_id).unwrap();
    assert_eq!(
        halfway.import_statistics.files_completed, 3,
        "progress was written"
    );
    stop.store(false, Ordering::SeqCst);
    let outcome = imports
        .run_with(
            &import_id,
            &DirectorySource::new(root),
            &sink,
            &stop,
            &quick_options(),
        )
        .unwrap();
    assert_eq!(outcome, RunOutcome::Failed);
    sink.assert_each_once(&expected_records());
    let done = imports.get_import(&import_id).unwrap();
    assert_eq!(done.import_statistics.files_completed, 7);
    assert_eq!(done.import_statistics.events_completed, 182);
    assert_eq!(done.import_statistics.prefixes_completed, 2);
    assert!(imports.runnable_imports().is_empty());
}

#[test]
fn stop_import_ends_the_run_and_a_retry_finishes_it() {
    let state = tempfile::tempdir().unwrap();
    let trees = tempfile::tempdir().unwrap();
    let root = trees.path().join("logs");
    copy_tree(&testdata_bucket(), &root);
    let (imports, clock) = registry(state.path());
    let import = imports
        .start_import(new_import(STORE, &root.display().to_string()))
        .unwrap();
    let import_id = import.import_id.clone();
    let registry_in_sink = Arc::clone(&imports);
    let id_in_sink = import_id.clone();
    let sink = RecordingSink::with_hook(move |call| {
        if call == 2 {
            registry_in_sink.stop_import(&id_in_sink).unwrap();
        }
        None
    });
    let source = DirectorySource::new(root.clone());
    let outcome = imports
        .run_with(
            &import_id,
            &source,
            &sink,
            &AtomicBool::new(false),
            &quick_options(),
        )
        .unwrap();
    assert_eq!(outcome, RunOutcome::Stopped);
    let stopped = imports.get_import(&import_id).unwrap();
    assert_eq!(stopped.import_status, ImportStatus::Stopped);
    assert_eq!(stopped.import_statistics.files_completed, 2);
    // Running a stopped import does nothing; a retry makes it runnable again.
    assert_eq!(
        imports
            .run(&import_id, &source, &sink, &AtomicBool::new(false))
            .unwrap(),
        RunOutcome::NotRunnable(ImportStatus::Stopped)
    );

    // Repair the corrupt file before the retry: the retry imports everything.
    let corrupt = root.join(format!(
        "AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2023/07/10/{CORRUPT}"
    ));
    let good = root.join(format!(
        "AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2023/07/10/218007301253_CloudTrail_us-east-1_20230710T1150Z_1vnLavRRp0ek1mP4.json.gz"
    ));
    std::fs::copy(&good, &corrupt).unwrap();
    clock.advance_millis(60_000);
    let retried = imports
        .start_import(StartImportRequest {
            import_id: Some(import_id.clone()),
            ..StartImportRequest::default()
        })
        .unwrap();
    assert_eq!(retried.import_status, ImportStatus::Initializing);
    assert!(retried.updated_timestamp > stopped.updated_timestamp);
    let outcome = imports
        .run_with(
            &import_id,
            &source,
            &sink,
            &AtomicBool::new(false),
            &quick_options(),
        )
        .unwrap();
    assert_eq!(outcome, RunOutcome::Completed);
    // The repaired file repeats the 1150 file's records: the store drops them as duplicates.
    let arrivals = sink.arrivals();
    assert_eq!(arrivals.len(), 182);
    assert_eq!(arrivals.values().filter(|count| **count == 2).count(), 2);
    let done = imports.get_import(&import_id).unwrap();
    assert_eq!(done.import_statistics.files_completed, 8);
    assert_eq!(done.import_statistics.events_completed, 184);
}

#[test]
fn a_retry_reads_only_the_failed_files_again() {
    let state = tempfile::tempdir().unwrap();
    let trees = tempfile::tempdir().unwrap();
    let root = trees.path().join("logs");
    copy_tree(&testdata_bucket(), &root);
    let (imports, _clock) = registry(state.path());
    let (import, sink) = import_all(
        &imports,
        &root.display().to_string(),
        &DirectorySource::new(root.clone()),
    );
    let before = sink.calls.load(Ordering::SeqCst);

    let retry = StartImportRequest {
        import_id: Some(import.import_id.clone()),
        ..StartImportRequest::default()
    };
    imports.start_import(retry.clone()).unwrap();
    let failures = imports
        .list_import_failures(&import.import_id, None, None)
        .unwrap();
    assert_eq!(failures.failures[0].status, ImportFailureStatus::Retry);
    let outcome = imports
        .run_with(
            &import.import_id,
            &DirectorySource::new(root.clone()),
            &sink,
            &AtomicBool::new(false),
            &quick_options(),
        )
        .unwrap();
    // Still corrupt: the entry is FAILED again and no other file was read.
    assert_eq!(outcome, RunOutcome::Failed);
    assert_eq!(sink.calls.load(Ordering::SeqCst), before);
    let failures = imports
        .list_import_failures(&import.import_id, None, None)
        .unwrap();
    assert_eq!(failures.failures.len(), 1);
    assert_eq!(failures.failures[0].status, ImportFailureStatus::Failed);

    // Replace it by an empty log file: the retry succeeds and the import completes.
    let corrupt = root.join(format!(
        "AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2023/07/10/{CORRUPT}"
    ));
    std::fs::write(&corrupt, br#"{"Records":[]}"#).unwrap();
    imports.start_import(retry).unwrap();
    let outcome = imports
        .run_with(
            &import.import_id,
            &DirectorySource::new(root),
            &sink,
            &AtomicBool::new(false),
            &quick_options(),
        )
        .unwrap();
    assert_eq!(outcome, RunOutcome::Completed);
    let failures = imports
        .list_import_failures(&import.import_id, None, None)
        .unwrap();
    assert_eq!(failures.failures[0].status, ImportFailureStatus::Succeeded);
    let done = imports.get_import(&import.import_id).unwrap();
    assert_eq!(done.import_statistics.failed_entries, 0);
    assert_eq!(done.import_statistics.files_completed, 8);
    sink.assert_each_once(&expected_records());
}

#[test]
fn sink_errors_are_retried_when_retryable_and_recorded_otherwise() {
    let state = tempfile::tempdir().unwrap();
    let (imports, _clock) = registry(state.path());
    let root = testdata_bucket();
    // Call 1 fails retryably once (then succeeds), call 3 fails for good.
    let sink = RecordingSink::with_hook(|call| match call {
        1 => Some(SinkError {
            message: "throttled".into(),
            retryable: true,
        }),
        4 => Some(SinkError {
            message: "store `eds-imports-1` is not enabled".into(),
            retryable: false,
        }),
        _ => None,
    });
    let import = imports
        .start_import(new_import(STORE, &root.display().to_string()))
        .unwrap();
    let outcome = imports
        .run_with(
            &import.import_id,
            &DirectorySource::new(root),
            &sink,
            &AtomicBool::new(false),
            &quick_options(),
        )
        .unwrap();
    assert_eq!(outcome, RunOutcome::Failed);
    let failures = imports
        .list_import_failures(&import.import_id, None, None)
        .unwrap()
        .failures;
    let types: Vec<&str> = failures
        .iter()
        .map(|failure| failure.error_type.as_str())
        .collect();
    assert_eq!(types, ["DestinationFailed", "InvalidGzip"]);
    assert_eq!(
        failures[0].error_message,
        "store `eds-imports-1` is not enabled"
    );
    let import = imports.get_import(&import.import_id).unwrap();
    assert_eq!(import.import_statistics.files_completed, 6);
    assert_eq!(import.import_statistics.failed_entries, 2);
}

#[test]
fn a_missing_bucket_fails_the_import_with_a_listing_failure() {
    let runtime = runtime();
    let state = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let (imports, _clock) = registry(state.path());
    let import = imports
        .start_import(new_import(STORE, "s3://missing-bucket/AWSLogs"))
        .unwrap();
    let bucket = Bucket::local("missing-bucket", empty.path().join("missing-bucket"));
    let source = BucketSource::new(bucket, "AWSLogs/".into(), runtime.handle().clone());
    let outcome = imports
        .run_with(
            &import.import_id,
            &source,
            &RecordingSink::default(),
            &AtomicBool::new(false),
            &quick_options(),
        )
        .unwrap();
    assert_eq!(outcome, RunOutcome::Failed);
    let failures = imports
        .list_import_failures(&import.import_id, None, None)
        .unwrap()
        .failures;
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].location, "s3://missing-bucket/AWSLogs");
    assert_eq!(failures[0].error_type, "ListFailed");
    assert_eq!(
        imports.get_import(&import.import_id).unwrap().import_status,
        ImportStatus::Failed
    );
}
