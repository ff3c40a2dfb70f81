//! Parsing and validating a pattern, following aws/event-ruler's `JsonRuleCompiler` (the
//! library behind EventBridge) token by token, so that a pattern is accepted or refused as
//! EventBridge does and refusals carry the reference's reason.
//!
//! The result is the list of alternatives `$or` expands to: each maps dot-joined paths to
//! the conditions of their leaf array. As in the reference, a path written twice keeps its
//! last leaf array, and `{"a":{"b":[…]}}` and `{"a.b":[…]}` name the same path.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::Error;
use crate::ip::parse_ip_literal;
use crate::json::{LexError, LexErrorKind};
use crate::operators::{AnythingBut, Condition, finite_number};
use crate::tokens::{Token, Tokenizer, describe_lex_error};
use crate::wildcard::Wildcard;

mod expression;

/// The longest pattern accepted, in UTF-16 code units (how EventBridge counts): the
/// `EventPattern` length constraint of the EventBridge API. (The default service quota is
/// 2048; callers enforcing the quota check it before parsing.)
pub const MAX_PATTERN_LENGTH: usize = 4096;

/// How deeply objects and arrays may nest in a pattern.
pub const MAX_PATTERN_DEPTH: usize = 128;

/// The most alternatives a pattern's `$or` operators may expand to.
pub const MAX_ALTERNATIVES: usize = 1000;

/// The most paths one alternative may name (the reference's `MAXIMUM_RULE_SIZE`).
pub const MAX_FIELDS: usize = 256;

/// The keyword that joins alternatives.
const OR: &str = "$or";

/// Names that may not be field names inside a `$or` alternative (the reference's
/// `RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP`).
const RESERVED_IN_OR: &[&str] = &[
    "exactly",
    "equals-ignore-case",
    "prefix",
    "suffix",
    "anything-but",
    "exists",
    "wildcard",
    "numeric",
    "cidr",
    "=",
    "<",
    "<=",
    ">",
    ">=",
    "regex",
    "not-wildcard",
    "not-equals-ignore-case",
    "date-after",
    "date-on-or-after",
    "date-before",
    "date-on-or-before",
    "in-date-range",
    "ip-address-in-range",
    "ip-address-not-in-range",
];

/// One alternative of a pattern: every path it names, in path order, with the conditions
/// of the path's leaf array (any one of them may match).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Alternative {
    pub(crate) fields: Vec<(Box<str>, Arc<[Condition]>)>,
}

/// An alternative while it is being built.
type Rule = BTreeMap<String, Arc<[Condition]>>;

/// Parses and validates `text` into its alternatives.
pub(crate) fn parse_alternatives(text: &str) -> Result<Vec<Alternative>, Error> {
    if text.encode_utf16().nth(MAX_PATTERN_LENGTH).is_some() {
        return Err(Error::invalid(format!(
            "Event pattern is longer than {MAX_PATTERN_LENGTH} characters"
        )));
    }
    let rules = match parse_with(text, true) {
        Ok(rules) => rules,
        // The reference retries a pattern it cannot read with `$or` as an ordinary field
        // name (its legacy compiler). When that fails too, the `$or` reading's reason says
        // more about the mistake, so that is the one reported.
        Err(error) if text.contains(OR) => parse_with(text, false).map_err(|_| error)?,
        Err(error) => return Err(error),
    };
    for rule in &rules {
        if rule.len() > MAX_FIELDS {
            return Err(Error::invalid(format!(
                "Size of rule exceeds max value of {MAX_FIELDS}"
            )));
        }
    }
    check_wildcard_complexity(&rules)?;
    Ok(rules
        .into_iter()
        .map(|rule| Alternative {
            fields: rule
                .into_iter()
                .map(|(path, conditions)| (path.into_boxed_str(), conditions))
                .collect(),
        })
        .collect())
}

/// Refuses a pattern whose wildcards on one path are too complex (over all alternatives).
fn check_wildcard_complexity(rules: &[Rule]) -> Result<(), Error> {
    let mut by_path: BTreeMap<&str, Vec<&Wildcard>> = BTreeMap::new();
    for rule in rules {
        for (path, conditions) in rule {
            for condition in conditions.iter() {
                let wildcards: &[Wildcard] = match condition {
                    Condition::Wildcard(wildcard) => std::slice::from_ref(wildcard.as_ref()),
                    Condition::AnythingBut(anything_but) => match anything_but.as_ref() {
                        AnythingBut::Wildcards(wildcards) => wildcards,
                        _ => &[],
                    },
                    _ => &[],
                };
                let entry = by_path.entry(path.as_str()).or_default();
                for wildcard in wildcards {
                    if !entry.contains(&wildcard) {
                        entry.push(wildcard);
                    }
                }
            }
        }
    }
    for wildcards in by_path.values() {
        if !wildcards.is_empty() && !crate::wildcard::within_complexity_limit(wildcards) {
            return Err(Error::invalid(crate::wildcard::TOO_COMPLEX));
        }
    }
    Ok(())
}

