//! The registry rules: validation, one running import per account, stop, paging, filters,
//! persistence.

use std::sync::atomic::AtomicBool;

use opentrail_imports::{
    ErrorKind, ImportStatus, ListImportsRequest, RunOutcome, StartImportRequest,
};

use crate::support::*;

fn local_uri() -> String {
    testdata_bucket().display().to_string()
}

fn start(imports: &opentrail_imports::Imports, store: &str) -> opentrail_imports::Import {
    imports
        .start_import(new_import(store, &local_uri()))
        .unwrap()
}

#[test]
fn start_import_checks_its_members() {
    let state = tempfile::tempdir().unwrap();
    let (imports, _clock) = registry(state.path());
    let uri = local_uri();
    let cases: Vec<(&str, StartImportRequest, ErrorKind)> = vec![
        (
            "no destinations",
            StartImportRequest {
                destinations: None,
                ..new_import(STORE, &uri)
            },
            ErrorKind::InvalidParameter,
        ),
        (
            "two destinations",
            StartImportRequest {
                destinations: Some(vec![STORE.into(), OTHER_STORE.into()]),
                ..new_import(STORE, &uri)
            },
            ErrorKind::InvalidParameter,
        ),
        (
            "zero destinations",
            StartImportRequest {
                destinations: Some(vec![]),
                ..new_import(STORE, &uri)
            },
            ErrorKind::InvalidParameter,
        ),
        (
            "trail arn",
            new_import("arn:aws:cloudtrail:us-east-1:218007301253:trail/t", &uri),
            ErrorKind::EventDataStoreArnInvalid,
        ),
        (
            "no source",
            StartImportRequest {
                import_source: None,
                ..new_import(STORE, &uri)
            },
            ErrorKind::InvalidParameter,
        ),
        (
            "bad scheme",
            new_import(STORE, "https://example.com/bucket"),
            ErrorKind::InvalidImportSource,
        ),
        (
            "bad bucket",
            new_import(STORE, "s3://Not_A_Bucket"),
            ErrorKind::InvalidImportSource,
        ),
        (
            "missing directory",
            new_import(STORE, "/nonexistent/opentrail/imports"),
            ErrorKind::InvalidImportSource,
        ),
        (
            "start after end",
            StartImportRequest {
                start_event_time: Some(at("2023-07-11T00:00:00Z")),
                end_event_time: Some(at("2023-07-10T00:00:00Z")),
                ..new_import(STORE, &uri)
            },
            ErrorKind::InvalidParameter,
        ),
        (
            "retry with members",
            StartImportRequest {
                import_id: Some("00000000-0000-4000-8000-000000000000".into()),
                ..new_import(STORE, &uri)
            },
            ErrorKind::InvalidParameter,
        ),
        (
            "retry of unknown",
            StartImportRequest {
                import_id: Some("00000000-0000-4000-8000-000000000000".into()),
                ..StartImportRequest::default()
            },
            ErrorKind::ImportNotFound,
        ),
    ];
    for (name, request, kind) in cases {
        let error = imports.start_import(request).unwrap_err();
        assert_eq!(error.kind(), kind, "{name}: {error}");
    }
    let mut empty_role = new_import(STORE, &uri);
    empty_role
        .import_source
        .as_mut()
        .unwrap()
        .s3
        .s3_bucket_access_role_arn
        .clear();
    assert_eq!(
        imports.start_import(empty_role).unwrap_err().kind(),
        ErrorKind::InvalidParameter
    );
    // Equal bounds are a valid (one-instant) range.
    let same = StartImportRequest {
        start_event_time: Some(at("2023-07-10T12:00:00Z")),
        end_event_time: Some(at("2023-07-10T12:00:00Z")),
        ..new_import(STORE, &uri)
    };
    let import = imports.start_import(same).unwrap();
    assert_eq!(import.import_id.len(), 36);
    assert_eq!(import.created_timestamp, at("2026-01-01T00:00:00Z"));
    assert_eq!(import.destinations, [STORE]);
}

