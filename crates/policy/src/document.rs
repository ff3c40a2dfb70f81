//! Checks a policy document: JSON text → raw tree ([`crate::json::Json`]) → statements the
//! evaluator trusts ([`Statement`]).
//!
//! Element names and their shapes follow the IAM User Guide, "IAM JSON policy elements
//! reference" (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html>)
//! and "Grammar of the IAM JSON policy language"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>).
//! Messages are IAM's `MalformedPolicyDocument` texts where they are known.

use crate::condition::{VENDOR_PREFIX_REQUIRED, parse_condition_block};
use crate::error::{PolicyError, PolicyErrorKind, Result};
use crate::json::{self, Json};
use crate::pattern::{Pattern, Syntax};
use crate::principal::PrincipalElement;
use crate::statement::{Effect, PatternElement, Statement};
use crate::{MAX_DOCUMENT_CHARS, MAX_STATEMENTS};

/// The policy language version that turns on policy variables.
const VERSION_2012: &str = "2012-10-17";
/// The older version, still accepted; variables are literal text under it.
const VERSION_2008: &str = "2008-10-17";

/// Checks `document` and returns its statements.
pub(crate) fn parse_document(document: &str) -> Result<Vec<Statement>> {
    check_document_size(document)?;
    let json = json::parse(document).map_err(PolicyError::syntax)?;
    let Json::Object(members) = &json else {
        return Err(PolicyError::new(
            PolicyErrorKind::Syntax,
            None,
            format_args!(
                "policy document must be a JSON object, not {}",
                json.type_name()
            ),
        ));
    };
    let [version, id, statement] = elements(members, ["Version", "Id", "Statement"], None)?;
    // IAM: without a `Version`, or with 2008-10-17, `${...}` is plain text.
    let variables = match version {
        None => false,
        Some(Json::String(version)) if version == VERSION_2012 => true,
        Some(Json::String(version)) if version == VERSION_2008 => false,
        Some(_) => {
            return Err(PolicyError::new(
                PolicyErrorKind::InvalidVersion,
                None,
                "The policy failed legacy parsing",
            ));
        }
    };
    if let Some(id) = id
        && !matches!(id, Json::String(_))
    {
        return Err(PolicyError::new(
            PolicyErrorKind::Syntax,
            None,
            format_args!("`Id` must be a string, not {}", id.type_name()),
        ));
    }
    let raw_statements: Vec<&Json> = match statement {
        None => {
            return Err(PolicyError::new(
                PolicyErrorKind::MissingElement,
                None,
                "policy document must contain a `Statement` element",
            ));
        }
        Some(single @ Json::Object(_)) => vec![single],
        Some(Json::Array(items)) => items.iter().collect(),
        Some(other) => {
            return Err(PolicyError::new(
                PolicyErrorKind::Syntax,
                None,
                format_args!(
                    "`Statement` must be an object or an array of objects, not {}",
                    other.type_name()
                ),
            ));
        }
    };
    if raw_statements.is_empty() {
        return Err(PolicyError::new(
            PolicyErrorKind::MissingElement,
            None,
            "`Statement` must hold at least one statement",
        ));
    }
    if raw_statements.len() > MAX_STATEMENTS {
        return Err(PolicyError::new(
            PolicyErrorKind::TooLarge,
            None,
            format_args!(
                "policy document has {} statements; the limit is {MAX_STATEMENTS}",
                raw_statements.len()
            ),
        ));
    }
    let mut statements: Vec<Statement> = Vec::with_capacity(raw_statements.len());
    for (index, raw) in raw_statements.into_iter().enumerate() {
        let statement = parse_statement(raw, index, variables)?;
        if let Some(sid) = statement.sid.as_deref().filter(|sid| !sid.is_empty())
            && statements
                .iter()
                .any(|earlier| earlier.sid.as_deref() == Some(sid))
        {
            return Err(PolicyError::new(
                PolicyErrorKind::DuplicateSid,
                Some(index),
                "Statement IDs (SID) in a single policy must be unique.",
            ));
        }
        statements.push(statement);
    }
    Ok(statements)
}

