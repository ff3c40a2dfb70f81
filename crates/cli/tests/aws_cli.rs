//! `opentrail lookup-events` prints what `aws cloudtrail lookup-events` prints.
//!
//! The real aws CLI talks to a stub endpoint (`stub_endpoint.py`, on 127.0.0.1) that
//! serves the wire responses OpenTrail's API layer gives for the same data; both outputs
//! must be byte-identical, through pagination, `--max-items` / `--starting-token` and
//! service errors. This checks the wire shapes against botocore and the printer against the
//! aws CLI. (The server itself, with SigV4, is tested against the aws CLI directly once it
//! exists.)

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use opentrail_api::ApiError;
use opentrail_api::ops::lookup_events::{LookupAttributeShape, LookupEventsRequest, handle};
use opentrail_journal::{Journal, JournalConfig};
use opentrail_store::{DataDir, History, HistoryConfig};
use opentrail_types::SystemClock;

use crate::support::{import_fixtures, opentrail, stderr, stdout};

/// The stub endpoint process; killed (by its own PID) when dropped.
struct Stub {
    child: Child,
    port: u16,
}

impl Drop for Stub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_stub(pages: &Path) -> Stub {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/stub_endpoint.py");
    let mut child = Command::new("python3")
        .arg(script)
        .arg(pages)
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 is needed for this test");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().parse().expect("the stub prints its port");
    Stub { child, port }
}

fn canonical(request: &LookupEventsRequest) -> String {
    // serde_json's Value keeps keys sorted, like Python's sort_keys.
    serde_json::to_value(request).unwrap().to_string()
}

/// Every page of `request`, keyed by request body, as the stub serves them.
fn pages_for(
    history: &History,
    request: &LookupEventsRequest,
    pages: &mut BTreeMap<String, serde_json::Value>,
) {
    let mut request = request.clone();
    loop {
        let key = canonical(&request);
        match handle(history, request.clone()) {
            Ok(response) => {
                let body = serde_json::to_string(&response).unwrap();
                pages.insert(key, serde_json::json!({"status": 200, "body": body}));
                match response.next_token {
                    Some(token) => request.next_token = Some(token),
                    None => return,
                }
            }
            Err(error) => {
                let error: ApiError = error;
                pages.insert(key, serde_json::json!({"status": error.code.http_status(), "body": error.to_json()}));
                return;
            }
        }
    }
}

fn request(
    attributes: &[(&str, &str)],
    max_results: Option<i64>,
    category: Option<&str>,
) -> LookupEventsRequest {
    LookupEventsRequest {
        lookup_attributes: (!attributes.is_empty()).then(|| {
            attributes
                .iter()
                .map(|(key, value)| LookupAttributeShape {
                    attribute_key: Some((*key).to_owned()),
                    attribute_value: Some((*value).to_owned()),
                })
                .collect()
        }),
        max_results,
        event_category: category.map(str::to_owned),
        ..LookupEventsRequest::default()
    }
}

fn aws(port: u16, args: &[&str]) -> std::process::Output {
    Command::new("aws")
        .args([
            "cloudtrail",
            "lookup-events",
            "--endpoint-url",
            &format!("http://127.0.0.1:{port}"),
            "--region",
            "us-east-1",
            "--output",
            "json",
        ])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        )
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .output()
        .expect("the aws CLI (pip install awscli) is needed for this test")
}

#[test]
fn output_is_byte_identical_to_the_aws_cli() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    import_fixtures(&data);

    let ec2 = [("EventSource", "ec2.amazonaws.com")];
    let mut pages = BTreeMap::new();
    {
        let data_dir = DataDir::open(&data).unwrap();
        let clock = Arc::new(SystemClock);
        let journal = Journal::open(
            &data_dir.journal_dir(),
            JournalConfig::default(),
            clock.clone(),
        )
        .unwrap();
        let history = History::open(
            &data_dir.history_dir(),
            journal.clone(),
            HistoryConfig::default(),
            clock,
        )
        .unwrap();
        assert!(history.wait_caught_up(std::time::Duration::from_secs(30)));
        pages_for(&history, &request(&ec2, Some(5), None), &mut pages);
        pages_for(&history, &request(&[], None, Some("insight")), &mut pages);
        pages_for(
            &history,
            &request(&[("Username", "root")], Some(3), None),
            &mut pages,
        );
        pages_for(&history, &request(&ec2, Some(99), None), &mut pages);
        history.close();
        journal.close();
    }
    let pages_file = dir.path().join("pages.json");
    std::fs::write(&pages_file, serde_json::to_vec(&pages).unwrap()).unwrap();
    let stub = start_stub(&pages_file);

    let ours = |args: &[&str]| {
        opentrail()
            .args(["lookup-events", "--data-dir"])
            .arg(&data)
            .args(args)
            .output()
            .unwrap()
    };
    let ec2_args = [
        "--lookup-attributes",
        "AttributeKey=EventSource,AttributeValue=ec2.amazonaws.com",
        "--page-size",
        "5",
    ];
    let cases: Vec<Vec<&str>> = vec![
        // every page
        ec2_args.to_vec(),
        // --max-items cuts inside a page
        [&ec2_args[..], &["--max-items", "7"]].concat(),
        vec!["--event-category", "insight"],
        // --max-items ends on a page boundary
        vec![
            "--lookup-attributes",
            "AttributeKey=Username,AttributeValue=root",
            "--page-size",
            "3",
            "--max-items",
            "3",
        ],
        // --max-results is manual paging: one page, raw NextToken
        vec![
            "--lookup-attributes",
            "AttributeKey=EventSource,AttributeValue=ec2.amazonaws.com",
            "--max-results",
            "5",
        ],
    ];
    for case in &cases {
        let expected = aws(stub.port, case);
        assert!(
            expected.status.success(),
            "aws {case:?}: {}",
            stderr(&expected)
        );
        let actual = ours(case);
        assert!(
            actual.status.success(),
            "opentrail {case:?}: {}",
            stderr(&actual)
        );
        assert_eq!(
            stdout(&actual),
            stdout(&expected),
            "outputs differ for {case:?}"
        );
        assert!(stdout(&expected).contains("\"Events\""), "{case:?}");
    }

    // Resuming from a --max-items token continues identically, in both.
    let first = stdout(&aws(stub.port, &cases[1]));
    let token = serde_json::from_str::<serde_json::Value>(&first).unwrap()["NextToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let resume = [&cases[1][..], &["--starting-token", &token]].concat();
    let expected = aws(stub.port, &resume);
    assert!(expected.status.success(), "{}", stderr(&expected));
    assert_eq!(stdout(&ours(&resume)), stdout(&expected));

    // A service error reads the same (the exit codes differ by design: 255 vs 2).
    let bad = [&ec2_args[..2], &["--max-results", "99"]].concat();
    let expected = aws(stub.port, &bad);
    let actual = ours(&bad);
    assert_eq!(expected.status.code(), Some(255));
    assert_eq!(actual.status.code(), Some(2));
    assert_eq!(stderr(&actual).trim(), stderr(&expected).trim());
    assert!(stderr(&actual).contains("InvalidMaxResultsException"));

    // So does mixing manual and automatic paging, refused before any request.
    let mixed = ["--max-results", "5", "--max-items", "3"];
    let expected = aws(stub.port, &mixed);
    let actual = ours(&mixed);
    assert_eq!(
        (expected.status.code(), actual.status.code()),
        (Some(255), Some(2))
    );
    assert_eq!(stderr(&actual).trim(), stderr(&expected).trim());
}
