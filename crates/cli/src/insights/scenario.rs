//! The scenario `evaluate` injects: anomalies and decoys placed on the generated
//! history, deterministically from the seed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use opentrail_generate::{Burst, Summary};
use opentrail_types::Timestamp;
use serde::Serialize;

use super::MINUTE_MS;
use super::replay::{NONE, Records};

/// A small deterministic generator (SplitMix64): the scenario depends on the seed only.
#[derive(Debug, Clone)]
struct Random(u64);

impl Random {
    fn new(seed: u64) -> Random {
        Random(seed ^ 0x1A5E_7712_5C3A_0B17)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut value = self.0;
        value = (value ^ (value >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        value = (value ^ (value >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        value ^ (value >> 31)
    }

    /// A number in `[low, high]`.
    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }

    /// A number in `[low, high)`.
    fn float(&mut self, low: f64, high: f64) -> f64 {
        low + (self.next() >> 11) as f64 / (1u64 << 53) as f64 * (high - low)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            return None;
        }
        items.get(self.next() as usize % items.len())
    }
}

/// Services CloudTrail records in `us-east-1` only.
const GLOBAL_SOURCES: [&str; 5] = [
    "iam.amazonaws.com",
    "organizations.amazonaws.com",
    "route53.amazonaws.com",
    "cloudfront.amazonaws.com",
    "signin.amazonaws.com",
];

/// Write APIs an attacker or a runaway script calls in bursts.
const NAMED_WRITES: [(&str, &str); 16] = [
    ("ec2.amazonaws.com", "RunInstances"),
    ("ec2.amazonaws.com", "TerminateInstances"),
    ("ec2.amazonaws.com", "CreateSnapshot"),
    ("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress"),
    ("iam.amazonaws.com", "CreateAccessKey"),
    ("iam.amazonaws.com", "CreateUser"),
    ("iam.amazonaws.com", "AttachRolePolicy"),
    ("s3.amazonaws.com", "PutBucketPolicy"),
    ("s3.amazonaws.com", "DeleteBucket"),
    ("lambda.amazonaws.com", "UpdateFunctionCode20150331v2"),
    ("kms.amazonaws.com", "CreateGrant"),
    ("kms.amazonaws.com", "ScheduleKeyDeletion"),
    ("secretsmanager.amazonaws.com", "PutSecretValue"),
    ("ssm.amazonaws.com", "PutParameter"),
    ("cloudtrail.amazonaws.com", "StopLogging"),
    ("dynamodb.amazonaws.com", "DeleteTable"),
];

/// Read APIs whose failures come in storms (enumeration, a broken deployment).
const NAMED_READS: [(&str, &str); 10] = [
    ("ec2.amazonaws.com", "DescribeInstances"),
    ("s3.amazonaws.com", "ListBuckets"),
    ("iam.amazonaws.com", "ListUsers"),
    ("iam.amazonaws.com", "GetAccountAuthorizationDetails"),
    ("secretsmanager.amazonaws.com", "GetSecretValue"),
    ("ssm.amazonaws.com", "GetParameter"),
    ("kms.amazonaws.com", "Decrypt"),
    ("sts.amazonaws.com", "GetCallerIdentity"),
    ("dynamodb.amazonaws.com", "DescribeTable"),
    ("cloudtrail.amazonaws.com", "LookupEvents"),
];

const ERROR_CODES: [&str; 8] = [
    "AccessDenied",
    "AccessDeniedException",
    "Client.UnauthorizedOperation",
    "ThrottlingException",
    "Client.RequestLimitExceeded",
    "ValidationException",
    "LimitExceededException",
    "InternalFailure",
];

/// One (account, Region, API), by index into the generated accounts and Regions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Target {
    account: usize,
    region: usize,
    event_source: String,
    event_name: String,
}

/// Call and error counts of the history, per (account, Region, API).
#[derive(Debug, Default)]
pub(super) struct History {
    minutes: f64,
    account_ids: Vec<String>,
    regions: Vec<String>,
    writes: BTreeMap<Target, u64>,
    reads: BTreeMap<Target, u64>,
    errors: BTreeMap<(Target, String), u64>,
    /// Regions each API was seen in, any account.
    api_regions: BTreeMap<(String, String), BTreeSet<usize>>,
}

impl History {
    pub(super) fn measure(records: &Records, summary: &Summary, minutes: f64) -> History {
        let mut history = History {
            minutes,
            account_ids: summary.account_ids.clone(),
            regions: summary.regions.clone(),
            ..History::default()
        };
        let strings = &records.strings;
        let account_index: HashMap<&str, usize> = summary
            .account_ids
            .iter()
            .enumerate()
            .map(|(index, id)| (id.as_str(), index))
            .collect();
        let region_index: HashMap<&str, usize> = summary
            .regions
            .iter()
            .enumerate()
            .map(|(index, region)| (region.as_str(), index))
            .collect();
        type Ids = (u32, u32, u32, u32);
        let mut writes: HashMap<Ids, u64> = HashMap::new();
        let mut reads: HashMap<Ids, u64> = HashMap::new();
        let mut errors: HashMap<(Ids, u32), u64> = HashMap::new();
        for event in &records.events {
            if event.data {
                continue;
            }
            let ids = (
                event.account,
                event.region,
                event.event_source,
                event.event_name,
            );
            match event.read_only {
                Some(false) => *writes.entry(ids).or_default() += 1,
                Some(true) => *reads.entry(ids).or_default() += 1,
                None => {}
            }
            if event.error_code != NONE {
                *errors.entry((ids, event.error_code)).or_default() += 1;
            }
        }
        let target = |(account, region, source, name): Ids| -> Option<Target> {
            Some(Target {
                account: *account_index.get(strings.get(account))?,
                region: *region_index.get(strings.get(region))?,
                event_source: strings.get(source).to_owned(),
                event_name: strings.get(name).to_owned(),
            })
        };
        for (ids, count) in writes {
            if let Some(target) = target(ids) {
                history.writes.insert(target, count);
            }
        }
        for (ids, count) in reads {
            if let Some(target) = target(ids) {
                history.reads.insert(target, count);
            }
        }
        for ((ids, code), count) in errors {
            if let Some(target) = target(ids) {
                history
                    .errors
                    .insert((target, strings.get(code).to_owned()), count);
            }
        }
        for target in history.writes.keys().chain(history.reads.keys()) {
            history
                .api_regions
                .entry((target.event_source.clone(), target.event_name.clone()))
                .or_default()
                .insert(target.region);
        }
        history
    }

