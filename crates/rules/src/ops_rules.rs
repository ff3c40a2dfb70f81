//! The rule operations: `PutRule`, `DescribeRule`, `ListRules`, `DeleteRule`,
//! `EnableRule`, `DisableRule`.

use opentrail_patterns::Pattern;
use opentrail_types::Timestamp;

use crate::check::{Violations, check_event_bus, length};
use crate::error::{Error, ErrorKind, Result};
use crate::input::{DeleteRuleInput, ListRulesInput, PutRuleInput, RuleRefInput};
use crate::limits::{
    ARN_MAX, DESCRIPTION_MAX, EVENT_PATTERN_MAX, PAGE_MAX, SCHEDULE_EXPRESSION_MAX,
};
use crate::model::{Rule, RuleState};
use crate::ops_tags::{check_tags, collect_tag_violations};
use crate::registry::{Caller, RuleStore, find, position};

/// The wire names of [`RuleState`], in the model's order.
const STATES: [&str; 3] = [
    "ENABLED",
    "DISABLED",
    "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
];

/// EventBridge's text when a quota would be exceeded.
pub(crate) const LIMIT_EXCEEDED: &str =
    "The requested resource exceeds the maximum number allowed.";

/// One page of `ListRules`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulePage {
    /// The rules, ordered by name.
    pub rules: Vec<Rule>,
    /// Where the next page starts; `None` on the last page.
    pub next_token: Option<String>,
}

impl RuleStore {
    /// `PutRule`: creates the rule or, when the caller already has a rule of that name,
    /// replaces its pattern, state (default `ENABLED`), description and role. An update
    /// keeps the targets, the tags and the creation time; `Tags` only apply when the rule
    /// is created, as on EventBridge. Returns the rule as stored.
    ///
    /// # Errors
    ///
    /// `ValidationException` for broken constraints, a `ScheduleExpression` (OpenTrail has
    /// no scheduler) or no `EventPattern`; `ResourceNotFoundException` for an event bus
    /// other than the default one; `LimitExceededException` for a pattern over the quota
    /// or a rule over the rules-per-bus quota; `InvalidEventPatternException`; `Io`.
    pub fn put_rule(&self, caller: &Caller, input: PutRuleInput, now: Timestamp) -> Result<Rule> {
        let mut violations = Violations::default();
        violations.rule_name("name", input.name.as_ref(), true);
        if let Some(schedule) = &input.schedule_expression {
            violations.length("scheduleExpression", schedule, 0, SCHEDULE_EXPRESSION_MAX);
        }
        if let Some(pattern) = &input.event_pattern {
            violations.length("eventPattern", pattern, 0, EVENT_PATTERN_MAX);
        }
        if let Some(state) = &input.state {
            violations.one_of("state", state, &STATES);
        }
        if let Some(description) = &input.description {
            violations.length("description", description, 0, DESCRIPTION_MAX);
        }
        if let Some(role_arn) = &input.role_arn {
            violations.length("roleArn", role_arn, 1, ARN_MAX);
        }
        if let Some(tags) = &input.tags {
            collect_tag_violations(&mut violations, "tags", tags);
        }
        violations.event_bus(input.event_bus_name.as_ref());
        violations.finish()?;
        check_event_bus(caller, input.event_bus_name.as_deref())?;
        if input.schedule_expression.is_some() {
            return Err(Error::validation(
                "ScheduleExpression is not supported: OpenTrail routes audit events to rules and has no scheduler; give an EventPattern instead.",
            ));
        }
        let event_pattern = input.event_pattern.unwrap_or_default();
        if event_pattern.is_empty() {
            return Err(Error::validation(
                "Parameter(s) EventPattern or ScheduleExpression must be specified.",
            ));
        }
        let pattern_length = length(&event_pattern);
        if pattern_length > self.limits().max_event_pattern_chars {
            return Err(Error::rejected(
                ErrorKind::LimitExceeded,
                format!(
                    "Event pattern is {pattern_length} characters long; the event pattern size quota is {} characters.",
                    self.limits().max_event_pattern_chars
                ),
            ));
        }
        Pattern::parse(&event_pattern).map_err(Error::Pattern)?;
        // Checked above: present, and every state name parses.
        let state = match input.state.as_deref() {
            Some(text) => RuleState::parse(text).ok_or_else(|| {
                Error::Internal(format!(
                    "state `{text}` passed the checks but does not parse"
                ))
            })?,
            None => RuleState::Enabled,
        };
        let name = input.name.unwrap_or_default();
        let tags = check_tags(input.tags.unwrap_or_default(), &[])?;
        let max_rules = self.limits().max_rules_per_bus;
        self.mutate(|rules| {
            if let Some(index) = position(rules, caller, &name) {
                let rule = &mut rules[index];
                rule.event_pattern = event_pattern;
                rule.state = state;
                rule.description = input.description;
                rule.role_arn = input.role_arn;
                return Ok(rule.clone());
            }
            let on_bus = rules.iter().filter(|rule| caller.owns(rule)).count();
            if on_bus >= max_rules {
                return Err(Error::rejected(ErrorKind::LimitExceeded, LIMIT_EXCEEDED));
            }
            let rule = Rule {
                account_id: caller.account_id.clone(),
                region: caller.region.clone(),
                name,
                event_pattern,
                state,
                description: input.description,
                role_arn: input.role_arn,
                tags,
                targets: Vec::new(),
                created: now,
            };
            rules.push(rule.clone());
            Ok(rule)
        })
    }

