//! What a target receives: the envelope, or what its `Input`, `InputPath` or
//! `InputTransformer` makes of it (EventBridge user guide, "Amazon EventBridge input
//! transformation", <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html>).
//!
//! | Target setting | Body |
//! | --- | --- |
//! | none | the envelope JSON |
//! | `Input` | that constant JSON, minified; nothing of the event |
//! | `InputPath` | the value the path selects, minified (a string comes out as a quoted JSON string: `$.detail.eventName` gives `"CreateUser"`) |
//! | `InputTransformer` | the `InputTemplate` with each `<name>` replaced (below) |
//!
//! When a target sets more than one (the API refuses that), `Input` wins over `InputPath`,
//! which wins over `InputTransformer`.
//!
//! **Templates.** A template whose first non-blank character is `{` or `[` is a JSON
//! template: the result must be JSON and is minified. Any other template is text and is sent
//! as written (the documented string form is a quoted JSON string, `"instance <instance> is
//! in <state>"`, which then stays a JSON string). A placeholder is replaced according to
//! where it stands:
//!
//! | Value | Inside a `"…"` string of the template | Outside quotes, JSON template | Outside quotes, text template |
//! | --- | --- | --- | --- |
//! | string | its characters, JSON-escaped | the quoted JSON string | its characters, as is |
//! | number, `true`, `false`, `null` | its JSON text | its JSON text | its JSON text |
//! | object or array | its compact JSON with every `"` removed, then JSON-escaped | its compact JSON | its compact JSON |
//! | nothing (the path selects nothing) | nothing | `""` | nothing |
//!
//! Predefined variables: `<aws.events.rule-arn>`, `<aws.events.rule-name>`,
//! `<aws.events.event.ingestion-time>` (second precision, `Z`), `<aws.events.event>` (the
//! envelope without `detail`, with `detailType` for `detail-type` and the ingestion time as
//! `time`, as AWS delivers it) and `<aws.events.event.json>` (the whole envelope). They
//! cannot be redefined in `InputPathsMap`. A `<…>` that names no variable stays as written.
//!
//! Where this follows AWS and where it deliberately does not:
//! - A path that selects nothing gives `""` in a JSON template outside quotes and an empty
//!   string inside one (AWS-validated: LocalStack's `test_events_inputs.snapshot.json`).
//! - AWS "doesn't escape values extracted by Input Path". **[project decision]** OpenTrail
//!   escapes values placed inside quotes, so a value holding `"` or `\` cannot break the
//!   JSON or inject members into it.
//! - Objects inside a string lose their quotes, as the AWS guide documents
//!   (`"Detail is <detail>"` → `"Detail is {instance-id:i-0123456789,state:RUNNING}"`).
//! - **[project decision]** An `InputPath` that selects nothing, an unparsable path, or a
//!   JSON template that is not JSON after substitution is a rendering error
//!   ([`InputError`]); the deliverer sends such events to the dead-letter file at once
//!   rather than sending something the rule's author did not ask for.

mod path;

use std::collections::HashMap;

use opentrail_rules::Target;
use opentrail_types::{Timestamp, json_text};

use crate::envelope::Envelope;
use crate::raw::{self, Kind};

use path::{JsonPath, Selected};

/// The rule a delivery is made for; fills `<aws.events.rule-name>` and
/// `<aws.events.rule-arn>` and names the rule in headers and dead letters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RuleRef {
    /// The rule's name.
    pub name: String,
    /// The rule's ARN.
    pub arn: String,
}