/// The VPC endpoint policy limit: "The policy can't exceed 20,480 characters (including
/// white space)" (AWS PrivateLink guide, "Control access to VPC endpoints using endpoint
/// policies").
fn check_document_size(document: &str) -> Result<()> {
    // Bytes bound characters from above, so most documents skip the count.
    if document.len() <= MAX_DOCUMENT_CHARS {
        return Ok(());
    }
    let characters = document.chars().count();
    if characters <= MAX_DOCUMENT_CHARS {
        return Ok(());
    }
    Err(PolicyError::new(
        PolicyErrorKind::TooLarge,
        None,
        format_args!(
            "policy document is {characters} characters long; an endpoint policy can be at \
             most {MAX_DOCUMENT_CHARS}"
        ),
    ))
}

/// Picks the members named `names` out of an object, refusing unknown and repeated names
/// (element names are case-sensitive in IAM).
fn elements<'j, const N: usize>(
    members: &'j [(String, Json)],
    names: [&str; N],
    statement: Option<usize>,
) -> Result<[Option<&'j Json>; N]> {
    let owner = match statement {
        Some(index) => format!("statement {index}"),
        None => "policy document".to_owned(),
    };
    let mut found = [None; N];
    for (name, value) in members {
        let Some(slot) = names.iter().position(|known| known == name) else {
            return Err(PolicyError::new(
                PolicyErrorKind::UnknownElement,
                statement,
                format_args!("{owner} has unknown element `{name}`"),
            ));
        };
        if found[slot].is_some() {
            return Err(PolicyError::new(
                PolicyErrorKind::DuplicateElement,
                statement,
                format_args!("{owner} has element `{name}` twice"),
            ));
        }
        found[slot] = Some(value);
    }
    Ok(found)
}

fn parse_statement(raw: &Json, index: usize, variables: bool) -> Result<Statement> {
    let Json::Object(members) = raw else {
        return Err(PolicyError::new(
            PolicyErrorKind::Syntax,
            Some(index),
            format_args!(
                "statement {index} must be an object, not {}",
                raw.type_name()
            ),
        ));
    };
    let [
        sid,
        effect,
        principal,
        not_principal,
        action,
        not_action,
        resource,
        not_resource,
        condition,
    ] = elements(
        members,
        [
            "Sid",
            "Effect",
            "Principal",
            "NotPrincipal",
            "Action",
            "NotAction",
            "Resource",
            "NotResource",
            "Condition",
        ],
        Some(index),
    )?;
    let sid = match sid {
        None => None,
        Some(Json::String(sid)) => Some(sid.clone()),
        Some(other) => return Err(wrong_type(index, "Sid", "a string", other)),
    };
    let effect = parse_effect(effect, index)?;
    let principal = match one_of(principal, not_principal, index, "Principal", "NotPrincipal")? {
        None => {
            return Err(PolicyError::new(
                PolicyErrorKind::MissingElement,
                Some(index),
                "Missing required field Principal",
            ));
        }
        Some((value, negated)) => {
            // IAM: "NotPrincipal must be used with "Effect":"Deny". Using it with
            // "Effect":"Allow" is not supported."
            if negated && effect == Effect::Allow {
                return Err(PolicyError::new(
                    PolicyErrorKind::ConflictingElements,
                    Some(index),
                    format_args!(
                        "statement {index}: `NotPrincipal` can only be used with \
                         `\"Effect\": \"Deny\"`"
                    ),
                ));
            }
            PrincipalElement::parse(value, negated, index)?
        }
    };
    let action = parse_actions(
        one_of(action, not_action, index, "Action", "NotAction")?,
        index,
    )?;
    let resource = parse_resources(
        one_of(resource, not_resource, index, "Resource", "NotResource")?,
        index,
        variables,
    )?;
    let conditions = match condition {
        None => Vec::new(),
        Some(block) => parse_condition_block(block, index, variables)?,
    };
    Ok(Statement {
        sid,
        effect,
        principal,
        action,
        resource,
        conditions,
    })
}