#[test]
fn one_import_runs_per_account() {
    let state = tempfile::tempdir().unwrap();
    let (imports, _clock) = registry(state.path());
    let first = start(&imports, STORE);
    let error = imports
        .start_import(new_import(OTHER_STORE, &local_uri()))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::AccountHasOngoingImport);
    assert!(error.to_string().contains(&first.import_id), "{error}");
    // Another account is free to import.
    start(&imports, OTHER_ACCOUNT_STORE);
    // Once the first has stopped, the account may start another.
    let stopped = imports.stop_import(&first.import_id).unwrap();
    assert_eq!(stopped.import_status, ImportStatus::Stopped);
    let second = start(&imports, OTHER_STORE);
    // A retry counts as a start too.
    let retry = StartImportRequest {
        import_id: Some(first.import_id.clone()),
        ..StartImportRequest::default()
    };
    assert_eq!(
        imports.start_import(retry.clone()).unwrap_err().kind(),
        ErrorKind::AccountHasOngoingImport
    );
    imports.stop_import(&second.import_id).unwrap();
    assert_eq!(
        imports.start_import(retry).unwrap().import_status,
        ImportStatus::Initializing
    );
}

#[test]
fn stop_and_get_know_only_running_and_existing_imports() {
    let state = tempfile::tempdir().unwrap();
    let (imports, _clock) = registry(state.path());
    let unknown = "0f0f0f0f-0000-4000-8000-000000000000";
    assert_eq!(
        imports.get_import(unknown).unwrap_err().kind(),
        ErrorKind::ImportNotFound
    );
    assert_eq!(
        imports.stop_import(unknown).unwrap_err().kind(),
        ErrorKind::ImportNotFound
    );
    assert_eq!(
        imports
            .list_import_failures(unknown, None, None)
            .unwrap_err()
            .kind(),
        ErrorKind::ImportNotFound
    );
    assert_eq!(
        imports.get_import("not-a-uuid").unwrap_err().kind(),
        ErrorKind::InvalidParameter
    );

    let import = start(&imports, STORE);
    imports.stop_import(&import.import_id).unwrap();
    let again = imports.stop_import(&import.import_id).unwrap_err();
    assert_eq!(again.kind(), ErrorKind::InvalidParameter);

    // A completed import can be neither stopped nor retried.
    let other_state = tempfile::tempdir().unwrap();
    let (imports, _clock) = registry(other_state.path());
    let request = StartImportRequest {
        start_event_time: Some(at("2023-07-10T11:50:00Z")),
        end_event_time: Some(at("2023-07-10T12:00:00Z")),
        ..new_import(STORE, &local_uri())
    };
    let import = imports.start_import(request).unwrap();
    let outcome = imports
        .run(
            &import.import_id,
            &opentrail_imports::DirectorySource::new(testdata_bucket()),
            &RecordingSink::default(),
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(outcome, RunOutcome::Completed);
    assert_eq!(
        imports.stop_import(&import.import_id).unwrap_err().kind(),
        ErrorKind::InvalidParameter
    );
    let retry = StartImportRequest {
        import_id: Some(import.import_id),
        ..StartImportRequest::default()
    };
    assert_eq!(
        imports.start_import(retry).unwrap_err().kind(),
        ErrorKind::InvalidParameter
    );
}

#[test]
fn list_imports_pages_and_filters() {
    let state = tempfile::tempdir().unwrap();
    let (imports, clock) = registry(state.path());
    let mut ids = Vec::new();
    for index in 0..5 {
        let store = if index % 2 == 0 { STORE } else { OTHER_STORE };
        let import = start(&imports, store);
        clock.advance_millis(1000);
        if index < 4 {
            imports.stop_import(&import.import_id).unwrap();
        }
        ids.push(import.import_id);
    }
    let mut seen = Vec::new();
    let mut request = ListImportsRequest {
        max_results: Some(2),
        ..ListImportsRequest::default()
    };
    loop {
        let page = imports.list_imports(&request).unwrap();
        assert!(page.imports.len() <= 2);
        seen.extend(page.imports.into_iter().map(|item| item.import_id));
        match page.next_token {
            Some(token) => request.next_token = Some(token),
            None => break,
        }
    }
    assert_eq!(seen, ids, "oldest first, each once");

    let by_store = imports
        .list_imports(&ListImportsRequest {
            destination: Some(OTHER_STORE.into()),
            ..ListImportsRequest::default()
        })
        .unwrap();
    let got: Vec<&str> = by_store
        .imports
        .iter()
        .map(|item| item.import_id.as_str())
        .collect();
    assert_eq!(got, [ids[1].as_str(), ids[3].as_str()]);
    assert_eq!(by_store.imports[0].destinations, [OTHER_STORE]);

    // Listing for one account: a page never holds another account's imports.
    let other = imports
        .list_imports(&ListImportsRequest {
            account: Some("111122223333".into()),
            ..ListImportsRequest::default()
        })
        .unwrap();
    assert!(other.imports.is_empty());
    assert_eq!(other.next_token, None);
    let own = imports
        .list_imports(&ListImportsRequest {
            account: Some("218007301253".into()),
            max_results: Some(5),
            ..ListImportsRequest::default()
        })
        .unwrap();
    assert_eq!(own.imports.len(), 5);

    let running = imports
        .list_imports(&ListImportsRequest {
            import_status: Some(ImportStatus::Initializing),
            ..ListImportsRequest::default()
        })
        .unwrap();
    assert_eq!(running.imports.len(), 1);
    assert_eq!(running.imports[0].import_id, ids[4]);
    assert_eq!(running.next_token, None);

    for bad in [0, 1001, -1] {
        let error = imports
            .list_imports(&ListImportsRequest {
                max_results: Some(bad),
                ..ListImportsRequest::default()
            })
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidParameter, "{bad}");
    }
    let error = imports
        .list_imports(&ListImportsRequest {
            next_token: Some("garbage".into()),
            ..ListImportsRequest::default()
        })
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidNextToken);
    let error = imports
        .list_imports(&ListImportsRequest {
            destination: Some("nope".into()),
            ..ListImportsRequest::default()
        })
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::EventDataStoreArnInvalid);
}