/// Why a target's input could not be rendered. Never retryable: the same event and target
/// settings always fail the same way.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// `Input` is not JSON.
    #[error("`Input` is not valid JSON: {0}")]
    InvalidInput(#[source] serde_json::Error),
    /// A path in `InputPath` or `InputPathsMap` does not parse.
    #[error("invalid JSON path `{path}`: {reason}")]
    InvalidPath {
        /// The path.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `InputPath` selects nothing in this event.
    #[error("`InputPath` `{path}` selects nothing in the event")]
    PathSelectsNothing {
        /// The path.
        path: String,
    },
    /// A JSON template that is not JSON once its placeholders are replaced.
    #[error("the `InputTemplate` is not valid JSON after substitution: {0}")]
    InvalidTemplateOutput(#[source] serde_json::Error),
    /// The envelope did not parse: a broken invariant ([`crate::envelope()`] only builds valid
    /// JSON).
    #[error("internal error: the envelope is not valid JSON (this is a bug): {0}")]
    Internal(#[source] serde_json::Error),
}

/// Renders what `target` receives for `envelope`, taking the envelope's `time` as the
/// ingestion time. See [`render_at`].
///
/// # Errors
///
/// See [`render_at`].
pub fn render(target: &Target, envelope: &Envelope, rule: &RuleRef) -> Result<Vec<u8>, InputError> {
    render_at(target, envelope, rule, envelope.time())
}

/// Renders what `target` receives for `envelope` (module docs give the rules);
/// `ingestion_time` fills `<aws.events.event.ingestion-time>` (the deliverer passes the
/// time the journal acknowledged the event).
///
/// # Errors
///
/// [`InputError`]: invalid `Input`, an unparsable path, an `InputPath` that selects nothing,
/// or a JSON template that is not JSON after substitution.
pub fn render_at(
    target: &Target,
    envelope: &Envelope,
    rule: &RuleRef,
    ingestion_time: Timestamp,
) -> Result<Vec<u8>, InputError> {
    if let Some(input) = &target.input {
        let constant = raw::parse(input).map_err(InputError::InvalidInput)?;
        return Ok(json_text::compact(constant.get()).into_bytes());
    }
    let root = raw::parse(envelope.json()).map_err(InputError::Internal)?;
    if let Some(input_path) = &target.input_path {
        return match parse_path(input_path)?.select(root) {
            Selected::Nothing => Err(InputError::PathSelectsNothing {
                path: input_path.clone(),
            }),
            Selected::One(value) => Ok(json_text::compact(value.get()).into_bytes()),
            Selected::Many(array) => Ok(array.into_bytes()),
        };
    }
    let Some(transformer) = &target.input_transformer else {
        return Ok(envelope.json_bytes().to_vec());
    };
    let mut variables: HashMap<&str, Option<String>> = HashMap::new();
    for (name, input_path) in &transformer.input_paths_map {
        let value = match parse_path(input_path)?.select(root) {
            Selected::Nothing => None,
            Selected::One(value) => Some(json_text::compact(value.get())),
            Selected::Many(array) => Some(array),
        };
        variables.insert(name.as_str(), value);
    }
    // Inserted last: predefined variables cannot be overwritten.
    let ingestion = ingestion_time.format_event_time();
    for (name, value) in [
        ("aws.events.rule-arn", json_text::quote(&rule.arn)),
        ("aws.events.rule-name", json_text::quote(&rule.name)),
        (
            "aws.events.event.ingestion-time",
            json_text::quote(&ingestion),
        ),
        ("aws.events.event", envelope.metadata_json(ingestion_time)),
        ("aws.events.event.json", envelope.json().to_owned()),
    ] {
        variables.insert(name, Some(value));
    }
    let template = transformer.input_template.as_str();
    let json_template = template.trim_start().starts_with(['{', '[']);
    let filled = fill_template(template, &variables, json_template);
    if !json_template {
        return Ok(filled.into_bytes());
    }
    let checked = raw::parse(&filled).map_err(InputError::InvalidTemplateOutput)?;
    Ok(json_text::compact(checked.get()).into_bytes())
}

fn parse_path(text: &str) -> Result<JsonPath, InputError> {
    JsonPath::parse(text).map_err(|reason| InputError::InvalidPath {
        path: text.to_owned(),
        reason,
    })
}

/// Replaces every `<name>` of a known variable, tracking whether it stands inside a JSON
/// string of the template (an unescaped `"` opens and closes one).
fn fill_template(
    template: &str,
    variables: &HashMap<&str, Option<String>>,
    json_template: bool,
) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut in_string = false;
    let mut escaped = false;
    let mut index = 0;
    while let Some(character) = template.get(index..).and_then(|rest| rest.chars().next()) {
        if character == '<'
            && !escaped
            && let Some(name_length) = template[index + 1..].find('>')
            && let Some(value) = variables.get(&template[index + 1..index + 1 + name_length])
        {
            substitute(&mut out, value.as_deref(), in_string, json_template);
            index += name_length + 2;
            continue;
        }
        out.push(character);
        index += character.len_utf8();
        if escaped {
            escaped = false;
        } else if in_string && character == '\\' {
            escaped = true;
        } else if character == '"' {
            in_string = !in_string;
        }
    }
    out
}

fn substitute(out: &mut String, value: Option<&str>, in_string: bool, json_template: bool) {
    let Some(value) = value else {
        if json_template && !in_string {
            out.push_str("\"\"");
        }
        return;
    };
    let Ok(parsed) = raw::parse(value) else {
        // Values come from the envelope or are built here, so they are JSON; keep the text
        // rather than lose it if that ever breaks.
        out.push_str(value);
        return;
    };
    match (raw::kind(parsed), in_string) {
        (Kind::String, true) => {
            // The JSON text of a string, minus its quotes, is already escaped.
            let inner = value
                .strip_prefix('"')
                .and_then(|rest| rest.strip_suffix('"'))
                .unwrap_or(value);
            out.push_str(inner);
        }
        (Kind::String, false) if !json_template => {
            out.push_str(&raw::as_string(parsed).unwrap_or_default());
        }
        (Kind::Object | Kind::Array, true) => {
            json_text::push_escaped(out, &value.replace('"', ""));
        }
        _ => out.push_str(value),
    }
}

#[cfg(test)]
mod tests;
