//! The target operations: `PutTargets`, `RemoveTargets`, `ListTargetsByRule`,
//! `ListRuleNamesByTarget`.

use crate::check::{NAME_PATTERN, Violations, is_name};
use crate::error::{Error, ErrorKind, Result};
use crate::input::{
    ListRuleNamesByTargetInput, ListTargetsInput, PutTargetsInput, RemoveTargetsInput,
};
use crate::limits::{
    ARN_MAX, MAX_TARGETS_PER_REQUEST, MAX_TARGETS_PER_RULE, NAME_MAX, TARGET_LIST_MAX,
};
use crate::model::Target;
use crate::ops_rules::{LIMIT_EXCEEDED, check_named_rule, page};
use crate::registry::{Caller, RuleStore, find};
use crate::targets::{Checked, check_target, collect_target_violations};

/// One entry of `FailedEntries`: the target that was not put or removed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryFailure {
    /// `TargetId`.
    pub target_id: String,
    /// Which refusal; the API writes it as `ErrorCode`.
    pub kind: ErrorKind,
    /// `ErrorMessage`.
    pub message: String,
}

/// One page of `ListTargetsByRule`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetPage {
    /// The targets, in the order they were first put.
    pub targets: Vec<Target>,
    /// Where the next page starts; `None` on the last page.
    pub next_token: Option<String>,
}

/// One page of `ListRuleNamesByTarget`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleNamePage {
    /// The rule names, in order.
    pub rule_names: Vec<String>,
    /// Where the next page starts; `None` on the last page.
    pub next_token: Option<String>,
}

impl RuleStore {
    /// `PutTargets`: adds the targets to the caller's rule, replacing those with the same
    /// `Id`. `api_destinations` names the API destinations the server configures.
    ///
    /// An entry whose ARN OpenTrail cannot deliver to, or whose API destination is not
    /// configured, fails alone and is returned; the other entries are applied.
    ///
    /// # Errors
    ///
    /// `ValidationException` for broken constraints, more than 10 entries, or an entry
    /// EventBridge refuses for the whole call; `ResourceNotFoundException` for an unknown
    /// rule or bus; `LimitExceededException` when the rule would have more than 5 targets
    /// (nothing is applied then); `Io`.
    pub fn put_targets(
        &self,
        caller: &Caller,
        input: PutTargetsInput,
        api_destinations: &[String],
    ) -> Result<Vec<EntryFailure>> {
        let mut violations = Violations::default();
        violations.rule_name("rule", input.rule.as_ref(), true);
        violations.event_bus(input.event_bus_name.as_ref());
        violations.required("targets", input.targets.as_ref());
        if let Some(targets) = &input.targets {
            let shown = format!("[{} targets]", targets.len());
            violations.count("targets", &shown, targets.len(), 1, TARGET_LIST_MAX);
            for (index, target) in targets.iter().enumerate() {
                collect_target_violations(&mut violations, index + 1, target);
            }
        }
        violations.finish()?;
        let name = check_named_rule(
            caller,
            "rule",
            input.rule.as_ref(),
            input.event_bus_name.as_ref(),
        )?;
        let entries = input.targets.unwrap_or_default();
        if entries.len() > MAX_TARGETS_PER_REQUEST {
            return Err(Error::validation(format!(
                "At most {MAX_TARGETS_PER_REQUEST} targets allowed."
            )));
        }
        self.mutate(|rules| {
            let index = find(rules, caller, name)?;
            let mut failures = Vec::new();
            let mut targets = rules[index].targets.clone();
            for entry in entries {
                match check_target(entry, api_destinations)? {
                    Checked::Failed(failure) => failures.push(failure),
                    Checked::Accepted(target) => {
                        match targets.iter_mut().find(|kept| kept.id == target.id) {
                            Some(kept) => *kept = *target,
                            None => targets.push(*target),
                        }
                    }
                }
            }
            if targets.len() > MAX_TARGETS_PER_RULE {
                return Err(Error::rejected(ErrorKind::LimitExceeded, LIMIT_EXCEEDED));
            }
            rules[index].targets = targets;
            Ok(failures)
        })
    }

