//! Checking one `PutTargets` entry into a [`Target`]: first its members' constraints
//! (reported with every other constraint of the request), then what the members mean.
//!
//! What EventBridge refuses for the whole call, OpenTrail refuses for the whole call, with
//! EventBridge's text where it is known: several of Input/InputPath/InputTransformer, an
//! Input that is not JSON, a path outside the accepted JSONPath subset, a template
//! placeholder no path defines, a parameter block the target does not take. What is about
//! the destination itself (an ARN OpenTrail cannot deliver to, an API destination the
//! server does not configure) fails that entry alone, in `FailedEntries`.

use crate::check::{PATHS_KEY_PATTERN, Violations, is_name};
use crate::error::{Error, ErrorKind, Result};
use crate::input::TargetInput;
use crate::limits::{
    ARN_MAX, HTTP_PARAMETER_MAX, INPUT_MAX, INPUT_PATH_MAX, INPUT_PATHS_KEY_MAX,
    INPUT_PATHS_MAP_MAX, INPUT_TEMPLATE_MAX, MAXIMUM_EVENT_AGE_MAX, MAXIMUM_EVENT_AGE_MIN,
    MAXIMUM_RETRY_ATTEMPTS_MAX, NAME_MAX,
};
use crate::model::{Destination, HttpParameters, InputTransformer, RetryPolicy, Target};
use crate::ops_targets::EntryFailure;
use crate::paths::parse_input_path;

/// The placeholders every `InputTemplate` may use without defining them.
pub const PREDEFINED_PLACEHOLDERS: [&str; 5] = [
    "aws.events.rule-arn",
    "aws.events.rule-name",
    "aws.events.event.ingestion-time",
    "aws.events.event",
    "aws.events.event.json",
];

/// The placeholder that stands for the whole event as JSON; only a JSON-object template
/// may use it.
const EVENT_JSON_PLACEHOLDER: &str = "aws.events.event.json";

/// Records the broken member constraints of the entry `index` (counted from 1).
pub(crate) fn collect_target_violations(
    violations: &mut Violations,
    index: usize,
    target: &TargetInput,
) {
    let at = format!("targets.{index}.member");
    let path = |member: &str| format!("{at}.{member}");
    violations.required(&path("id"), target.id.as_ref());
    if let Some(id) = &target.id {
        violations.length(&path("id"), id, 1, NAME_MAX);
        violations.pattern(&path("id"), id, is_name(id), crate::check::NAME_PATTERN);
    }
    violations.required(&path("arn"), target.arn.as_ref());
    if let Some(arn) = &target.arn {
        violations.length(&path("arn"), arn, 1, ARN_MAX);
    }
    if let Some(role_arn) = &target.role_arn {
        violations.length(&path("roleArn"), role_arn, 1, ARN_MAX);
    }
    if let Some(input) = &target.input {
        violations.length(&path("input"), input, 0, INPUT_MAX);
    }
    if let Some(input_path) = &target.input_path {
        violations.length(&path("inputPath"), input_path, 0, INPUT_PATH_MAX);
    }
    if let Some(transformer) = &target.input_transformer {
        let template_path = path("inputTransformer.inputTemplate");
        violations.required(&template_path, transformer.input_template.as_ref());
        if let Some(template) = &transformer.input_template {
            violations.length(&template_path, template, 1, INPUT_TEMPLATE_MAX);
        }
        if let Some(map) = &transformer.input_paths_map {
            let map_path = path("inputTransformer.inputPathsMap");
            violations.count(&map_path, &show_map(map), map.len(), 0, INPUT_PATHS_MAP_MAX);
            for (key, value) in map {
                violations.length(&map_path, key, 1, INPUT_PATHS_KEY_MAX);
                let key_ok = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
                violations.pattern(&map_path, key, key_ok, PATHS_KEY_PATTERN);
                violations.length(&map_path, value, 0, INPUT_PATH_MAX);
            }
        }
    }
    if let Some(http) = &target.http_parameters {
        collect_http_violations(violations, &path("httpParameters"), http);
    }
    if let Some(retry) = &target.retry_policy {
        if let Some(attempts) = retry.maximum_retry_attempts {
            let member = path("retryPolicy.maximumRetryAttempts");
            violations.range(&member, attempts, 0, MAXIMUM_RETRY_ATTEMPTS_MAX);
        }
        if let Some(age) = retry.maximum_event_age_in_seconds {
            let member = path("retryPolicy.maximumEventAgeInSeconds");
            violations.range(&member, age, MAXIMUM_EVENT_AGE_MIN, MAXIMUM_EVENT_AGE_MAX);
        }
    }
    if let Some(arn) = target
        .dead_letter_config
        .as_ref()
        .and_then(|config| config.arn.as_ref())
    {
        violations.length(&path("deadLetterConfig.arn"), arn, 1, ARN_MAX);
    }
}

