//! Stored-state compatibility: `testdata/state/vN.json` is read by today's code as
//! `vN.expected.json` says; the runner thread of `spawn_runner`.

use std::path::Path;
use std::sync::Arc;

use opentrail_imports::{
    ImportStatus, ListImportsRequest, RunOptions, RunOutcome, StartImportRequest, spawn_runner,
};
use opentrail_testkit::golden::assert_golden;
use serde_json::json;

use crate::support::*;

#[test]
fn version_1_state_is_read() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/state");
    let state = tempfile::tempdir().unwrap();
    std::fs::copy(folder.join("v1.json"), state.path().join("imports.json")).unwrap();
    let (imports, _clock) = registry(state.path());
    let page = imports
        .list_imports(&ListImportsRequest::default())
        .unwrap();
    let mut read = Vec::new();
    for item in page.imports {
        let import = imports.get_import(&item.import_id).unwrap();
        let failures = imports
            .list_import_failures(&item.import_id, None, None)
            .unwrap()
            .failures;
        read.push(json!({ "Import": import, "Failures": failures }));
    }
    let runnable: Vec<String> = imports
        .runnable_imports()
        .into_iter()
        .map(|import| import.import_id)
        .collect();
    let actual = json!({ "Imports": read, "Runnable": runnable });
    assert_golden(
        &folder.join("v1.expected.json"),
        &format!("{}\n", serde_json::to_string_pretty(&actual).unwrap()),
    );
}

#[test]
fn a_version_1_failed_import_is_retried_from_its_cursor() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/state");
    let state = tempfile::tempdir().unwrap();
    std::fs::copy(folder.join("v1.json"), state.path().join("imports.json")).unwrap();
    let (imports, _clock) = registry(state.path());
    let import_id = "5f1c2a9e-7b3d-4c8e-9a61-0d2e4f6a8b10";
    imports
        .start_import(StartImportRequest {
            import_id: Some(import_id.into()),
            ..StartImportRequest::default()
        })
        .unwrap();
    // The stored import names `s3://trail-bucket/AWSLogs`: the test bucket as a local bucket.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let bucket = opentrail_blob::Bucket::local("trail-bucket", testdata_bucket());
    let source =
        opentrail_imports::BucketSource::new(bucket, "AWSLogs/".into(), runtime.handle().clone());
    let sink = Arc::new(RecordingSink::default());
    let handle = spawn_runner(
        Arc::clone(&imports),
        import_id.into(),
        Box::new(source),
        sink.clone(),
        RunOptions::default(),
    )
    .unwrap();
    // Only the failed file is read again (and is still corrupt); nothing reaches the sink.
    assert_eq!(handle.join().unwrap(), RunOutcome::Failed);
    assert!(sink.arrivals().is_empty());
    let import = imports.get_import(import_id).unwrap();
    assert_eq!(import.import_status, ImportStatus::Failed);
    assert_eq!(import.import_statistics.files_completed, 7);
    assert_eq!(import.import_statistics.failed_entries, 1);
}