    /// `RemoveTargets`: removes the targets with these `Id`s from the caller's rule. An
    /// `Id` the rule does not have is no failure: afterwards the rule has no such target,
    /// as asked (EventBridge: "a successful execution … means that the target(s) listed in
    /// the request are removed"). `Force` changes nothing: OpenTrail has no managed rules.
    /// Returns the failed entries (none today).
    ///
    /// # Errors
    ///
    /// `ValidationException`, `ResourceNotFoundException` for an unknown rule or bus, `Io`.
    pub fn remove_targets(
        &self,
        caller: &Caller,
        input: RemoveTargetsInput,
    ) -> Result<Vec<EntryFailure>> {
        let mut violations = Violations::default();
        violations.rule_name("rule", input.rule.as_ref(), true);
        violations.event_bus(input.event_bus_name.as_ref());
        violations.required("ids", input.ids.as_ref());
        if let Some(ids) = &input.ids {
            let shown = format!("[{}]", ids.join(", "));
            violations.count("ids", &shown, ids.len(), 1, TARGET_LIST_MAX);
            for (index, id) in ids.iter().enumerate() {
                let path = format!("ids.{}.member", index + 1);
                violations.length(&path, id, 1, NAME_MAX);
                violations.pattern(&path, id, is_name(id), NAME_PATTERN);
            }
        }
        violations.finish()?;
        let name = check_named_rule(
            caller,
            "rule",
            input.rule.as_ref(),
            input.event_bus_name.as_ref(),
        )?;
        let ids = input.ids.unwrap_or_default();
        self.mutate(|rules| {
            let index = find(rules, caller, name)?;
            rules[index]
                .targets
                .retain(|target| !ids.contains(&target.id));
            Ok(Vec::new())
        })
    }

    /// `ListTargetsByRule`: the targets of the caller's rule, in the order they were first
    /// put, `Limit` (default 100) a page. The token is the `Id` the previous page ended
    /// with.
    ///
    /// # Errors
    ///
    /// `ValidationException` (also for a token naming no target of the rule),
    /// `ResourceNotFoundException` for an unknown rule or bus.
    pub fn list_targets_by_rule(
        &self,
        caller: &Caller,
        input: ListTargetsInput,
    ) -> Result<TargetPage> {
        let mut violations = Violations::default();
        violations.rule_name("rule", input.rule.as_ref(), true);
        violations.event_bus(input.event_bus_name.as_ref());
        violations.next_token(input.next_token.as_ref());
        violations.limit(input.limit);
        violations.finish()?;
        let name = check_named_rule(
            caller,
            "rule",
            input.rule.as_ref(),
            input.event_bus_name.as_ref(),
        )?;
        let mut targets =
            self.read(|rules| find(rules, caller, name).map(|index| rules[index].targets.clone()))?;
        if let Some(token) = &input.next_token {
            let Some(at) = targets.iter().position(|target| target.id == *token) else {
                return Err(Error::validation("Parameter NextToken is not valid."));
            };
            targets.drain(..=at);
        }
        let (targets, next_token) = page(targets, input.limit, |target| target.id.clone());
        Ok(TargetPage {
            targets,
            next_token,
        })
    }

    /// `ListRuleNamesByTarget`: the names of the caller's rules with a target whose `Arn`
    /// is `TargetArn`, ordered by name, `Limit` (default 100) a page. The token is the
    /// name the previous page ended with.
    ///
    /// # Errors
    ///
    /// `ValidationException`, or `ResourceNotFoundException` for an unknown bus.
    pub fn list_rule_names_by_target(
        &self,
        caller: &Caller,
        input: ListRuleNamesByTargetInput,
    ) -> Result<RuleNamePage> {
        let mut violations = Violations::default();
        violations.required("targetArn", input.target_arn.as_ref());
        if let Some(arn) = &input.target_arn {
            violations.length("targetArn", arn, 1, ARN_MAX);
        }
        violations.event_bus(input.event_bus_name.as_ref());
        violations.next_token(input.next_token.as_ref());
        violations.limit(input.limit);
        violations.finish()?;
        crate::check::check_event_bus(caller, input.event_bus_name.as_deref())?;
        let arn = input.target_arn.unwrap_or_default();
        let after = input.next_token;
        let mut names: Vec<String> = self.read(|rules| {
            rules
                .iter()
                .filter(|rule| caller.owns(rule))
                .filter(|rule| rule.targets.iter().any(|target| target.arn == arn))
                .filter(|rule| after.as_ref().is_none_or(|after| rule.name > *after))
                .map(|rule| rule.name.clone())
                .collect()
        });
        names.sort();
        let (rule_names, next_token) = page(names, input.limit, Clone::clone);
        Ok(RuleNamePage {
            rule_names,
            next_token,
        })
    }
}
