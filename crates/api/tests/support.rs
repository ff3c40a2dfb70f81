//! What the wire tests share: a [`Fixture`] holding every part `Services` borrows (opened
//! in one temporary folder, on a [`ManualClock`] and seeded IDs), and [`run_sequence`],
//! which runs a `tests/wire/*-sequence.txt` file against it.
//!
//! # Sequence files
//!
//! Each line is `<Operation>/<case>`: the request is `tests/wire/<Operation>/<case>.request.json`
//! (`{"source", "region"?, "account"?, "body"}`, default region `us-east-1`, account
//! `111122223333`), the expected response `<case>.response.json` (the status line and the
//! exact body). The clock starts at 2023-11-14T22:13:20Z and moves one second before each
//! call. Lines starting with `#` are comments; lines starting with `!` act on the fakes:
//!
//! - `!gate closed` / `!gate open`: queries wait at the executor's gate while it is closed;
//! - `!advance <ms>`: moves the clock (a query held at the gate past its deadline times out);
//! - `!import-failed <Operation>/<case> <message>`: marks the import that case started
//!   `FAILED` with one failure entry, as the server does when its source cannot be read.
//!
//! Placeholders in a request: `{{arn:NAME}}` and `{{id:NAME}}` stand for the store or
//! channel created (or renamed) with that name earlier; `{{id:StartQuery/<case>}}` and
//! `{{id:StartImport/<case>}}` for the ID that case returned; `{{token:<Operation>/<case>}}`
//! for the `NextToken` that case returned.
//!
//! After each line the runner waits (polling, with a deadline) until every query started
//! so far is settled: ended with its delivery done, or held at the closed gate (or queued
//! behind the held one). So the worker never reads the clock while the test moves it, and
//! start and end times are the same every run.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use opentrail_api::{Operation, Scope, Services, call};
use opentrail_digest::KeyRing;
use opentrail_imports::Imports;
use opentrail_journal::{Journal, JournalConfig};
use opentrail_lake::{Lake, LakeLimits};
use opentrail_queries::{DeliveryStatus, Queries, QueryLimits, QueryStatus};
use opentrail_store::{History, HistoryConfig};
use opentrail_testkit::golden::assert_golden;
use opentrail_trails::{BucketProbe, TopicDirectory, TrailLimits, Trails};
use opentrail_types::{Clock, ManualClock, SeededIds, SystemClock, Timestamp};

use crate::fakes::{FromChecker, GatedExecutor, RecordingLauncher, RecordingSink};

/// The caller's account when a request names none.
pub const ACCOUNT: &str = "111122223333";
/// The caller's region when a request names none.
pub const REGION: &str = "us-east-1";

/// Queued plus running queries per account in these tests: small, so that the limit is
/// reached with one query held and one queued.
pub const MAX_CONCURRENT_QUERIES: usize = 2;

/// Every part of OpenTrail the operations work on, in one temporary folder.
pub struct Fixture {
    _dir: tempfile::TempDir,
    /// The journal under the history.
    pub journal: Journal,
    /// Event history (empty).
    pub history: History,
    /// The trail registry.
    pub trails: Trails,
    /// The Lake registry; store IDs from `SeededIds::new(2013)`.
    pub lake: Lake,
    /// Digest signing keys.
    pub keys: KeyRing,
    /// The query service; query IDs from `SeededIds::new(2014)`.
    pub queries: Queries,
    /// The import registry; import IDs from `SeededIds::new(2015)`.
    pub imports: Imports,
    /// The clock of every part except the history.
    pub clock: ManualClock,
    /// The query service's executor.
    pub executor: Arc<GatedExecutor>,
    /// Where the query service delivers results.
    pub sink: Arc<RecordingSink>,
    /// StartQuery's statement checker.
    pub checker: FromChecker,
    /// StartImport's launcher.
    pub launcher: RecordingLauncher,
    /// The Insights analyzer ListInsightsMetricData reads.
    pub insights: std::sync::Mutex<opentrail_insights::Analyzer>,
}