    fn write_rate(&self, target: &Target) -> f64 {
        self.writes.get(target).copied().unwrap_or(0) as f64 / self.minutes
    }

    fn error_rate(&self, target: &Target, code: &str) -> f64 {
        self.errors
            .get(&(target.clone(), code.to_owned()))
            .copied()
            .unwrap_or(0) as f64
            / self.minutes
    }

    /// The (account, Region, API) keys with the most calls, busiest first.
    fn busiest(counts: &BTreeMap<Target, u64>, limit: usize) -> Vec<Target> {
        let mut all: Vec<(&Target, u64)> = counts
            .iter()
            .map(|(target, count)| (target, *count))
            .collect();
        all.sort_by(|left, right| right.1.cmp(&left.1).then_with(|| left.0.cmp(right.0)));
        all.into_iter()
            .take(limit)
            .map(|(target, _)| target.clone())
            .collect()
    }

    fn apis(counts: &BTreeMap<Target, u64>) -> Vec<(String, String)> {
        let apis: BTreeSet<(String, String)> = counts
            .keys()
            .map(|target| (target.event_source.clone(), target.event_name.clone()))
            .collect();
        apis.into_iter().collect()
    }

    /// A Region the API can be called in: `us-east-1` for global services, else one it
    /// was seen in, else any.
    fn region_for(&self, random: &mut Random, source: &str, name: &str) -> Option<usize> {
        if GLOBAL_SOURCES.contains(&source) {
            return self.regions.iter().position(|region| region == "us-east-1");
        }
        let seen: Vec<usize> = self
            .api_regions
            .get(&(source.to_owned(), name.to_owned()))
            .map(|regions| regions.iter().copied().collect())
            .unwrap_or_default();
        if seen.is_empty() {
            return Some(random.range(0, self.regions.len() as u64 - 1) as usize);
        }
        random.pick(&seen).copied()
    }
}

/// What an injection is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Kind {
    /// A call-rate burst on a write API (an anomaly).
    CallRate,
    /// An error storm on a write API (an anomaly).
    WriteErrors,
    /// An error storm on a read API (an anomaly).
    ReadErrors,
    /// Twice the API's own normal rate added for 30-60 minutes (a decoy).
    DoubledRate,
    /// A few extra calls on a quiet API (a decoy).
    ExtraCalls,
    /// A few extra errors (a decoy).
    ExtraErrors,
}

impl Kind {
    pub(super) fn anomalous(self) -> bool {
        matches!(self, Kind::CallRate | Kind::WriteErrors | Kind::ReadErrors)
    }

    fn errors(self) -> bool {
        matches!(
            self,
            Kind::WriteErrors | Kind::ReadErrors | Kind::ExtraErrors
        )
    }
}