fn collect_http_violations(
    violations: &mut Violations,
    at: &str,
    http: &crate::input::HttpParametersInput,
) {
    for (key, value) in http.header_parameters.iter().flatten() {
        let member = format!("{at}.headerParameters");
        violations.length(&member, key, 0, HTTP_PARAMETER_MAX);
        violations.pattern(
            &member,
            key,
            is_header_key(key),
            "^[!#$%&'*+-.^_`|~0-9a-zA-Z]+$",
        );
        violations.length(&member, value, 0, HTTP_PARAMETER_MAX);
        violations.pattern(
            &member,
            value,
            is_header_value(value),
            r"^[ \t]*[\x20-\x7E]+([ \t]+[\x20-\x7E]+)*[ \t]*$",
        );
    }
    for (key, value) in http.query_string_parameters.iter().flatten() {
        let member = format!("{at}.queryStringParameters");
        violations.length(&member, key, 0, HTTP_PARAMETER_MAX);
        let key_ok = !key.is_empty() && !key.chars().any(|c| c.is_ascii_control());
        violations.pattern(&member, key, key_ok, r"[^\x00-\x1F\x7F]+");
        violations.length(&member, value, 0, HTTP_PARAMETER_MAX);
        // Line breaks are allowed in query values; other control characters are not.
        let value_ok = !value.is_empty()
            && !value
                .chars()
                .any(|c| c.is_ascii_control() && !matches!(c, '\n' | '\r'));
        violations.pattern(
            &member,
            value,
            value_ok,
            r"[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F]+",
        );
    }
    for value in http.path_parameter_values.iter().flatten() {
        let member = format!("{at}.pathParameterValues");
        let value_ok = !value.trim().is_empty() && !value.contains(['\n', '\r']);
        violations.pattern(&member, value, value_ok, r"^(?!\s*$).+");
    }
}

/// `HeaderKey`: an HTTP token.
fn is_header_key(key: &str) -> bool {
    !key.is_empty()
        && key.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '!' | '#' | '$' | '%' | '&' | '\'' | '*' | '^' | '_' | '`')
                || matches!(c, '|' | '~')
                // `+-.` in the model's class is the range `+` to `.`: `+ , - .`
                || ('+'..='.').contains(&c)
        })
}

/// `HeaderValue`: printable ASCII and tabs, with at least one printable character.
fn is_header_value(value: &str) -> bool {
    value.chars().all(|c| c == '\t' || (' '..='~').contains(&c)) && value.chars().any(|c| c != '\t')
}

/// A map as Java prints it, which is how AWS shows a map value in a constraint message.
fn show_map(map: &[(String, String)]) -> String {
    let entries: Vec<String> = map
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect();
    format!("{{{}}}", entries.join(", "))
}

/// What checking one entry whose members satisfy their constraints gave.
#[derive(Debug)]
pub(crate) enum Checked {
    /// The target to store (boxed: a target is large, and the enum lives only briefly).
    Accepted(Box<Target>),
    /// The entry fails alone.
    Failed(EntryFailure),
}