/// Parses `text`, treating `$or` as the alternatives keyword or (legacy) as a field name.
fn parse_with(text: &str, or_keyword: bool) -> Result<Vec<Rule>, Error> {
    let mut parser = Parser {
        text,
        tokens: Tokenizer::new(text, MAX_PATTERN_DEPTH),
        or_keyword,
        path: Vec::new(),
    };
    if parser.tokens.is_blank() || parser.next()? != Token::BeginObject {
        return Err(Error::invalid("Filter is not an object"));
    }
    let mut rules = Vec::new();
    parser.object(&mut rules, false)?;
    parser
        .tokens
        .finish()
        .map_err(|error| parser.lex_error(error))?;
    Ok(rules)
}

struct Parser<'a> {
    text: &'a str,
    tokens: Tokenizer<'a>,
    or_keyword: bool,
    /// Names of the objects around the current position.
    path: Vec<String>,
}

impl<'a> Parser<'a> {
    fn lex_error(&self, error: LexError) -> Error {
        if error.kind == LexErrorKind::TooDeep {
            return Error::invalid(format!(
                "Event pattern is nested deeper than {MAX_PATTERN_DEPTH} levels"
            ));
        }
        Error::invalid(describe_lex_error(&error, self.text))
    }

    fn next(&mut self) -> Result<Token<'a>, Error> {
        self.tokens
            .next_token()
            .map_err(|error| self.lex_error(error))
    }

    fn expect_end_object(&mut self, reason: &str) -> Result<(), Error> {
        if self.next()? != Token::EndObject {
            return Err(Error::invalid(reason));
        }
        Ok(())
    }

    fn joined_path(&self, name: &str) -> String {
        let mut joined = String::new();
        for step in &self.path {
            joined.push_str(step);
            joined.push('.');
        }
        joined.push_str(name);
        joined
    }

    /// Reads the members of an object whose `{` was just read.
    fn object(&mut self, rules: &mut Vec<Rule>, inside_or: bool) -> Result<(), Error> {
        let mut fields_present = false;
        while let Token::Name(name) = self.next()? {
            fields_present = true;
            if self.or_keyword && name == OR {
                self.alternatives(rules)?;
                continue;
            }
            if inside_or && RESERVED_IN_OR.contains(&name.as_ref()) {
                return Err(Error::invalid(format!(
                    "{name} is Ruler reserved fieldName which cannot be used inside {OR}."
                )));
            }
            match self.next()? {
                Token::BeginObject => {
                    self.path.push(name.into_owned());
                    self.object(rules, inside_or)?;
                    self.path.pop();
                }
                Token::BeginArray => {
                    let path = self.joined_path(&name);
                    self.leaf(rules, path)?;
                }
                _ => {
                    return Err(Error::invalid(format!(
                        "\"{name}\" must be an object or an array"
                    )));
                }
            }
        }
        if !fields_present {
            return Err(Error::invalid("Empty objects are not allowed"));
        }
        Ok(())
    }

    /// Reads the array after `$or`: every alternative so far is combined with each object.
    fn alternatives(&mut self, rules: &mut Vec<Rule>) -> Result<(), Error> {
        let current = std::mem::take(rules);
        if self.next()? != Token::BeginArray {
            return Err(Error::invalid(format!(
                "It must be an Array followed with {OR}."
            )));
        }
        let mut count = 0;
        loop {
            match self.next()? {
                Token::EndArray => break,
                Token::BeginObject => {
                    count += 1;
                    let mut expanded = if current.is_empty() {
                        vec![Rule::new()]
                    } else {
                        current.clone()
                    };
                    self.object(&mut expanded, true)?;
                    if rules.len() + expanded.len() > MAX_ALTERNATIVES {
                        return Err(Error::invalid(format!(
                            "Event pattern expands to more than {MAX_ALTERNATIVES} combinations of {OR} alternatives"
                        )));
                    }
                    rules.append(&mut expanded);
                }
                _ => {
                    return Err(Error::invalid(format!(
                        "Only JSON object is allowed in array of {OR} relationship."
                    )));
                }
            }
        }
        if count < 2 {
            return Err(Error::invalid(format!(
                "There must have at least 2 Objects in {OR} relationship."
            )));
        }
        Ok(())
    }

    /// Reads a leaf array whose `[` was just read and sets it for `path` in every rule.
    fn leaf(&mut self, rules: &mut Vec<Rule>, path: String) -> Result<(), Error> {
        let mut conditions = Vec::new();
        loop {
            let condition = match self.next()? {
                Token::EndArray => break,
                Token::BeginObject => self.match_expression()?,
                Token::String(text) => match parse_ip_literal(&text) {
                    Some(address) => Condition::Ip(address),
                    None => Condition::Exact(text.into()),
                },
                Token::Number(text) => Condition::Number {
                    text: text.into(),
                    value: finite_number(text),
                },
                Token::True => Condition::Bool(true),
                Token::False => Condition::Bool(false),
                Token::Null => Condition::Null,
                _ => {
                    return Err(Error::invalid(
                        "Match value must be String, number, true, false, or null",
                    ));
                }
            };
            conditions.push(condition);
        }
        if conditions.is_empty() {
            return Err(Error::invalid("Empty arrays are not allowed"));
        }
        if rules.is_empty() {
            rules.push(Rule::new());
        }
        let conditions: Arc<[Condition]> = conditions.into();
        for rule in rules.iter_mut() {
            rule.insert(path.clone(), Arc::clone(&conditions));
        }
        Ok(())
    }
}