#[test]
fn list_import_failures_pages() {
    let state = tempfile::tempdir().unwrap();
    let (imports, _clock) = registry(state.path());
    let root = testdata_bucket();
    let import = start(&imports, STORE);
    // Every add fails for good: eight failure entries, one per selected file.
    let sink = RecordingSink::with_hook(|_| {
        Some(opentrail_imports::SinkError {
            message: "store is gone".into(),
            retryable: false,
        })
    });
    imports
        .run(
            &import.import_id,
            &opentrail_imports::DirectorySource::new(root),
            &sink,
            &AtomicBool::new(false),
        )
        .unwrap();
    let all = imports
        .list_import_failures(&import.import_id, None, None)
        .unwrap();
    assert_eq!(all.failures.len(), 8);
    assert_eq!(all.next_token, None);
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = imports
            .list_import_failures(&import.import_id, Some(3), token.as_deref())
            .unwrap();
        seen.extend(page.failures);
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, all.failures);
    let error = imports
        .list_import_failures(&import.import_id, Some(3), Some("failures/99"))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidNextToken);
    let error = imports
        .list_import_failures(&import.import_id, Some(0), None)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidParameter);
}

#[test]
fn imports_survive_a_reopen() {
    let state = tempfile::tempdir().unwrap();
    let import = {
        let (imports, _clock) = registry(state.path());
        let import = start(&imports, STORE);
        imports.stop_import(&import.import_id).unwrap()
    };
    let (imports, _clock) = registry(state.path());
    assert_eq!(imports.get_import(&import.import_id).unwrap(), import);
    let stored: serde_json::Value =
        serde_json::from_slice(&std::fs::read(state.path().join("imports.json")).unwrap()).unwrap();
    assert_eq!(stored["Version"], 1);
    assert_eq!(stored["Imports"][0]["ImportStatus"], "STOPPED");
    assert_eq!(
        stored["Imports"][0]["ImportSource"]["S3"]["S3BucketRegion"],
        "us-east-1"
    );

    std::fs::write(
        state.path().join("imports.json"),
        br#"{"Version":2,"Imports":[]}"#,
    )
    .unwrap();
    let error = opentrail_imports::Imports::open(
        state.path(),
        std::sync::Arc::new(opentrail_types::ManualClock::new(at(
            "2026-01-01T00:00:00Z",
        ))),
        std::sync::Arc::new(opentrail_types::SeededIds::new(1)),
    )
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Storage);
}

#[test]
fn a_running_import_without_runner_can_be_marked_failed() {
    let state = tempfile::tempdir().unwrap();
    let (imports, _clock) = registry(state.path());
    let import = start(&imports, STORE);
    let failed = imports
        .mark_failed(&import.import_id, "bucket `x` no longer resolves")
        .unwrap();
    assert_eq!(failed.import_status, ImportStatus::Failed);
    assert_eq!(failed.import_statistics.failed_entries, 1);
    let failures = imports
        .list_import_failures(&import.import_id, None, None)
        .unwrap()
        .failures;
    assert_eq!(failures[0].location, local_uri());
    assert_eq!(
        imports
            .mark_failed(&import.import_id, "again")
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidParameter
    );
}