    /// `DescribeRule`: the caller's rule of that name.
    ///
    /// # Errors
    ///
    /// `ValidationException`, or `ResourceNotFoundException` for an unknown rule or bus.
    pub fn describe_rule(&self, caller: &Caller, input: RuleRefInput) -> Result<Rule> {
        let name = check_rule_ref(caller, input.name.as_ref(), input.event_bus_name.as_ref())?;
        self.read(|rules| find(rules, caller, name).map(|index| rules[index].clone()))
    }

    /// `ListRules`: the caller's rules whose name starts with `NamePrefix`, ordered by
    /// name, `Limit` (default 100) a page. The token is the name the previous page ended
    /// with, so rules created or deleted meanwhile neither repeat nor shift the pages.
    ///
    /// # Errors
    ///
    /// `ValidationException`, or `ResourceNotFoundException` for an unknown bus.
    pub fn list_rules(&self, caller: &Caller, input: ListRulesInput) -> Result<RulePage> {
        let mut violations = Violations::default();
        violations.rule_name("namePrefix", input.name_prefix.as_ref(), false);
        violations.event_bus(input.event_bus_name.as_ref());
        violations.next_token(input.next_token.as_ref());
        violations.limit(input.limit);
        violations.finish()?;
        check_event_bus(caller, input.event_bus_name.as_deref())?;
        let prefix = input.name_prefix.unwrap_or_default();
        let after = input.next_token;
        let mut rules: Vec<Rule> = self.read(|rules| {
            rules
                .iter()
                .filter(|rule| caller.owns(rule) && rule.name.starts_with(&prefix))
                .filter(|rule| after.as_ref().is_none_or(|after| rule.name > *after))
                .cloned()
                .collect()
        });
        rules.sort_by(|left, right| left.name.cmp(&right.name));
        let (rules, next_token) = page(rules, input.limit, |rule| rule.name.clone());
        Ok(RulePage { rules, next_token })
    }

    /// `DeleteRule`: removes the caller's rule with its tags. An unknown rule is no error
    /// (EventBridge answers success); `Force` changes nothing, since OpenTrail has no
    /// managed rules.
    ///
    /// # Errors
    ///
    /// `ValidationException` (also while the rule has targets: EventBridge's
    /// `Rule can't be deleted since it has targets.`), `ResourceNotFoundException` for an
    /// unknown bus, `Io`.
    pub fn delete_rule(&self, caller: &Caller, input: DeleteRuleInput) -> Result<()> {
        let name = check_rule_ref(caller, input.name.as_ref(), input.event_bus_name.as_ref())?;
        self.mutate(|rules| {
            let Some(index) = position(rules, caller, name) else {
                return Ok(());
            };
            if !rules[index].targets.is_empty() {
                return Err(Error::validation(
                    "Rule can't be deleted since it has targets.",
                ));
            }
            rules.remove(index);
            Ok(())
        })
    }

    /// `EnableRule`: a disabled rule becomes `ENABLED`; an enabled one (either enabled
    /// state) stays as it is.
    ///
    /// # Errors
    ///
    /// `ValidationException`, `ResourceNotFoundException` for an unknown rule or bus, `Io`.
    pub fn enable_rule(&self, caller: &Caller, input: RuleRefInput) -> Result<()> {
        self.set_state(caller, input, |state| match state {
            RuleState::Disabled => RuleState::Enabled,
            enabled => enabled,
        })
    }

    /// `DisableRule`: the rule becomes `DISABLED` and matches nothing.
    ///
    /// # Errors
    ///
    /// `ValidationException`, `ResourceNotFoundException` for an unknown rule or bus, `Io`.
    pub fn disable_rule(&self, caller: &Caller, input: RuleRefInput) -> Result<()> {
        self.set_state(caller, input, |_| RuleState::Disabled)
    }

    fn set_state(
        &self,
        caller: &Caller,
        input: RuleRefInput,
        next: impl FnOnce(RuleState) -> RuleState,
    ) -> Result<()> {
        let name = check_rule_ref(caller, input.name.as_ref(), input.event_bus_name.as_ref())?;
        self.mutate(|rules| {
            let index = find(rules, caller, name)?;
            rules[index].state = next(rules[index].state);
            Ok(())
        })
    }
}

/// Checks the members naming one rule (`Name` or `Rule`, and `EventBusName`); returns the
/// name.
pub(crate) fn check_rule_ref<'a>(
    caller: &Caller,
    name: Option<&'a String>,
    event_bus_name: Option<&String>,
) -> Result<&'a str> {
    check_named_rule(caller, "name", name, event_bus_name)
}

/// As [`check_rule_ref`], for a name member at `path` (`rule` in the target operations).
pub(crate) fn check_named_rule<'a>(
    caller: &Caller,
    path: &str,
    name: Option<&'a String>,
    event_bus_name: Option<&String>,
) -> Result<&'a str> {
    let mut violations = Violations::default();
    violations.rule_name(path, name, true);
    violations.event_bus(event_bus_name);
    violations.finish()?;
    check_event_bus(caller, event_bus_name.map(String::as_str))?;
    name.map(String::as_str)
        .ok_or_else(|| Error::Internal(String::from("a missing name passed the checks")))
}

/// Cuts `items` (already past the token) to one page of `limit` (default and maximum
/// 100); the token of the next page is `key` of the page's last item.
pub(crate) fn page<T>(
    mut items: Vec<T>,
    limit: Option<i64>,
    key: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    let limit = usize::try_from(limit.unwrap_or(PAGE_MAX).clamp(1, PAGE_MAX)).unwrap_or(100);
    if items.len() <= limit {
        return (items, None);
    }
    items.truncate(limit);
    let next_token = items.last().map(key);
    (items, next_token)
}