fn parse_effect(effect: Option<&Json>, index: usize) -> Result<Effect> {
    match effect {
        // Case-sensitive, as in IAM: `allow` is refused.
        Some(Json::String(effect)) if effect == "Allow" => Ok(Effect::Allow),
        Some(Json::String(effect)) if effect == "Deny" => Ok(Effect::Deny),
        Some(Json::String(effect)) => Err(PolicyError::new(
            PolicyErrorKind::InvalidEffect,
            Some(index),
            format_args!("Invalid effect: {effect}"),
        )),
        Some(other) => Err(wrong_type(index, "Effect", "a string", other)),
        None => Err(PolicyError::new(
            PolicyErrorKind::MissingElement,
            Some(index),
            format_args!("statement {index} must contain an `Effect` element"),
        )),
    }
}

/// Returns the one present element of a pair and whether it is the negated one.
fn one_of<'j>(
    positive: Option<&'j Json>,
    negative: Option<&'j Json>,
    index: usize,
    positive_name: &str,
    negative_name: &str,
) -> Result<Option<(&'j Json, bool)>> {
    match (positive, negative) {
        (Some(_), Some(_)) => Err(PolicyError::new(
            PolicyErrorKind::ConflictingElements,
            Some(index),
            format_args!(
                "statement {index} has both `{positive_name}` and `{negative_name}`; use exactly one"
            ),
        )),
        (Some(value), None) => Ok(Some((value, false))),
        (None, Some(value)) => Ok(Some((value, true))),
        (None, None) => Ok(None),
    }
}

fn parse_actions(element: Option<(&Json, bool)>, index: usize) -> Result<PatternElement> {
    const NO_ACTIONS: &str = "Policy statement must contain actions.";
    let missing = || PolicyError::new(PolicyErrorKind::MissingElement, Some(index), NO_ACTIONS);
    let (value, negated) = element.ok_or_else(missing)?;
    let name = if negated { "NotAction" } else { "Action" };
    let texts = string_list(value, index, name)?;
    if texts.is_empty() {
        return Err(missing());
    }
    let syntax = Syntax {
        wildcards: true,
        variables: false,
    };
    let mut patterns = Vec::with_capacity(texts.len());
    for text in texts {
        if text != "*" {
            check_action(text, index)?;
        }
        patterns.push(Pattern::compile(text, syntax));
    }
    Ok(PatternElement { negated, patterns })
}

/// An action is `service:Action` (wildcards allowed), with exactly one colon.
fn check_action(text: &str, index: usize) -> Result<()> {
    let Some((vendor, name)) = text.split_once(':') else {
        return Err(PolicyError::new(
            PolicyErrorKind::InvalidAction,
            Some(index),
            VENDOR_PREFIX_REQUIRED,
        ));
    };
    if vendor.is_empty() {
        return Err(PolicyError::new(
            PolicyErrorKind::InvalidAction,
            Some(index),
            VENDOR_PREFIX_REQUIRED,
        ));
    }
    if name.contains(':') {
        return Err(PolicyError::new(
            PolicyErrorKind::InvalidAction,
            Some(index),
            "Actions/Condition can contain only one colon.",
        ));
    }
    Ok(())
}

fn parse_resources(
    element: Option<(&Json, bool)>,
    index: usize,
    variables: bool,
) -> Result<PatternElement> {
    const NO_RESOURCES: &str = "Policy statement must contain resources.";
    let missing = || PolicyError::new(PolicyErrorKind::MissingElement, Some(index), NO_RESOURCES);
    let (value, negated) = element.ok_or_else(missing)?;
    let name = if negated { "NotResource" } else { "Resource" };
    let texts = string_list(value, index, name)?;
    if texts.is_empty() {
        return Err(missing());
    }
    let syntax = Syntax {
        wildcards: true,
        variables,
    };
    let mut patterns = Vec::with_capacity(texts.len());
    for text in texts {
        if text != "*" && !text.starts_with("arn:") {
            return Err(PolicyError::new(
                PolicyErrorKind::InvalidResource,
                Some(index),
                format_args!("Resource {text} must be in ARN format or \"*\"."),
            ));
        }
        patterns.push(Pattern::compile(text, syntax));
    }
    Ok(PatternElement { negated, patterns })
}

/// A string or an array of strings (possibly empty: the caller decides).
fn string_list<'j>(value: &'j Json, index: usize, name: &str) -> Result<Vec<&'j str>> {
    const EXPECTED: &str = "a string or an array of strings";
    match value {
        Json::String(text) => Ok(vec![text]),
        Json::Array(items) => {
            let mut texts = Vec::with_capacity(items.len());
            for item in items {
                let Json::String(text) = item else {
                    return Err(wrong_type(index, name, EXPECTED, item));
                };
                texts.push(text.as_str());
            }
            Ok(texts)
        }
        other => Err(wrong_type(index, name, EXPECTED, other)),
    }
}

