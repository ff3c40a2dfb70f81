//! Each case is `tests/wire/<Operation>/<case>.request.json` (the request body, with a
//! note of where it came from) and `<case>.response.json` (the expected response body).
//! Volatile values become named placeholders (`<NEXT_TOKEN>`). `UPDATE_GOLDEN=1` rewrites
//! the responses.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use opentrail_api::ops::lookup_events::{LookupEventsRequest, handle};
use opentrail_event::{Event, RecordLimits};
use opentrail_journal::{AppendEntry, Journal, JournalConfig};
use opentrail_store::{History, HistoryConfig};
use opentrail_testkit::golden::assert_golden;
use opentrail_testkit::testdata::{all_fixture_records, root};
use opentrail_types::SystemClock;
use opentrail_types::json_text;

/// A history holding the user-guide records, appended one by one in file order so that
/// ties in event time break the same way every run.
fn guide_history(dir: &Path) -> (Journal, History) {
    let journal = Journal::open(
        &dir.join("journal"),
        JournalConfig::default(),
        Arc::new(SystemClock),
    )
    .unwrap();
    let guide = root()
        .join("cloudtrail-records/aws-user-guide")
        .canonicalize()
        .unwrap();
    for fixture in all_fixture_records() {
        let file = fixture.origin.split('#').next().unwrap();
        if !guide.join(file).is_file() {
            continue;
        }
        let compact = json_text::compact(&fixture.json).into_bytes();
        let mut event = Event::parse(&compact, &RecordLimits::STANDARD).unwrap();
        let payload = match event.event_id() {
            Some(_) => compact,
            None => {
                event.set_event_id(format!("guide-{}", fixture.origin));
                event.to_json()
            }
        };
        journal
            .append(vec![AppendEntry::new(event.event_id().unwrap(), payload)])
            .unwrap();
    }
    let history = History::open(
        &dir.join("history"),
        journal.clone(),
        HistoryConfig::default(),
        Arc::new(SystemClock),
    )
    .unwrap();
    assert!(history.wait_caught_up(Duration::from_secs(10)));
    (journal, history)
}

fn check_case(history: &History, operation: &str, case: &str) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/wire")
        .join(operation);
    let request_text =
        std::fs::read_to_string(folder.join(format!("{case}.request.json"))).unwrap();
    let request: serde_json::Value = serde_json::from_str(&request_text).unwrap();
    let body: LookupEventsRequest = serde_json::from_value(request["body"].clone()).unwrap();
    // Serialized from the shapes themselves, so member order is the wire's.
    let text = match handle(history, body) {
        Ok(mut response) => {
            if response.next_token.is_some() {
                response.next_token = Some(String::from("<NEXT_TOKEN>"));
            }
            serde_json::to_string_pretty(&response).unwrap() + "\n"
        }
        Err(error) => format!("HTTP {}\n{}\n", error.code.http_status(), error.to_json()),
    };
    assert_golden(&folder.join(format!("{case}.response.json")), &text);
}

#[test]
fn lookup_events_wire_goldens() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, history) = guide_history(dir.path());
    for case in [
        "console-logins-first-page",
        "root-sign-ins",
        "insights",
        "invalid-max-results",
        "two-attributes-anded",
    ] {
        check_case(&history, "LookupEvents", case);
    }
    history.close();
    journal.close();
}