impl Fixture {
    /// Opens everything; the query service has one worker, so a query held at the gate
    /// keeps the next one `QUEUED`.
    pub fn open() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(
            &dir.path().join("journal"),
            JournalConfig::default(),
            Arc::new(SystemClock),
        )
        .unwrap();
        let history = History::open(
            &dir.path().join("history"),
            journal.clone(),
            HistoryConfig::default(),
            Arc::new(SystemClock),
        )
        .unwrap();
        let clock = ManualClock::new(Timestamp::from_secs(1_700_000_000));
        let trails = Trails::open(
            &dir.path().join("trails"),
            Arc::new(clock.clone()),
            TrailLimits::default(),
        )
        .unwrap();
        let lake = Lake::open(
            &dir.path().join("lake"),
            Arc::new(clock.clone()),
            Arc::new(SeededIds::new(2013)),
            LakeLimits::default(),
        )
        .unwrap();
        let keys = KeyRing::open(
            &dir.path().join("keys"),
            Arc::new(clock.clone()),
            Duration::from_secs(30 * 86_400),
        )
        .unwrap();
        let executor = Arc::new(GatedExecutor::default());
        let sink = Arc::new(RecordingSink::default());
        let queries = Queries::open(
            &dir.path().join("queries"),
            Arc::new(clock.clone()),
            Arc::new(SeededIds::new(2014)),
            executor.clone(),
            Some(sink.clone()),
            QueryLimits {
                workers: 1,
                max_concurrent: MAX_CONCURRENT_QUERIES,
                ..QueryLimits::default()
            },
        )
        .unwrap();
        let imports = Imports::open(
            &dir.path().join("imports"),
            Arc::new(clock.clone()),
            Arc::new(SeededIds::new(2015)),
        )
        .unwrap();
        Fixture {
            _dir: dir,
            journal,
            history,
            trails,
            lake,
            keys,
            queries,
            imports,
            clock,
            executor,
            sink,
            checker: FromChecker,
            launcher: RecordingLauncher::default(),
            insights: std::sync::Mutex::new(opentrail_insights::Analyzer::new(
                opentrail_insights::InsightsConfig::default(),
            )),
        }
    }

    /// The services of a call made now.
    pub fn services<'a>(
        &'a self,
        buckets: &'a dyn BucketProbe,
        topics: &'a dyn TopicDirectory,
    ) -> Services<'a> {
        Services {
            history: &self.history,
            trails: &self.trails,
            lake: &self.lake,
            buckets,
            topics,
            keys: &self.keys,
            queries: &self.queries,
            statements: &self.checker,
            imports: &self.imports,
            import_launcher: &self.launcher,
            insights: &self.insights,
            now: self.clock.now(),
        }
    }

    /// Stops the query workers and the history.
    pub fn close(self) {
        self.executor.set_closed(false);
        self.queries.shutdown();
        self.history.close();
        self.journal.close();
    }

    /// Waits until every query in `started` (account, ID) is settled (see the module
    /// documentation).
    fn settle(&self, started: &[(String, String)]) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let mut states = Vec::new();
            for (account, query_id) in started {
                let described = self.queries.describe(account, query_id).unwrap();
                let held = self.executor.is_held(query_id);
                states.push((
                    query_id.as_str(),
                    described.status,
                    described.delivery_status,
                    held,
                ));
            }
            let one_held = states
                .iter()
                .any(|state| state.1 == QueryStatus::Running && state.3);
            let settled = states
                .iter()
                .all(|(_, status, delivery, held)| match status {
                    QueryStatus::Running => *held,
                    // One worker: a queued query stays queued while the held one runs.
                    QueryStatus::Queued => one_held,
                    _ => *delivery != Some(DeliveryStatus::Pending),
                });
            if settled {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the queries did not settle: {states:?}"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

/// The folder of the golden files.
pub fn wire_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wire")
}

/// What earlier lines of a sequence produced, for the placeholders of later requests.
#[derive(Debug, Default)]
pub struct Known {
    /// Store and channel ARNs by name; query and import IDs by the case that started them.
    pub names: BTreeMap<String, String>,
    /// `NextToken`s by the case that returned them.
    pub tokens: BTreeMap<String, String>,
    /// The queries started so far: (account, query ID).
    pub queries: Vec<(String, String)>,
}

