//! Which rules an event goes to: the shared matchers (one per account and Region, built
//! from the enabled rules whenever the rule store changes), the rule-state rule for
//! read-only management events, and the trail requirement.

use std::collections::HashMap;
use std::sync::Arc;

use opentrail_delivery::route::route;
use opentrail_patterns::{Matcher, MatcherBuilder, Pattern};
use opentrail_routing::{Envelope, RuleRef};
use opentrail_rules::{Rule, Target};
use opentrail_selectors::CompiledSelectors;
use opentrail_trails::Trail;
use opentrail_types::Timestamp;

use super::positions::LaneKey;

/// The enabled rules of one rule-store revision, compiled.
#[derive(Debug, Default)]
pub struct RuleSet {
    /// The store's rules (index = matcher key).
    pub rules: Arc<Vec<Rule>>,
    /// What the router hands out for each rule (same index as `rules`).
    pub routes: Vec<Routes>,
    /// One matcher per (account, Region).
    matchers: HashMap<(String, String), Matcher<u32>>,
}

/// A rule's targets as the router hands them out, made once per rule-store revision so
/// that no matched event pays for formatting the rule's ARN or copying a target.
#[derive(Debug)]
pub struct Routes {
    /// The rule, as jobs name it.
    pub rule: RuleRef,
    /// Each target, with the key of its lane.
    pub targets: Vec<(LaneKey, Arc<Target>)>,
}

impl Routes {
    fn new(rule: &Rule) -> Routes {
        let arn = rule.arn();
        let targets = rule
            .targets
            .iter()
            .map(|target| {
                let key = LaneKey {
                    rule_arn: arn.clone(),
                    created: rule.created.as_millis(),
                    target_id: target.id.clone(),
                };
                (key, Arc::new(target.clone()))
            })
            .collect();
        Routes {
            rule: RuleRef {
                name: rule.name.clone(),
                arn,
            },
            targets,
        }
    }
}

impl RuleSet {
    /// Compiles the enabled rules of `rules`. A pattern that no longer parses (a store
    /// written by another build) is skipped with a log line rather than stopping routing.
    pub fn new(rules: Arc<Vec<Rule>>) -> RuleSet {
        let mut builders: HashMap<(String, String), MatcherBuilder<u32>> = HashMap::new();
        for (index, rule) in rules.iter().enumerate() {
            if !rule.state.is_enabled() || rule.targets.is_empty() {
                continue;
            }
            let Ok(key) = u32::try_from(index) else {
                break;
            };
            match Pattern::parse(&rule.event_pattern) {
                Ok(pattern) => builders
                    .entry((rule.account_id.clone(), rule.region.clone()))
                    .or_default()
                    .add(key, &pattern),
                Err(error) => {
                    tracing::error!(rule = %rule.arn(), error = %error, "a stored rule's pattern does not parse; the rule is skipped");
                }
            }
        }
        let matchers = builders
            .into_iter()
            .map(|(scope, builder)| (scope, builder.build()))
            .collect();
        let routes = rules.iter().map(Routes::new).collect();
        RuleSet {
            rules,
            routes,
            matchers,
        }
    }

    /// Whether any rule may match anything.
    pub fn is_empty(&self) -> bool {
        self.matchers.is_empty()
    }

    /// Whether some enabled rule lives in the event's account and Region.
    pub fn covers(&self, account: &str, region: &str) -> bool {
        // Few scopes: a linear probe avoids building an owned key per event.
        self.matchers
            .keys()
            .any(|(a, r)| a.as_str() == account && r.as_str() == region)
    }

    /// The indices of the rules `envelope` goes to (before the trail requirement), into
    /// `out`.
    pub fn matching(&self, envelope: &Envelope, out: &mut Vec<u32>) {
        out.clear();
        let Some(matcher) = self
            .matchers
            .iter()
            .find(|((a, r), _)| a.as_str() == envelope.account() && r.as_str() == envelope.region())
            .map(|(_, matcher)| matcher)
        else {
            return;
        };
        if let Err(error) = matcher.matching(envelope.json_bytes(), out) {
            tracing::warn!(event_id = %envelope.event_id(), error = %error, "an event could not be matched");
            out.clear();
            return;
        }
        if envelope.read_only_management() {
            let rules = &self.rules;
            out.retain(|index| {
                rules
                    .get(*index as usize)
                    .is_some_and(|rule| rule.state.takes_read_only_management())
            });
        }
    }
}

/// Whether a single rule (a lane catching up on its own) takes `envelope`.
pub fn rule_takes(rule: &Rule, pattern: &Pattern, envelope: &Envelope) -> bool {
    if !rule.state.is_enabled()
        || rule.account_id != envelope.account()
        || rule.region != envelope.region()
    {
        return false;
    }
    if envelope.read_only_management() && !rule.state.takes_read_only_management() {
        return false;
    }
    pattern.matches(envelope.json_bytes()).unwrap_or(false)
}

/// The trails of one trail-store revision with their compiled selectors.
#[derive(Debug, Default)]
pub struct TrailSet {
    trails: Vec<(Trail, CompiledSelectors)>,
}

impl TrailSet {
    /// Compiles the trails that are not deleted.
    pub fn new(trails: Vec<Trail>) -> TrailSet {
        TrailSet {
            trails: trails
                .into_iter()
                .filter(|trail| !trail.is_deleted())
                .map(|trail| {
                    let compiled = CompiledSelectors::new(&trail.selectors);
                    (trail, compiled)
                })
                .collect(),
        }
    }

    /// Whether some trail records the event (CloudTrail sends EventBridge only what a
    /// logging trail records).
    pub fn records(&self, arrival: Timestamp, payload: &[u8]) -> bool {
        self.trails
            .iter()
            .any(|(trail, compiled)| route(trail, compiled, arrival, payload).is_some())
    }
}
