//! A checked statement and the test of whether it applies to one resource of a request.

use crate::condition::Condition;
use crate::pattern::{CaseMode, Pattern};
use crate::principal::PrincipalElement;
use crate::request::Request;

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    Allow,
    Deny,
}

/// `Action`/`NotAction` or `Resource`/`NotResource`: a list of patterns, maybe negated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PatternElement {
    /// `NotAction` / `NotResource`: the element matches what no pattern matches.
    pub(crate) negated: bool,
    pub(crate) patterns: Vec<Pattern>,
}

impl PatternElement {
    /// The `"*"` of the full-access policy.
    pub(crate) fn any() -> PatternElement {
        PatternElement {
            negated: false,
            patterns: vec![Pattern::Any],
        }
    }

    fn matches(&self, text: &str, case: CaseMode, request: &Request<'_>) -> bool {
        let listed = self
            .patterns
            .iter()
            .any(|pattern| pattern.matches(text, case, request.context));
        listed != self.negated
    }
}

/// One checked statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Statement {
    pub(crate) sid: Option<String>,
    pub(crate) effect: Effect,
    pub(crate) principal: PrincipalElement,
    /// Matched without ASCII case (IAM action names are case-insensitive).
    pub(crate) action: PatternElement,
    /// Matched with case (IAM: ARNs are case-sensitive).
    pub(crate) resource: PatternElement,
    pub(crate) conditions: Vec<Condition>,
}

impl Statement {
    /// Returns whether the statement applies to `request` for `resource` (`*` when the
    /// action has no resource). Cheap tests run first; conditions last.
    pub(crate) fn applies(&self, request: &Request<'_>, resource: &str) -> bool {
        self.action
            .matches(request.action, CaseMode::AsciiInsensitive, request)
            && self.principal.applies(request.principal.as_ref())
            && self
                .resource
                .matches(resource, CaseMode::Sensitive, request)
            && self
                .conditions
                .iter()
                .all(|condition| condition.holds(request.context))
    }
}
