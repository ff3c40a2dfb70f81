//! Member constraints checked the way EventBridge's front end checks them: every broken
//! constraint of a request is collected, then reported in one `ValidationException` whose
//! text follows AWS's wording:
//!
//! ```text
//! 2 validation errors detected: Value 'my rule' at 'name' failed to satisfy constraint:
//! Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+; Value null at
//! 'targets' failed to satisfy constraint: Member must not be null
//! ```
//!
//! Member paths are the model's names in lower camel case, list entries counted from 1
//! (`targets.1.member.id`).

use crate::error::{Error, Result};
use crate::model::{DEFAULT_BUS, default_bus_arn};
use crate::registry::Caller;

/// The pattern of `RuleName`, `TargetId` and event bus names, as the model writes it.
pub(crate) const NAME_PATTERN: &str = r"[\.\-_A-Za-z0-9]+";
/// The pattern of `InputTransformerPathKey`.
pub(crate) const PATHS_KEY_PATTERN: &str = r"[A-Za-z0-9\_\-]+";

/// A string's length as EventBridge counts it (Java `String.length()`: UTF-16 units).
pub(crate) fn length(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Whether `text` is a non-empty run of `[.\-_A-Za-z0-9]`.
pub(crate) fn is_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// The broken constraints of one request, in the order they were found.
#[derive(Debug, Default)]
pub(crate) struct Violations {
    items: Vec<String>,
}

impl Violations {
    fn push(&mut self, value: Option<&str>, path: &str, constraint: &str) {
        let shown = match value {
            Some(value) => format!("'{value}'"),
            None => String::from("null"),
        };
        self.items.push(format!(
            "Value {shown} at '{path}' failed to satisfy constraint: {constraint}"
        ));
    }

    /// A required member that is missing.
    pub(crate) fn required<T>(&mut self, path: &str, value: Option<&T>) {
        if value.is_none() {
            self.push(None, path, "Member must not be null");
        }
    }

    /// A string member's length bounds (`min` 0 means no lower bound).
    pub(crate) fn length(&mut self, path: &str, value: &str, min: usize, max: usize) {
        let length = length(value);
        if length < min {
            self.push(
                Some(value),
                path,
                &format!("Member must have length greater than or equal to {min}"),
            );
        } else if length > max {
            self.push(
                Some(value),
                path,
                &format!("Member must have length less than or equal to {max}"),
            );
        }
    }

    /// A list or map member's entry-count bounds; `shown` is how the value is printed.
    pub(crate) fn count(&mut self, path: &str, shown: &str, count: usize, min: usize, max: usize) {
        if count < min {
            self.push(
                Some(shown),
                path,
                &format!("Member must have length greater than or equal to {min}"),
            );
        } else if count > max {
            self.push(
                Some(shown),
                path,
                &format!("Member must have length less than or equal to {max}"),
            );
        }
    }

    /// A string member that must match the model's regular expression `pattern`.
    pub(crate) fn pattern(&mut self, path: &str, value: &str, matches: bool, pattern: &str) {
        if !matches {
            self.push(
                Some(value),
                path,
                &format!("Member must satisfy regular expression pattern: {pattern}"),
            );
        }
    }

    /// An integer member's range.
    pub(crate) fn range(&mut self, path: &str, value: i64, min: i64, max: i64) {
        let shown = value.to_string();
        if value < min {
            self.push(
                Some(&shown),
                path,
                &format!("Member must have value greater than or equal to {min}"),
            );
        } else if value > max {
            self.push(
                Some(&shown),
                path,
                &format!("Member must have value less than or equal to {max}"),
            );
        }
    }

    /// A string member that must be one of `allowed`.
    pub(crate) fn one_of(&mut self, path: &str, value: &str, allowed: &[&str]) {
        if !allowed.contains(&value) {
            self.push(
                Some(value),
                path,
                &format!(
                    "Member must satisfy enum value set: [{}]",
                    allowed.join(", ")
                ),
            );
        }
    }

    /// A rule name (`RuleName`): 1–64 of `[.\-_A-Za-z0-9]`.
    pub(crate) fn rule_name(&mut self, path: &str, value: Option<&String>, required: bool) {
        if required {
            self.required(path, value);
        }
        if let Some(value) = value {
            self.length(path, value, 1, crate::limits::NAME_MAX);
            self.pattern(path, value, is_name(value), NAME_PATTERN);
        }
    }

    /// An `EventBusNameOrArn`: 1–1600 characters of a bus name, optionally behind the
    /// `arn:…:event-bus/` prefix.
    pub(crate) fn event_bus(&mut self, value: Option<&String>) {
        let Some(value) = value else {
            return;
        };
        self.length("eventBusName", value, 1, crate::limits::ARN_MAX);
        let name = match value.split_once(":event-bus/") {
            Some((prefix, name)) if prefix.starts_with("arn:") => name,
            _ => value.as_str(),
        };
        let matches = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_'));
        self.pattern(
            "eventBusName",
            value,
            matches,
            r"(arn:aws[\w-]*:events:[a-z]{2}-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[/\.\-_A-Za-z0-9]+",
        );
    }

    /// A `NextToken`: 1–2048 characters.
    pub(crate) fn next_token(&mut self, value: Option<&String>) {
        if let Some(value) = value {
            self.length("nextToken", value, 1, crate::limits::NEXT_TOKEN_MAX);
        }
    }

    /// A `LimitMax100`: 1–100.
    pub(crate) fn limit(&mut self, value: Option<i64>) {
        if let Some(value) = value {
            self.range("limit", value, 1, crate::limits::PAGE_MAX);
        }
    }

    /// `Ok` when nothing was found, else the `ValidationException` naming every finding.
    pub(crate) fn finish(self) -> Result<()> {
        let count = self.items.len();
        match count {
            0 => Ok(()),
            1 => Err(Error::validation(format!(
                "1 validation error detected: {}",
                self.items.join("; ")
            ))),
            _ => Err(Error::validation(format!(
                "{count} validation errors detected: {}",
                self.items.join("; ")
            ))),
        }
    }
}

/// Checks that `given` (an `EventBusName` member) names the caller's default event bus,
/// the only bus OpenTrail has: left out, `default`, or the default bus's ARN in the
/// caller's account and Region.
///
/// # Errors
///
/// `ResourceNotFoundException` with EventBridge's text, `Event bus <name> does not exist.`
pub(crate) fn check_event_bus(caller: &Caller, given: Option<&str>) -> Result<()> {
    let Some(given) = given else {
        return Ok(());
    };
    if given == DEFAULT_BUS || given == default_bus_arn(&caller.region, &caller.account_id) {
        return Ok(());
    }
    // An ARN is shown whole: `default` alone would not say which account or Region.
    Err(Error::rejected(
        crate::error::ErrorKind::ResourceNotFound,
        format!("Event bus {given} does not exist."),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_and_several_findings_are_worded_like_aws() {
        let mut violations = Violations::default();
        violations.rule_name("name", Some(&String::from("my rule")), true);
        let message = violations.finish().unwrap_err().message();
        assert_eq!(
            message,
            r"1 validation error detected: Value 'my rule' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+"
        );

        let mut violations = Violations::default();
        violations.rule_name("name", None, true);
        violations.length("description", &"d".repeat(513), 0, 512);
        violations.range("limit", 0, 1, 100);
        let message = violations.finish().unwrap_err().message();
        assert!(
            message.starts_with("3 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; Value 'ddd"),
            "{message}"
        );
        assert!(message.ends_with("Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"), "{message}");
    }

    #[test]
    fn lengths_count_utf16_units() {
        assert_eq!(length("abc"), 3);
        assert_eq!(length("é"), 1);
        assert_eq!(length("😀"), 2);
    }

    #[test]
    fn only_the_callers_default_bus_exists() {
        let caller = Caller {
            account_id: String::from("111122223333"),
            region: String::from("us-east-1"),
        };
        assert!(check_event_bus(&caller, None).is_ok());
        assert!(check_event_bus(&caller, Some("default")).is_ok());
        assert!(
            check_event_bus(
                &caller,
                Some("arn:aws:events:us-east-1:111122223333:event-bus/default")
            )
            .is_ok()
        );
        let error = check_event_bus(&caller, Some("orders")).unwrap_err();
        assert_eq!(error.message(), "Event bus orders does not exist.");
        let error = check_event_bus(
            &caller,
            Some("arn:aws:events:eu-west-1:111122223333:event-bus/default"),
        )
        .unwrap_err();
        assert_eq!(
            error.message(),
            "Event bus arn:aws:events:eu-west-1:111122223333:event-bus/default does not exist."
        );
    }
}