/// Checks what the entry's members mean.
///
/// # Errors
///
/// `ValidationException` for the whole call, with EventBridge's text.
pub(crate) fn check_target(input: TargetInput, api_destinations: &[String]) -> Result<Checked> {
    let (Some(id), Some(arn)) = (input.id, input.arn) else {
        return Err(Error::Internal(String::from(
            "a target without Id or Arn passed the constraint checks",
        )));
    };
    if !input.unsupported_parameters.is_empty() {
        return Err(Error::validation(format!(
            "Parameter(s) {} not supported for target: {id}.",
            input.unsupported_parameters.join(", ")
        )));
    }
    let destination = match Destination::parse(&arn) {
        Ok(destination) => destination,
        Err(reason) => {
            return Ok(Checked::Failed(EntryFailure {
                target_id: id,
                kind: ErrorKind::Validation,
                message: format!("Parameter Arn is not valid. Reason: {reason}."),
            }));
        }
    };
    if let Destination::ApiDestination { name } = &destination
        && !api_destinations.iter().any(|configured| configured == name)
    {
        return Ok(Checked::Failed(EntryFailure {
            target_id: id,
            kind: ErrorKind::ResourceNotFound,
            message: format!(
                "Api destination {name} does not exist: this OpenTrail server configures no API destination of that name."
            ),
        }));
    }
    let given = [
        input.input.is_some(),
        input.input_path.is_some(),
        input.input_transformer.is_some(),
    ];
    if given.iter().filter(|given| **given).count() > 1 {
        return Err(Error::validation(format!(
            "Only one of Input, InputPath, or InputTransformer must be provided for target {id}."
        )));
    }
    if let Some(text) = &input.input
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_err()
    {
        return Err(Error::validation(format!(
            "JSON syntax error in input for target {id}."
        )));
    }
    if let Some(path) = &input.input_path
        && parse_input_path(path).is_none()
    {
        return Err(invalid_input_path(&id));
    }
    let input_transformer = match input.input_transformer {
        Some(transformer) => Some(check_transformer(&id, transformer)?),
        None => None,
    };
    let http_parameters = input.http_parameters.map(|http| HttpParameters {
        header_parameters: last_wins(http.header_parameters.unwrap_or_default()),
        query_string_parameters: last_wins(http.query_string_parameters.unwrap_or_default()),
        path_parameter_values: http.path_parameter_values.unwrap_or_default(),
    });
    let takes_http = matches!(
        destination,
        Destination::Webhook { .. } | Destination::ApiDestination { .. }
    );
    if http_parameters.is_some() && !takes_http {
        return Err(Error::validation(format!(
            "Parameter(s) HttpParameters not supported for target: {id}."
        )));
    }
    let retry_policy = match input.retry_policy {
        Some(retry) => Some(RetryPolicy {
            maximum_retry_attempts: to_u32(retry.maximum_retry_attempts)?,
            maximum_event_age_in_seconds: to_u32(retry.maximum_event_age_in_seconds)?,
        }),
        None => None,
    };
    let dead_letter_arn = input.dead_letter_config.and_then(|config| config.arn);
    if let Some(dead_letter) = &dead_letter_arn {
        check_dead_letter(dead_letter)?;
    }
    Ok(Checked::Accepted(Box::new(Target {
        id,
        arn,
        role_arn: input.role_arn,
        input: input.input,
        input_path: input.input_path,
        input_transformer,
        http_parameters,
        retry_policy,
        dead_letter_arn,
    })))
}

fn invalid_input_path(id: &str) -> Error {
    Error::validation(format!("InputPath for target {id} is invalid."))
}