/// One planned injection.
#[derive(Debug, Clone)]
pub(super) struct Planned {
    pub(super) kind: Kind,
    pub(super) burst: Burst,
    /// The series' mean per minute over the history (calls, or errors of the code).
    pub(super) baseline_per_minute: f64,
}

/// Where the API for an injection comes from.
#[derive(Debug, Clone, Copy)]
enum Tier {
    Busiest,
    Named,
    Seen,
}

/// Plans `anomalies` anomalies and `decoys` decoys on `days` (UTC midnights), each on
/// its own (account, Region, API), deterministically from `seed`.
pub(super) fn plan_scenario(
    history: &History,
    seed: u64,
    days: &[Timestamp],
    anomalies: usize,
    decoys: usize,
) -> Vec<Planned> {
    let mut random = Random::new(seed);
    let mut used: BTreeSet<Target> = BTreeSet::new();
    let busiest_writes = History::busiest(&history.writes, 40);
    let busiest_reads = History::busiest(&history.reads, 40);
    let seen_writes = History::apis(&history.writes);
    let seen_reads = History::apis(&history.reads);
    let named_writes: Vec<(String, String)> = NAMED_WRITES
        .iter()
        .map(|(source, name)| ((*source).to_owned(), (*name).to_owned()))
        .collect();
    let named_reads: Vec<(String, String)> = NAMED_READS
        .iter()
        .map(|(source, name)| ((*source).to_owned(), (*name).to_owned()))
        .collect();
    let call_rate = anomalies * 6 / 10;
    let write_errors = (anomalies - call_rate) / 2;
    let mut kinds = Vec::new();
    kinds.extend(std::iter::repeat_n(Kind::CallRate, call_rate));
    kinds.extend(std::iter::repeat_n(Kind::WriteErrors, write_errors));
    kinds.extend(std::iter::repeat_n(
        Kind::ReadErrors,
        anomalies - call_rate - write_errors,
    ));
    let doubled = decoys.div_ceil(2);
    let extra_calls = (decoys - doubled).div_ceil(2);
    kinds.extend(std::iter::repeat_n(Kind::DoubledRate, doubled));
    kinds.extend(std::iter::repeat_n(Kind::ExtraCalls, extra_calls));
    kinds.extend(std::iter::repeat_n(
        Kind::ExtraErrors,
        decoys - doubled - extra_calls,
    ));
    let mut planned = Vec::new();
    for (index, kind) in kinds.into_iter().enumerate() {
        let tier = match (kind, index % 3) {
            (Kind::DoubledRate, _) => Tier::Busiest,
            (Kind::ExtraCalls | Kind::ExtraErrors, _) => Tier::Seen,
            (_, 0) => Tier::Busiest,
            (_, 1) => Tier::Named,
            _ => Tier::Seen,
        };
        let reads = kind == Kind::ReadErrors || (kind == Kind::ExtraErrors && index % 2 == 0);
        let (busiest, named, seen) = if reads {
            (&busiest_reads, &named_reads, &seen_reads)
        } else {
            (&busiest_writes, &named_writes, &seen_writes)
        };
        let mut chosen = None;
        // Falls back on the other tiers when one has nothing left.
        for attempt in 0..600 {
            let tier = match attempt / 200 {
                0 => tier,
                1 => Tier::Seen,
                _ => Tier::Named,
            };
            let candidate = match tier {
                Tier::Busiest => random.pick(busiest).cloned(),
                Tier::Named | Tier::Seen => {
                    let apis = if matches!(tier, Tier::Named) {
                        named
                    } else {
                        seen
                    };
                    random.pick(apis).and_then(|(source, name)| {
                        let region = history.region_for(&mut random, source, name)?;
                        Some(Target {
                            account: random.range(0, history.account_ids.len() as u64 - 1) as usize,
                            region,
                            event_source: source.clone(),
                            event_name: name.clone(),
                        })
                    })
                }
            };
            if let Some(candidate) = candidate
                && !used.contains(&candidate)
            {
                chosen = Some(candidate);
                break;
            }
        }
        let Some(target) = chosen else {
            continue;
        };
        used.insert(target.clone());
        let code = kind
            .errors()
            .then(|| random.pick(&ERROR_CODES).copied().unwrap_or("AccessDenied"));
        let baseline = match code {
            Some(code) => history.error_rate(&target, code),
            None => history.write_rate(&target),
        };
        let (minutes, per_minute) = match kind {
            // Clearly unusual: at least ten times the normal rate and at least 15 a
            // minute, up to twice that.
            Kind::CallRate | Kind::WriteErrors | Kind::ReadErrors => (
                random.range(3, 30),
                ((baseline * 10.0).max(15.0) * random.float(1.0, 2.0)).ceil(),
            ),
            Kind::DoubledRate => (random.range(30, 60), (baseline * 2.0).round().max(1.0)),
            Kind::ExtraCalls => (random.range(2, 5), random.range(1, 2) as f64),
            Kind::ExtraErrors => (random.range(2, 4), random.range(1, 3) as f64),
        };
        let day = days[index % days.len()];
        // Away from midnight (baselines are recomputed then) and from the end of the run.
        let latest_start = 1440 - minutes - 30;
        let start_minute = random.range(20, latest_start);
        let start = day.saturating_add_millis(start_minute as i64 * MINUTE_MS);
        let mut burst = Burst::new(
            start,
            minutes as u32,
            target.event_source.clone(),
            target.event_name.clone(),
            per_minute as u32,
        )
        .in_account(target.account)
        .in_region(history.regions[target.region].clone());
        if let Some(code) = code {
            burst = burst.with_error_code(code);
        }
        planned.push(Planned {
            kind,
            burst,
            baseline_per_minute: baseline,
        });
    }
    planned
}