/// Replaces the placeholders of `text` (see the module documentation).
pub fn substitute(text: &str, known: &Known) -> String {
    let mut text = text.to_owned();
    for (name, arn) in &known.names {
        let id = arn.rsplit('/').next().unwrap();
        text = text
            .replace(&format!("{{{{arn:{name}}}}}"), arn)
            .replace(&format!("{{{{id:{name}}}}}"), id);
    }
    for (case, token) in &known.tokens {
        text = text.replace(&format!("{{{{token:{case}}}}}"), token);
    }
    assert!(!text.contains("{{"), "unknown placeholder in {text}");
    text
}

/// Runs the sequence file `name` of the wire folder against `fixture`; returns the
/// operations it called and what it learnt.
pub fn run_sequence(
    fixture: &Fixture,
    buckets: &dyn BucketProbe,
    topics: &dyn TopicDirectory,
    name: &str,
) -> (BTreeSet<String>, Known) {
    let folder = wire_folder();
    let sequence = std::fs::read_to_string(folder.join(name)).unwrap();
    let mut seen_operations = BTreeSet::new();
    let mut known = Known::default();
    for line in sequence
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
    {
        if let Some(directive) = line.strip_prefix('!') {
            apply_directive(fixture, directive, &known);
            fixture.settle(&known.queries);
            continue;
        }
        let (operation_name, case) = line.split_once('/').unwrap();
        let operation = Operation::from_name(operation_name).unwrap();
        seen_operations.insert(operation_name.to_owned());
        let text = std::fs::read_to_string(folder.join(format!("{line}.request.json")))
            .unwrap_or_else(|error| panic!("{line}: {error}"));
        let request: serde_json::Value = serde_json::from_str(&substitute(&text, &known)).unwrap();
        let scope = Scope {
            account_id: request["account"].as_str().unwrap_or(ACCOUNT).to_owned(),
            region: request["region"].as_str().unwrap_or(REGION).to_owned(),
        };
        let body = serde_json::to_vec(&request["body"]).unwrap();
        fixture.clock.advance_millis(1_000);
        let services = fixture.services(buckets, topics);
        let text = match call(services, &scope, operation, &body) {
            Ok(response) => {
                let value: serde_json::Value = serde_json::from_slice(&response).unwrap();
                learn(&mut known, line, operation, &scope, &value);
                format!("HTTP 200\n{}\n", String::from_utf8(response).unwrap())
            }
            Err(error) => format!("HTTP {}\n{}\n", error.code.http_status(), error.to_json()),
        };
        fixture.settle(&known.queries);
        assert_golden(
            &folder
                .join(operation_name)
                .join(format!("{case}.response.json")),
            &text,
        );
    }
    (seen_operations, known)
}

/// Records the names, IDs and tokens a successful response carries.
fn learn(
    known: &mut Known,
    line: &str,
    operation: Operation,
    scope: &Scope,
    value: &serde_json::Value,
) {
    let arn = value["EventDataStoreArn"]
        .as_str()
        .or(value["ChannelArn"].as_str());
    if let (Some(name), Some(arn)) = (value["Name"].as_str(), arn) {
        known.names.insert(name.to_owned(), arn.to_owned());
    }
    if let Some(token) = value["NextToken"].as_str() {
        known.tokens.insert(line.to_owned(), token.to_owned());
    }
    match operation {
        Operation::StartQuery => {
            let query_id = value["QueryId"].as_str().unwrap().to_owned();
            known.names.insert(line.to_owned(), query_id.clone());
            known.queries.push((scope.account_id.clone(), query_id));
        }
        Operation::StartImport => {
            let import_id = value["ImportId"].as_str().unwrap().to_owned();
            known.names.insert(line.to_owned(), import_id);
        }
        _ => {}
    }
}

fn apply_directive(fixture: &Fixture, directive: &str, known: &Known) {
    let (verb, argument) = directive.split_once(' ').unwrap_or((directive, ""));
    match verb {
        "gate" => match argument {
            "closed" => fixture.executor.set_closed(true),
            "open" => fixture.executor.set_closed(false),
            other => panic!("`!gate {other}`: say `closed` or `open`"),
        },
        "advance" => fixture.clock.advance_millis(argument.parse().unwrap()),
        "import-failed" => {
            let (case, message) = argument.split_once(' ').unwrap();
            fixture
                .imports
                .mark_failed(&known.names[case], message)
                .unwrap();
        }
        other => panic!("unknown directive `!{other}`"),
    }
}