fn wrong_type(index: usize, name: &str, expected: &str, found: &Json) -> PolicyError {
    PolicyError::new(
        PolicyErrorKind::Syntax,
        Some(index),
        format_args!(
            "statement {index}: `{name}` must be {expected}, not {}",
            found.type_name()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(document: &str) -> PolicyError {
        parse_document(document).unwrap_err()
    }

    #[test]
    fn statement_may_be_an_object_or_an_array() {
        let single = r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}}"#;
        assert_eq!(parse_document(single).unwrap().len(), 1);
        let two = r#"{"Version": "2012-10-17", "Id": "x", "Statement": [
            {"Sid": "A", "Effect": "Allow", "Principal": "*", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"},
            {"Sid": "B", "Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "NotAction": "s3:Get*", "NotResource": ["arn:aws:s3:::b/*"]}
        ]}"#;
        let statements = parse_document(two).unwrap();
        assert_eq!(statements.len(), 2);
        assert_eq!(statements[1].sid.as_deref(), Some("B"));
        assert_eq!(statements[1].effect, Effect::Deny);
        assert!(statements[1].action.negated);
        assert!(statements[1].resource.negated);
    }

    #[test]
    fn version_controls_policy_variables() {
        let with = |version: &str| {
            format!(
                r#"{{{version}"Statement": {{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "arn:aws:s3:::b/${{aws:username}}"}}}}"#
            )
        };
        let statements = parse_document(&with(r#""Version": "2012-10-17", "#)).unwrap();
        assert!(matches!(
            statements[0].resource.patterns[0],
            Pattern::Glob(_)
        ));
        for literal in [r#""Version": "2008-10-17", "#, ""] {
            let statements = parse_document(&with(literal)).unwrap();
            assert_eq!(
                statements[0].resource.patterns[0],
                Pattern::Exact("arn:aws:s3:::b/${aws:username}".into())
            );
        }
    }

    #[test]
    fn size_is_counted_in_characters() {
        let padding = |count: usize| " ".repeat(count);
        let minimal = r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}}"#;
        let at_limit = format!("{minimal}{}", padding(MAX_DOCUMENT_CHARS - minimal.len()));
        assert!(parse_document(&at_limit).is_ok());
        let over = format!("{at_limit} ");
        let error = refused(&over);
        assert_eq!(error.kind(), PolicyErrorKind::TooLarge);
        assert_eq!(
            error.message(),
            "policy document is 20481 characters long; an endpoint policy can be at most 20480"
        );
        // Multi-byte characters count once each.
        let sid = "é".repeat(MAX_DOCUMENT_CHARS - minimal.len() - 11);
        let wide = minimal.replacen(
            "{\"Effect\"",
            &format!("{{\"Sid\": \"{sid}\", \"Effect\""),
            1,
        );
        assert!(wide.len() > MAX_DOCUMENT_CHARS);
        assert_eq!(wide.chars().count(), MAX_DOCUMENT_CHARS);
        assert!(parse_document(&wide).is_ok());
    }

    #[test]
    fn empty_sids_may_repeat() {
        let document = r#"{"Statement": [
            {"Sid": "", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
            {"Sid": "", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
        ]}"#;
        assert_eq!(parse_document(document).unwrap().len(), 2);
    }

    #[test]
    fn action_checks() {
        assert!(check_action("s3:GetObject", 0).is_ok());
        assert!(check_action("s3:*", 0).is_ok());
        assert!(check_action("*:Get*", 0).is_ok());
        assert_eq!(
            check_action("GetObject", 0).unwrap_err().message(),
            VENDOR_PREFIX_REQUIRED
        );
        assert_eq!(
            check_action(":GetObject", 0).unwrap_err().message(),
            VENDOR_PREFIX_REQUIRED
        );
        assert_eq!(
            check_action("s3:Get:Object", 0).unwrap_err().message(),
            "Actions/Condition can contain only one colon."
        );
    }
}
