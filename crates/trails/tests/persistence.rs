//! State files: kept across reopen, versioned, never silently emptied.

use std::path::Path;

use opentrail_trails::{ErrorKind, STATUS_FILE, TRAILS_FILE, TagInput, TrailLimits, Trails};
use opentrail_types::{ManualClock, Timestamp};

use crate::support::{Fixture, REGION, START, arn, caller};

#[test]
fn everything_survives_a_reopen() {
    let fixture = Fixture::new();
    let caller = caller();
    fixture.create(&caller, "kept");
    fixture.create(&caller, "gone");
    fixture.trails.start_logging(&caller, "kept").unwrap();
    fixture
        .trails
        .add_tags(
            &caller,
            &arn(REGION, "kept"),
            vec![TagInput {
                key: String::from("k"),
                value: None,
            }],
        )
        .unwrap();
    fixture.trails.delete_trail(&caller, "gone").unwrap();
    fixture
        .trails
        .update_status(&arn(REGION, "kept"), |status| {
            status.latest_delivery_error = Some(String::from("AccessDenied"))
        })
        .unwrap();
    fixture
        .trails
        .update_status(&arn(REGION, "gone"), |status| {
            status.latest_digest_delivery_time = Some(Timestamp::from_secs(START))
        })
        .unwrap();
    let before = fixture.trails.snapshot();
    let revision = *fixture.trails.subscribe().borrow();

    let reopened = fixture.reopen();
    assert_eq!(reopened.snapshot(), before);
    assert_eq!(*reopened.subscribe().borrow(), revision);
    let report = reopened.get_trail_status(&caller, "kept").unwrap();
    assert!(report.is_logging);
    assert_eq!(
        report.status.latest_delivery_error.as_deref(),
        Some("AccessDenied")
    );
    refused_not_found(&reopened);
    // The tombstone's status is kept until it is purged, then dropped with it.
    reopened.purge(&arn(REGION, "gone")).unwrap();
    let status_text = std::fs::read_to_string(fixture.dir.path().join(STATUS_FILE)).unwrap();
    assert!(!status_text.contains("trail/gone"), "{status_text}");
}

fn refused_not_found(trails: &Trails) {
    assert_eq!(
        trails.get_trail(&caller(), "gone").unwrap_err().kind(),
        ErrorKind::TrailNotFound
    );
}

fn open(dir: &Path) -> opentrail_trails::Result<Trails> {
    let clock = ManualClock::new(Timestamp::from_secs(START));
    Trails::open(dir, std::sync::Arc::new(clock), TrailLimits::default())
}

#[test]
fn damaged_or_unknown_files_stop_the_open() {
    for (file, text) in [
        (
            TRAILS_FILE,
            "{\"version\":1,\"revision\":3,\"trails\":[{\"name\":",
        ),
        (TRAILS_FILE, "{\"version\":2,\"revision\":0,\"trails\":[]}"),
        (TRAILS_FILE, ""),
        (STATUS_FILE, "[]"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(file), text).unwrap();
        let error = open(dir.path()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Corrupt, "{file}: {text}: {error}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join(file)).unwrap(),
            text,
            "left as it was"
        );
    }
}

/// The version 1 fixture is read as `v1.expected.json` says (STYLE.md: persisted-state
/// compatibility). Regenerate the fixture only when adding a new version.
#[test]
fn version_1_fixture_reads_as_expected() {
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(testdata.join("v1.json"), dir.path().join(TRAILS_FILE)).unwrap();
    std::fs::copy(
        testdata.join("status-v1.json"),
        dir.path().join(STATUS_FILE),
    )
    .unwrap();
    let trails = open(dir.path()).unwrap();
    let read = serde_json::to_string_pretty(&serde_json::json!({
        "trails": serde_json::to_value(trails.snapshot()).unwrap(),
        "status": format!("{:?}", trails.get_trail_status(&caller(), "fixture").unwrap()),
    }))
    .unwrap()
        + "\n";
    opentrail_testkit::golden::assert_golden(&testdata.join("v1.expected.json"), &read);
}
