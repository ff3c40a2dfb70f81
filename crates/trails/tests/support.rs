//! A registry in a temporary folder, a fixed clock, and probes with known buckets and topics.

use std::sync::Arc;

use opentrail_trails::{
    BucketProbe, BucketProblem, Caller, CreateTrailInput, ErrorKind, Probes, TopicDirectory, Trail,
    TrailLimits, Trails,
};
use opentrail_types::{ManualClock, Timestamp};

pub const ACCOUNT: &str = "111122223333";
pub const OTHER_ACCOUNT: &str = "444455556666";
pub const REGION: &str = "us-east-1";
pub const START: i64 = 1_700_000_000;

/// Buckets that exist: `audit-logs` and `other-logs`; `locked-logs` refuses writes;
/// `flaky-logs` cannot be checked.
pub struct Buckets;

impl BucketProbe for Buckets {
    fn check(&self, bucket: &str) -> Result<(), BucketProblem> {
        match bucket {
            "audit-logs" | "other-logs" => Ok(()),
            "locked-logs" => Err(BucketProblem::AccessDenied(String::from("policy denies"))),
            "flaky-logs" => Err(BucketProblem::Unavailable(String::from("timed out"))),
            _ => Err(BucketProblem::DoesNotExist),
        }
    }
}

/// One configured topic per account and region: `alerts`.
pub struct Topics;

impl TopicDirectory for Topics {
    fn topic_arn(&self, account: &str, region: &str, name_or_arn: &str) -> Option<String> {
        let arn = format!("arn:aws:sns:{region}:{account}:alerts");
        (name_or_arn == "alerts" || name_or_arn == arn).then_some(arn)
    }
}

pub const PROBES: Probes<'static> = Probes {
    buckets: &Buckets,
    topics: &Topics,
};

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub clock: ManualClock,
    pub trails: Trails,
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture::with_limits(TrailLimits::default())
    }

    pub fn with_limits(limits: TrailLimits) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let clock = ManualClock::new(Timestamp::from_secs(START));
        let trails = Trails::open(dir.path(), Arc::new(clock.clone()), limits).unwrap();
        Fixture { dir, clock, trails }
    }

    pub fn reopen(&self) -> Trails {
        Trails::open(
            self.dir.path(),
            Arc::new(self.clock.clone()),
            TrailLimits::default(),
        )
        .unwrap()
    }

    pub fn create(&self, caller: &Caller, name: &str) -> Trail {
        self.trails
            .create_trail(caller, input(name), PROBES)
            .unwrap()
    }
}

pub fn caller() -> Caller {
    caller_in(ACCOUNT, REGION)
}

pub fn caller_in(account: &str, region: &str) -> Caller {
    Caller {
        account_id: account.to_owned(),
        region: region.to_owned(),
    }
}

pub fn input(name: &str) -> CreateTrailInput {
    CreateTrailInput {
        name: name.to_owned(),
        s3_bucket_name: String::from("audit-logs"),
        ..CreateTrailInput::default()
    }
}

pub fn arn(region: &str, name: &str) -> String {
    format!("arn:aws:cloudtrail:{region}:{ACCOUNT}:trail/{name}")
}

/// Asserts `result` failed with `kind` and returns the message.
#[track_caller]
pub fn refused<T: std::fmt::Debug>(result: opentrail_trails::Result<T>, kind: ErrorKind) -> String {
    let error = result.unwrap_err();
    assert_eq!(error.kind(), kind, "{error}");
    error.message()
}
