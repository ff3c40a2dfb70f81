//! `TestEventPattern`: whether a pattern matches an event, with EventBridge's checks of
//! both. It reads no rule, so it needs no store.

use opentrail_patterns::Pattern;

use crate::check::Violations;
use crate::error::{Error, Result};
use crate::input::TestEventPatternInput;
use crate::limits::EVENT_PATTERN_MAX;

/// The envelope members `TestEventPattern` requires of its `Event`. The API reference also
/// lists `resources`, but EventBridge accepts events without it.
pub const REQUIRED_EVENT_MEMBERS: [&str; 6] =
    ["id", "account", "source", "time", "region", "detail-type"];

/// EventBridge's refusal of an `Event` member.
const EVENT_NOT_VALID: &str = "Parameter Event is not valid.";

/// Tests `EventPattern` against `Event`.
///
/// # Errors
///
/// `ValidationException` for broken constraints or an `Event` that is not a JSON object
/// with every member of [`REQUIRED_EVENT_MEMBERS`] (`Parameter Event is not valid.`);
/// `InvalidEventPatternException` with the pattern parser's text.
pub fn test_event_pattern(input: TestEventPatternInput) -> Result<bool> {
    let mut violations = Violations::default();
    violations.required("eventPattern", input.event_pattern.as_ref());
    if let Some(pattern) = &input.event_pattern {
        violations.length("eventPattern", pattern, 0, EVENT_PATTERN_MAX);
    }
    violations.required("event", input.event.as_ref());
    violations.finish()?;
    let pattern = Pattern::parse(input.event_pattern.as_deref().unwrap_or_default())
        .map_err(Error::Pattern)?;
    let event = input.event.unwrap_or_default();
    let Ok(serde_json::Value::Object(members)) = serde_json::from_str(&event) else {
        return Err(Error::validation(EVENT_NOT_VALID));
    };
    if let Some(missing) = REQUIRED_EVENT_MEMBERS
        .iter()
        .find(|member| !members.contains_key(**member))
    {
        return Err(Error::validation(format!(
            "{EVENT_NOT_VALID} Reason: Provided Event is missing required field {missing}."
        )));
    }
    pattern
        .matches(event.as_bytes())
        .map_err(|error| Error::validation(format!("{EVENT_NOT_VALID} Reason: {error}")))
}