#[cfg(test)]
mod tests {
    use super::super::DAY_MS;
    use super::*;

    fn history() -> History {
        let mut history = History {
            minutes: 10_080.0,
            account_ids: vec![String::from("111111111111"), String::from("222222222222")],
            regions: vec![String::from("us-east-1"), String::from("eu-west-1")],
            ..History::default()
        };
        for (index, (source, name)) in NAMED_WRITES.iter().enumerate() {
            let target = Target {
                account: index % 2,
                region: usize::from(!GLOBAL_SOURCES.contains(source)) * (index % 2),
                event_source: (*source).to_owned(),
                event_name: (*name).to_owned(),
            };
            history.writes.insert(target.clone(), 10_080 * index as u64);
            history
                .api_regions
                .entry(((*source).to_owned(), (*name).to_owned()))
                .or_default()
                .insert(target.region);
        }
        for index in 0..60 {
            let target = Target {
                account: index % 2,
                region: index % 2,
                event_source: String::from("ec2.amazonaws.com"),
                event_name: format!("Write{index}"),
            };
            history.writes.insert(target, 100 + index as u64);
        }
        for (source, name) in NAMED_READS {
            let target = Target {
                account: 0,
                region: 0,
                event_source: source.to_owned(),
                event_name: name.to_owned(),
            };
            history.reads.insert(target, 50_000);
        }
        history
    }

    #[test]
    fn scenarios_are_deterministic_distinct_and_clearly_unusual() {
        let history = history();
        let days = [Timestamp::from_secs(1_773_014_400)];
        let first = plan_scenario(&history, 7, &days, 40, 15);
        let again = plan_scenario(&history, 7, &days, 40, 15);
        assert_eq!(first.len(), 55);
        assert!(
            first
                .iter()
                .zip(&again)
                .all(|(left, right)| left.burst == right.burst)
        );
        let mut targets = BTreeSet::new();
        for plan in &first {
            let burst = &plan.burst;
            assert!(targets.insert((
                burst.account,
                burst.region.clone(),
                burst.event_source.clone(),
                burst.event_name.clone()
            )));
            if GLOBAL_SOURCES.contains(&burst.event_source.as_str()) {
                assert_eq!(burst.region.as_deref(), Some("us-east-1"));
            }
            assert_eq!(plan.kind.errors(), burst.error_code.is_some());
            let per_minute = f64::from(burst.per_minute);
            if plan.kind.anomalous() {
                assert!((3..=30).contains(&burst.minutes));
                assert!(per_minute >= 15.0 && per_minute >= 10.0 * plan.baseline_per_minute);
            } else {
                assert!(per_minute <= (2.0 * plan.baseline_per_minute).round().max(3.0));
            }
            let offset = burst.start.as_millis() - days[0].as_millis();
            assert!(offset > 0 && offset + i64::from(burst.minutes) * MINUTE_MS < DAY_MS);
        }
        let counts = |kind: Kind| first.iter().filter(|plan| plan.kind == kind).count();
        assert_eq!(
            (
                counts(Kind::CallRate),
                counts(Kind::WriteErrors),
                counts(Kind::ReadErrors)
            ),
            (24, 8, 8)
        );
        assert_eq!(
            (
                counts(Kind::DoubledRate),
                counts(Kind::ExtraCalls),
                counts(Kind::ExtraErrors)
            ),
            (8, 4, 3)
        );
    }
}