fn check_transformer(
    id: &str,
    transformer: crate::input::InputTransformerInput,
) -> Result<InputTransformer> {
    let input_paths_map = last_wins(transformer.input_paths_map.unwrap_or_default());
    let Some(input_template) = transformer.input_template else {
        return Err(Error::Internal(String::from(
            "an InputTransformer without InputTemplate passed the constraint checks",
        )));
    };
    for (_, path) in &input_paths_map {
        if parse_input_path(path).is_none() {
            return Err(invalid_input_path(id));
        }
    }
    for placeholder in placeholders(&input_template) {
        let defined = input_paths_map.iter().any(|(key, _)| key == placeholder);
        if !defined && !PREDEFINED_PLACEHOLDERS.contains(&placeholder) {
            return Err(Error::validation(format!(
                "InputTemplate for target {id} contains invalid placeholder {placeholder}."
            )));
        }
        if placeholder == EVENT_JSON_PLACEHOLDER && !input_template.trim_start().starts_with('{') {
            return Err(Error::validation(format!(
                "InputTemplate for target {id} contains placeholder {EVENT_JSON_PLACEHOLDER} valid only for JSON template."
            )));
        }
    }
    Ok(InputTransformer {
        input_paths_map,
        input_template,
    })
}

/// The names of the `<name>` placeholders of a template, in order. A `<…>` whose inside is
/// not a placeholder name (`a < b`, `<b>text</b>` has `b` though) is left alone.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let length = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
            .unwrap_or(after.len());
        if length > 0 && after[length..].starts_with('>') {
            found.push(&after[..length]);
            rest = &after[length + 1..];
        } else {
            rest = after;
        }
    }
    found
}

/// A dead-letter ARN must name a file OpenTrail may write, with the rules of file targets.
fn check_dead_letter(arn: &str) -> Result<()> {
    match Destination::parse(arn) {
        Ok(Destination::File { .. }) => Ok(()),
        Ok(_) => Err(Error::validation(format!(
            "{arn} is not supported as a dead letter resource: OpenTrail writes dead letters to `file:<relative path>` only."
        ))),
        Err(reason) => Err(Error::validation(format!(
            "Parameter DeadLetterConfig.Arn is not valid. Reason: {reason}."
        ))),
    }
}

/// Removes repeated keys, keeping each key where it first appears with its last value
/// (a JSON object with a repeated member means its last value).
fn last_wins(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut kept: Vec<(String, String)> = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        match kept.iter_mut().find(|(kept_key, _)| *kept_key == key) {
            Some(entry) => entry.1 = value,
            None => kept.push((key, value)),
        }
    }
    kept
}

fn to_u32(value: Option<i64>) -> Result<Option<u32>> {
    value
        .map(|value| {
            u32::try_from(value).map_err(|_| {
                Error::Internal(format!("`{value}` passed the range checks but is no u32"))
            })
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_named_runs_between_angle_brackets() {
        assert_eq!(
            placeholders(r#"{"i": <instance>, "s": "<status> at <aws.events.rule-name>"}"#),
            vec!["instance", "status", "aws.events.rule-name"]
        );
        assert_eq!(placeholders("a < b and c > d"), Vec::<&str>::new());
        assert_eq!(placeholders("<<x>>"), vec!["x"]);
        assert_eq!(placeholders("<b>bold</b>"), vec!["b"]);
    }

    #[test]
    fn header_keys_follow_the_models_class() {
        assert!(is_header_key("X-Trace_Id.1"));
        assert!(is_header_key("a,b"));
        assert!(!is_header_key("a b"));
        assert!(!is_header_key("a:b"));
        assert!(!is_header_key(""));
        assert!(is_header_value("Bearer abc"));
        assert!(is_header_value("\tx"));
        assert!(!is_header_value("\t"));
        assert!(!is_header_value("é"));
    }

    #[test]
    fn repeated_keys_keep_the_first_place_and_the_last_value() {
        let pairs = vec![
            (String::from("a"), String::from("1")),
            (String::from("b"), String::from("2")),
            (String::from("a"), String::from("3")),
        ];
        assert_eq!(
            last_wins(pairs),
            vec![
                (String::from("a"), String::from("3")),
                (String::from("b"), String::from("2")),
            ]
        );
    }
}
