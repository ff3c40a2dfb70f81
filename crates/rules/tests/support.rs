//! What the tests share: a store in a temporary folder and request builders.

use opentrail_rules::input::{PutRuleInput, PutTargetsInput, RuleRefInput, TargetInput};
use opentrail_rules::{Caller, Rule, RuleStore};
use opentrail_types::Timestamp;

/// The time rules are created at.
pub const NOW: Timestamp = Timestamp::from_secs(1_700_000_000);

/// The usual caller.
pub fn caller() -> Caller {
    Caller::new("111122223333", "us-east-1")
}

/// A store in a fresh temporary folder (kept alive by the returned guard).
pub fn open() -> (tempfile::TempDir, RuleStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = RuleStore::open(dir.path()).unwrap();
    (dir, store)
}

/// A `PutRule` request for `name` with a valid pattern.
pub fn rule_input(name: &str) -> PutRuleInput {
    PutRuleInput {
        name: Some(name.to_owned()),
        event_pattern: Some(String::from(r#"{"source":["aws.iam"]}"#)),
        ..PutRuleInput::default()
    }
}

/// Puts the rule `name` for `caller`.
pub fn put_rule(store: &RuleStore, caller: &Caller, name: &str) -> Rule {
    store.put_rule(caller, rule_input(name), NOW).unwrap()
}

/// A target entry `id` delivering to `arn`.
pub fn target(id: &str, arn: &str) -> TargetInput {
    TargetInput {
        id: Some(id.to_owned()),
        arn: Some(arn.to_owned()),
        ..TargetInput::default()
    }
}

/// A `PutTargets` request for `rule`.
pub fn targets_input(rule: &str, targets: Vec<TargetInput>) -> PutTargetsInput {
    PutTargetsInput {
        rule: Some(rule.to_owned()),
        event_bus_name: None,
        targets: Some(targets),
    }
}

/// The members naming `name` on the default bus.
pub fn rule_ref(name: &str) -> RuleRefInput {
    RuleRefInput {
        name: Some(name.to_owned()),
        event_bus_name: None,
    }
}
